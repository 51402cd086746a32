import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PlatformModel } from '../model/types';
import { pruneBundleCache, type BundleCacheOptions } from './bundle-cache';
import type { FromWorker, ToWorker } from './synth-worker';
import { DIST_README } from './synthesize';
import { planUnits, UnitBuilder, type SynthUnit, type UnitResult } from './synth-units';
import { commitStaged, listTree, stagingDirs, TreeStager, type WriteStats } from './tree-writer';

export interface SynthToDirOptions {
  /**
   * Threads that synthesize. One builds in this thread; more start worker threads beside it,
   * and this thread and the workers each take the next unit (an environment's shared layers,
   * or 25 of its tenants) from one queue.
   *
   * @default - every available core when the environments hold 200 tenant bundles or more,
   * else 1 (starting a worker costs more than a small repository's whole synth)
   */
  readonly threads?: number;
  /**
   * Takes tenant bundles whose inputs and code are unchanged from this cache instead of
   * building them again, stores the ones it builds, and prunes entries no bundle uses any
   * more once the synth committed. The bytes are the same either way.
   *
   * @default - no cache: every bundle is built
   */
  readonly cache?: BundleCacheOptions;
  /**
   * Worker threads started earlier (`SynthPool.start`, before the model was loaded, so they
   * loaded the code meanwhile). Used instead of starting workers here; the ones not needed
   * are ended. Either way every worker has ended when the synth returns or throws.
   *
   * @default - workers are started here when threads > 1
   */
  readonly pool?: SynthPool;
}

/** What a synth into a folder did. */
export interface SynthStats extends WriteStats {
  /** Files generated per environment. */
  readonly filesByEnvironment: Readonly<Record<string, number>>;
  /** `<env>/<tenant>` of each tenant bundle built through cdk8s, sorted. */
  readonly bundlesBuilt: readonly string[];
  /** Tenant bundles taken from the cache. */
  readonly bundlesCached: number;
}

/** Tenant bundles (summed over environments) from which `threads` defaults to every core. */
export const PARALLEL_FROM_BUNDLES = 200;

/**
 * Synthesizes `model` into `dir` (dist/): writes only files whose bytes changed, removes the
 * files no longer generated, and leaves every other file alone (no delete-and-rewrite). New
 * and changed files are staged beside `dir` first and moved in only after every unit
 * succeeded, so a failed synth leaves `dir` untouched. The bytes are those of `synthesize`.
 */
export async function synthesizeToDir(
  model: PlatformModel,
  dir: string,
  options: SynthToDirOptions = {},
): Promise<SynthStats> {
  try {
    return await synthesizeWith(model, dir, options);
  } finally {
    options.pool?.close();
  }
}

async function synthesizeWith(
  model: PlatformModel,
  dir: string,
  options: SynthToDirOptions,
): Promise<SynthStats> {
  const bundles = model.environments.reduce((n, e) => n + e.tenants.length, 0);
  const threads =
    options.threads ?? (bundles >= PARALLEL_FROM_BUNDLES ? availableParallelism() : 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`synthesizeToDir: threads must be a whole number >= 1, got ${threads}`);
  }
  const dirs = stagingDirs(dir, `${process.pid}-${Date.now()}`);
  const existing = listTree(dir);
  const generated = new Set<string>();
  const staged: string[] = [];
  const built: string[] = [];
  const keys = new Set<string>();
  let cached = 0;
  let bytes = 0;
  const collect = (r: Collected) => {
    built.push(...r.built);
    for (const k of r.keys) keys.add(k);
    cached += r.cached;
    for (const p of r.generated) {
      if (generated.has(p)) {
        throw new Error(
          `two generated objects map to the same file ${p}; give them distinct names`,
        );
      }
      generated.add(p);
    }
    staged.push(...r.staged);
    bytes += r.bytes;
  };
  const units = planUnits(model);
  try {
    const readme = new TreeStager(dir, dirs.staging);
    readme.stage('README.md', DIST_README);
    collect({
      generated: ['README.md'],
      staged: readme.paths,
      bytes: readme.bytes,
      built: [],
      cached: 0,
      keys: [],
    });
    const builder = new UnitBuilder(model, options.cache);
    const here = (unit: SynthUnit) => stageUnit(builder.build(unit), dir, dirs.staging);
    const workers = Math.min(threads - 1, Math.max(0, units.length - 1));
    const pool = options.pool ?? SynthPool.start(workers);
    pool.keep(workers);
    if (pool.size === 0) {
      for (const unit of units) collect(here(unit));
    } else {
      const init: ToWorker = {
        type: 'init',
        model,
        dir,
        staging: dirs.staging,
        cache: options.cache,
      };
      await runParallel(pool.take(), init, units, here, collect);
    }
    commitStaged(dir, dirs, staged, existing, generated);
  } catch (err) {
    // Nothing was moved into dir before commitStaged, which undoes its own partial work.
    rmSync(dirs.staging, { recursive: true, force: true });
    throw err;
  }
  // Only after the commit: a failed synth keeps the entries the old dist/ was built from.
  if (options.cache) pruneBundleCache(options.cache.dir, keys);
  const filesByEnvironment: Record<string, number> = {};
  for (const p of generated) {
    const env = p.split('/')[0]!;
    if (p.includes('/')) filesByEnvironment[env] = (filesByEnvironment[env] ?? 0) + 1;
  }
  return {
    filesByEnvironment,
    files: generated.size,
    bytes,
    written: staged.length,
    removed: [...existing].filter((p) => !generated.has(p)).length,
    bundlesBuilt: built.sort(),
    bundlesCached: cached,
  };
}

