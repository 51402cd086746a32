// Entry of a synth worker thread: Node 20 does not hand a parent's --import loaders to worker
// threads, so the worker registers tsx itself before loading its TypeScript module.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
