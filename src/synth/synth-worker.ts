import { parentPort, workerData } from 'node:worker_threads';
import type { PlatformModel } from '../model/types';
import { unitFiles, type SynthUnit } from './synth-units';
import { TreeStager } from './tree-writer';

/** What the main thread sends a worker: a unit to build, or the end of the run. */
export type ToWorker =
  { readonly type: 'unit'; readonly unit: SynthUnit } | { readonly type: 'end' };

/** What a worker answers. */
export type FromWorker =
  | {
      readonly type: 'done';
      readonly generated: readonly string[];
      readonly staged: readonly string[];
      readonly bytes: number;
    }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

interface Data {
  readonly model: PlatformModel;
  readonly dir: string;
  readonly staging: string;
}

const { model, dir, staging } = workerData as Data;
const port = parentPort!;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'end') {
    port.close();
    return;
  }
  try {
    const stager = new TreeStager(dir, staging);
    const files = unitFiles(model, msg.unit);
    for (const [rel, content] of files) stager.stage(rel, content);
    const reply: FromWorker = {
      type: 'done',
      generated: [...files.keys()],
      staged: stager.paths,
      bytes: stager.bytes,
    };
    port.postMessage(reply);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'error', message: e.message, stack: e.stack } satisfies FromWorker);
  }
});
