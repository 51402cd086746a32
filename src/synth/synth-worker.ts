import { parentPort, workerData } from 'node:worker_threads';
import type { PlatformModel } from '../model/types';
import type { BundleCacheOptions } from './bundle-cache';
import { UnitBuilder, type SynthUnit } from './synth-units';
import { stageUnit, type Collected } from './write-tree';

/** What the main thread sends a worker: a unit to build, or the end of the run. */
export type ToWorker =
  { readonly type: 'unit'; readonly unit: SynthUnit } | { readonly type: 'end' };

/** What a worker answers. */
export type FromWorker =
  | ({ readonly type: 'done' } & Collected)
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

interface Data {
  readonly model: PlatformModel;
  readonly dir: string;
  readonly staging: string;
  readonly cache?: BundleCacheOptions;
}

const { model, dir, staging, cache } = workerData as Data;
const port = parentPort!;
const builder = new UnitBuilder(model, cache);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'end') {
    port.close();
    return;
  }
  try {
    const reply: FromWorker = {
      type: 'done',
      ...stageUnit(builder.build(msg.unit), dir, staging),
    };
    port.postMessage(reply);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'error', message: e.message, stack: e.stack } satisfies FromWorker);
  }
});
