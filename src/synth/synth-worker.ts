import { parentPort } from 'node:worker_threads';
import type { PlatformModel } from '../model/types';
import type { BundleCacheOptions } from './bundle-cache';
import { UnitBuilder, type SynthUnit } from './synth-units';
import { stageUnit, type Collected } from './write-tree';

/** What the main thread sends a worker: the run's inputs (first), a unit to build, the end. */
export type ToWorker =
  | {
      readonly type: 'init';
      readonly model: PlatformModel;
      readonly dir: string;
      readonly staging: string;
      readonly cache: BundleCacheOptions | undefined;
    }
  | { readonly type: 'unit'; readonly unit: SynthUnit }
  | { readonly type: 'end' };

/** What a worker answers. */
export type FromWorker =
  | ({ readonly type: 'done' } & Collected)
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

const port = parentPort!;
// Set by the init message, which runParallel sends before any unit.
let run: { builder: UnitBuilder; dir: string; staging: string };

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'end') {
    port.close();
    return;
  }
  if (msg.type === 'init') {
    run = { builder: new UnitBuilder(msg.model, msg.cache), dir: msg.dir, staging: msg.staging };
    return;
  }
  try {
    const reply: FromWorker = {
      type: 'done',
      ...stageUnit(run.builder.build(msg.unit), run.dir, run.staging),
    };
    port.postMessage(reply);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'error', message: e.message, stack: e.stack } satisfies FromWorker);
  }
});
