import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { runsFromSource } from './sibling-module';

/**
 * Worker threads that take units of work from one queue, shared by synth (an environment's
 * shared layers, or 25 of its tenants) and check (one environment). A worker is sent `init`
 * once, then one unit at a time, then `end`; it answers each unit with its result or an error.
 */
export type ToWorker<Init, Unit> =
  | { readonly type: 'init'; readonly init: Init }
  | { readonly type: 'unit'; readonly unit: Unit }
  | { readonly type: 'end' };

export type FromWorker<Result> =
  | { readonly type: 'done'; readonly result: Result }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

/** Tenant bundles (summed over environments) from which synth and check use every core. */
export const PARALLEL_FROM_BUNDLES = 200;

/**
 * Threads worth using for `bundles` tenant bundles when the caller does not say: every core
 * from PARALLEL_FROM_BUNDLES on, else 1 (starting a worker costs seconds of code loading,
 * more than a small repository's whole synth or check).
 */
export function defaultThreads(bundles: number): number {
  return bundles >= PARALLEL_FROM_BUNDLES ? availableParallelism() : 1;
}

/**
 * Registers tsx in a worker before its entry loads, when this runs from source (tsx, vitest).
 * In the CLI build (src/cli/run-built.mjs) every entry is JavaScript and starts as it is.
 */
const WORKER_BOOT = runsFromSource(import.meta.url)
  ? new URL('./worker-boot.mjs', import.meta.url)
  : undefined;

/**
 * Worker threads started before there is anything to give them: a worker spends seconds
 * loading the code (at 1,000 tenants about as long as loading the specs takes), so a caller
 * that starts them first has them ready when the model is.
 */
export class WorkerPool {
  private workers: Worker[];
  /** The first error of a worker before it was taken (it failed to load, say). */
  private failure: Error | undefined;
  private readonly exited = new Set<Worker>();

