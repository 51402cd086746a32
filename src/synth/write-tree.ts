import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PlatformModel } from '../model/types';
import type { FromWorker, ToWorker } from './synth-worker';
import { DIST_README } from './synthesize';
import { planUnits, unitFiles, type SynthUnit } from './synth-units';
import { commitStaged, listTree, stagingDirs, TreeStager, type WriteStats } from './tree-writer';

export interface SynthToDirOptions {
  /**
   * Threads that synthesize. One builds in this thread; more start worker threads that take
   * units (an environment's shared layers, or 25 of its tenants) from a queue.
   *
   * @default - every available core when the environments hold 200 tenant bundles or more,
   * else 1 (starting a worker costs more than a small repository's whole synth)
   */
  readonly threads?: number;
}

/** What a synth into a folder did. */
export interface SynthStats extends WriteStats {
  /** Files generated per environment. */
  readonly filesByEnvironment: Readonly<Record<string, number>>;
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
  let bytes = 0;
  const collect = (paths: readonly string[], newlyStaged: readonly string[], b: number) => {
    for (const p of paths) {
      if (generated.has(p)) {
        throw new Error(
          `two generated objects map to the same file ${p}; give them distinct names`,
        );
      }
      generated.add(p);
    }
    staged.push(...newlyStaged);
    bytes += b;
  };
  const units = planUnits(model);
  try {
    const readme = new TreeStager(dir, dirs.staging);
    readme.stage('README.md', DIST_README);
    collect(['README.md'], readme.paths, readme.bytes);
    if (threads === 1) {
      for (const unit of units) {
        const stager = new TreeStager(dir, dirs.staging);
        const files = unitFiles(model, unit);
        for (const [rel, content] of files) stager.stage(rel, content);
        collect([...files.keys()], stager.paths, stager.bytes);
      }
    } else {
      await runWorkers(model, dir, dirs.staging, units, threads, collect);
    }
    commitStaged(dir, dirs, staged, existing, generated);
  } catch (err) {
    // Nothing was moved into dir before commitStaged, which undoes its own partial work.
    rmSync(dirs.staging, { recursive: true, force: true });
    throw err;
  }
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
  };
}

const WORKER_BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
const WORKER_ENTRY = new URL('./synth-worker.ts', import.meta.url).href;

/** Runs `units` on `threads` worker threads, each taking the next unit when it is done. */
function runWorkers(
  model: PlatformModel,
  dir: string,
  staging: string,
  units: readonly SynthUnit[],
  threads: number,
  collect: (generated: readonly string[], staged: readonly string[], bytes: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let failed = false;
    const workers: Worker[] = [];
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(err);
    };
    const feed = (w: Worker) => {
      if (failed) return;
      if (next < units.length) {
        w.postMessage({ type: 'unit', unit: units[next++]! } satisfies ToWorker);
      } else {
        w.postMessage({ type: 'end' } satisfies ToWorker);
        if (--running === 0) resolve();
      }
    };
    const count = Math.min(threads, Math.max(1, units.length));
    for (let i = 0; i < count; i++) {
      const w = new Worker(WORKER_BOOT, {
        workerData: { entry: WORKER_ENTRY, model, dir, staging },
      });
      workers.push(w);
      running++;
      w.on('message', (msg: FromWorker) => {
        if (msg.type === 'error') {
          const err = new Error(msg.message);
          if (msg.stack) err.stack = msg.stack;
          fail(err);
          return;
        }
        try {
          collect(msg.generated, msg.staged, msg.bytes);
        } catch (err) {
          fail(err as Error);
          return;
        }
        feed(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0 && !failed) fail(new Error(`synth worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