/** What building and staging one unit produced, as a worker reports it. */
export interface Collected {
  readonly generated: readonly string[];
  readonly staged: readonly string[];
  readonly bytes: number;
  readonly built: readonly string[];
  readonly cached: number;
  readonly keys: readonly string[];
}

/** Compares a built unit's files with `dir` and stages the changed ones below `staging`. */
export function stageUnit(result: UnitResult, dir: string, staging: string): Collected {
  const stager = new TreeStager(dir, staging);
  for (const [rel, content] of result.files) stager.stage(rel, content);
  return {
    generated: [...result.files.keys()],
    staged: stager.paths,
    bytes: stager.bytes,
    built: result.built,
    cached: result.cached,
    keys: result.keys,
  };
}

const WORKER_BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
const WORKER_ENTRY = new URL('./synth-worker.ts', import.meta.url).href;

/**
 * Synth worker threads, started before there is anything to give them: a worker spends
 * seconds loading the code (at 1,000 tenants about as long as loading the specs takes), so a
 * caller that starts them first has them ready when the model is.
 */
export class SynthPool {
  private workers: Worker[];
  /** The first error of a worker before it was taken (it failed to load, say). */
  private failure: Error | undefined;
  private readonly exited = new Set<Worker>();

  private constructor(workers: Worker[]) {
    this.workers = workers;
    for (const w of workers) {
      // Listened to from the start: an error event nobody listens to would crash the process.
      w.once('error', (err) => (this.failure ??= err));
      w.once('exit', () => this.exited.add(w));
    }
  }

  /** Starts `count` workers (none for 0); `entry` is the worker module (tests replace it). */
  static start(count: number, entry = WORKER_ENTRY): SynthPool {
    return new SynthPool(
      Array.from({ length: count }, () => new Worker(WORKER_BOOT, { workerData: { entry } })),
    );
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
      throw this.failure ?? new Error('a synth worker exited before it was given any work');
    }
    return taken;
  }

  /** Ends the workers not taken (a run that never got to synthesize). */
  close(): void {
    this.keep(0);
  }
}

/**
 * Runs `units` on this thread and on `workers` (each sent `init` first), each taking the next
 * unit when it is done. This thread builds too: it has the code loaded already while a worker
 * may still be loading it, and otherwise it would only wait.
 */
function runParallel(
  workers: readonly Worker[],
  init: ToWorker,
  units: readonly SynthUnit[],
  here: (unit: SynthUnit) => Collected,
  collect: (r: Collected) => void,
): Promise<void> {
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
    const feed = (w: Worker) => {
      if (failed) return;
      if (next < units.length) {
        w.postMessage({ type: 'unit', unit: units[next++]! } satisfies ToWorker);
      } else {
        ended.add(w);
        w.postMessage({ type: 'end' } satisfies ToWorker);
        finished();
      }
    };
    for (const w of workers) {
      running++;
      w.on('message', (msg: FromWorker) => {
        if (msg.type === 'error') {
          const err = new Error(msg.message);
          if (msg.stack) err.stack = msg.stack;
          fail(err);
          return;
        }
        try {
          collect(msg);
        } catch (err) {
          fail(err as Error);
          return;
        }
        feed(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        // Even with code 0: a worker that leaves before it was told to end took its unit along.
        if ((code !== 0 || !ended.has(w)) && !failed)
          fail(new Error(`synth worker exited with code ${code} before the run ended`));
      });
      w.postMessage(init);
      feed(w);
    }
    // This thread's share: one unit at a time, yielding between units so the workers'
    // answers are collected and the workers fed while it builds.
    running++;
    const step = () => {
      if (failed) return;
      if (next >= units.length) {
        finished();
        return;
      }
      try {
        collect(here(units[next++]!));
      } catch (err) {
        fail(err as Error);
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}