  /**
   * Starts `count` workers (none for 0) running the module `entry` (a file URL); `what`
   * names them in errors ("synth", "check").
   */
  constructor(
    count: number,
    entry: string,
    readonly what: string,
  ) {
    this.workers = Array.from(
      { length: count },
      () => new Worker(WORKER_BOOT ?? new URL(entry), { workerData: { entry } }),
    );
    for (const w of this.workers) {
      // Listened to from the start: an error event nobody listens to would crash the process.
      w.once('error', (err) => (this.failure ??= err));
      w.once('exit', () => this.exited.add(w));
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** True once a worker failed or exited while waiting: `take` will throw. */
  get broken(): boolean {
    return this.failure !== undefined || this.workers.some((w) => this.exited.has(w));
  }

  /** Ends the workers beyond the first `count`. */
  keep(count: number): void {
    for (const w of this.workers.slice(count)) void w.terminate();
    this.workers = this.workers.slice(0, count);
  }

  /**
   * Hands the workers over (this pool holds none afterwards), or throws the error of one that
   * failed while waiting.
   */
  take(): Worker[] {
    const taken = this.workers;
    this.workers = [];
    const dead = taken.filter((w) => this.exited.has(w));
    if (this.failure || dead.length > 0) {
      for (const w of taken) void w.terminate();
      throw this.failure ?? new Error(`a ${this.what} worker exited before it was given any work`);
    }
    return taken;
  }

  /** Ends the workers not taken (a run that never got to its work). */
  close(): void {
    this.keep(0);
  }
}

/**
 * Runs `units` on this thread and on the pool's workers (taken from it; each sent `init`
 * first), each taking the next
 * unit when it is done. This thread works too: it has the code loaded already while a worker
 * may still be loading it, and otherwise it would only wait. `collect` sees every result, in
 * the order they finish; the first error ends every worker and rejects. A unit may be
 * asynchronous (`here` returns a promise: a check reading its files with several reads in
 * flight); each thread still does one unit at a time.
 */
export function runParallel<Init, Unit, Result>(
  pool: WorkerPool,
  init: Init,
  units: readonly Unit[],
  here: (unit: Unit) => Result | Promise<Result>,
  collect: (r: Result) => void,
): Promise<void> {
  const { what } = pool;
  const workers = pool.take();
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(err);
    };
    const finished = () => {
      if (--running === 0 && !failed) resolve();
    };
    const ended = new Set<Worker>();
    const queued = new Map<Worker, number>();
    // A worker holds up to two units: it starts the second the moment it answers the first,
    // instead of idling until this thread, busy with its own unit, gets around to reading the
    // answer. Only while more than one unit a thread is left: at the tail a unit queued behind
    // another would wait while this thread has nothing to do.
    const ahead = () => units.length - next > workers.length + 1;
    const feed = (w: Worker) => {
      if (failed) return;
      if (next < units.length) {
        queued.set(w, (queued.get(w) ?? 0) + 1);
        w.postMessage({ type: 'unit', unit: units[next++]! } satisfies ToWorker<Init, Unit>);
      } else if ((queued.get(w) ?? 0) === 0 && !ended.has(w)) {
        ended.add(w);
        w.postMessage({ type: 'end' } satisfies ToWorker<Init, Unit>);
        finished();
      }
    };
    for (const w of workers) {
      running++;
      w.on('message', (msg: FromWorker<Result>) => {
        if (msg.type === 'error') {
          const err = new Error(msg.message);
          if (msg.stack) err.stack = msg.stack;
          fail(err);
          return;
        }
        queued.set(w, queued.get(w)! - 1);
        try {
          collect(msg.result);
        } catch (err) {
          fail(err as Error);
          return;
        }
        if (queued.get(w) === 0) feed(w);
        if (queued.get(w) === 1 && ahead()) feed(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        // Even with code 0: a worker that leaves before it was told to end took its unit along.
        if ((code !== 0 || !ended.has(w)) && !failed)
          fail(new Error(`${what} worker exited with code ${code} before the run ended`));
      });
      w.postMessage({ type: 'init', init } satisfies ToWorker<Init, Unit>);
      feed(w);
      if (ahead()) feed(w);
    }
    // This thread's share: one unit at a time, yielding between units so the workers'
    // answers are collected and the workers fed while it works.
    running++;
    const step = () => {
      if (failed) return;
      if (next >= units.length) {
        finished();
        return;
      }
      const done = (r: Result) => {
        if (failed) return;
        try {
          collect(r);
        } catch (err) {
          fail(err as Error);
          return;
        }
        setImmediate(step);
      };
      let r: Result | Promise<Result>;
      try {
        r = here(units[next++]!);
      } catch (err) {
        fail(err as Error);
        return;
      }
      if (r instanceof Promise) r.then(done, (err: Error) => fail(err));
      else done(r);
    };
    setImmediate(step);
  });
}

/**
 * The worker side: `setup` turns the init message into what every unit needs, `work` does one
 * unit (or returns a promise of it). Messages are handled one after the other, so an
 * asynchronous unit is done before the next starts. Runs in a worker thread only.
 */
export function serveUnits<Init, Unit, State, Result>(
  setup: (init: Init) => State,
  work: (state: State, unit: Unit) => Result | Promise<Result>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveUnits runs in a worker thread only');
  // Set by the init message, which runParallel sends before any unit.
  let state: State;
  const handle = async (msg: ToWorker<Init, Unit>) => {
    if (msg.type === 'end') {
      port.close();
      return;
    }
    try {
      if (msg.type === 'init') {
        state = setup(msg.init);
        return;
      }
      const result = await work(state, msg.unit);
      port.postMessage({ type: 'done', result } satisfies FromWorker<Result>);
    } catch (err) {
      const e = err as Error;
      port.postMessage({
        type: 'error',
        message: e.message,
        stack: e.stack,
      } satisfies FromWorker<Result>);
    }
  };
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: ToWorker<Init, Unit>) => {
    queue = queue.then(() => handle(msg));
  });
}
