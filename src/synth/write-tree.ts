import { rmSync } from 'node:fs';
import path from 'node:path';
import type { PlatformModel } from '../model/types';
import { pruneBundleCache, type BundleCacheOptions } from './bundle-cache';
import { DistIndex, encodeIndexEntry, statIndexed, type IndexedFile } from './dist-index';
import { DistTree } from './dist-tree';
import type { SynthInit } from './synth-worker';
import { DIST_README } from './synthesize';
import { planUnits, UnitBuilder, type SynthUnit, type UnitResult } from './synth-units';
import { commitStaged, listTree, stagingDirs, TreeStager, type WriteStats } from './tree-writer';
import { siblingModule } from './sibling-module';
import { defaultThreads, runParallel, WorkerPool } from './worker-pool';

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
   * With a cache: the file of the dist index (dist-index.ts). Bundles whose key is unchanged
   * and whose files still have the size and time this synth's predecessor left them with are
   * neither read from the cache nor compared; after the commit the index is rewritten.
   *
   * @default - no index: every cached bundle is read and compared with dist/
   */
  readonly indexFile?: string;
  /**
   * With a cache: the file of the dist tree (dist-tree.ts). The files dist/ holds (to remove
   * the stale ones) are learned from it, reading only the folders whose ctime changed since
   * this synth's predecessor recorded them; after the commit it is recorded again.
   *
   * @default - no tree: every folder of dist/ is listed
   */
  readonly treeFile?: string;
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
  /**
   * Layers' environment parts taken from the cache instead of built (with a cache: all but
   * those whose environment, tenant facts or code changed).
   */
  readonly environmentPartsCached: number;
}

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
  const threads = options.threads ?? defaultThreads(bundles);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`synthesizeToDir: threads must be a whole number >= 1, got ${threads}`);
  }
  const dirs = stagingDirs(dir, `${process.pid}-${Date.now()}`);
  let existing: Set<string> | undefined;
  let removed = 0;
  const generated = new Set<string>();
  const staged: string[] = [];
  const built: string[] = [];
  const keys = new Set<string>();
  const indexed = new Map<string, string>();
  const indexFile = options.cache ? options.indexFile : undefined;
  const treeFile = options.cache ? options.treeFile : undefined;
  const listDist = () =>
    treeFile === undefined ? listTree(dir) : DistTree.load(treeFile, dir).list();
  let cached = 0;
  let sharedCached = 0;
  let bytes = 0;
  const collect = (r: Collected) => {
    built.push(...r.built);
    for (const k of r.keys) keys.add(k);
    for (const [k, files] of r.indexed) indexed.set(k, files);
    cached += r.cached;
    sharedCached += r.sharedCached;
    for (const p of r.generated) {
      if (generated.has(p)) {
        throw new Error(
          `two generated objects map to the same file ${p}; give them distinct names`,
        );
      }
      generated.add(p);
    }
    // By position: the path string the set holds, not a second copy of it from the message.
    for (const i of r.staged) staged.push(r.generated[i]!);
    bytes += r.bytes;
  };
  const units = planUnits(model);
  try {
    const readme = new TreeStager(dir, dirs.staging);
    readme.stage('README.md', DIST_README);
    collect({
      generated: ['README.md'],
      staged: readme.paths.length > 0 ? [0] : [],
      bytes: readme.bytes,
      built: [],
      cached: 0,
      sharedCached: 0,
      keys: [],
      indexed: [],
    });
    const index = indexFile === undefined ? undefined : DistIndex.load(indexFile, dir);
    const builder = new UnitBuilder(model, options.cache, index);
    const here = (unit: SynthUnit) => stageUnit(builder.build(unit), dir, dirs.staging);
    const workers = Math.min(threads - 1, Math.max(0, units.length - 1));
    const pool = options.pool ?? SynthPool.start(workers);
    pool.keep(workers);
    if (pool.size === 0) {
      for (const unit of units) collect(here(unit));
      existing = listDist();
    } else {
      const init: SynthInit = {
        model,
        dir,
        staging: dirs.staging,
        cache: options.cache,
        indexFile,
      };
      const run = runParallel(pool, init, units, here, collect);
      // The workers have their first units: this thread lists dist/ (only the commit needs
      // the list) while they build, then takes units itself.
      try {
        existing = listDist();
      } catch (err) {
        await run.catch(() => undefined);
        throw err;
      }
      await run;
    }
    removed = commitStaged(dir, dirs, staged, existing, generated);
  } catch (err) {
    // Nothing was moved into dir before commitStaged, which undoes its own partial work.
    rmSync(dirs.staging, { recursive: true, force: true });
    throw err;
  }
  // Only after the commit: a failed synth keeps the entries the old dist/ was built from (and
  // the index, whose times those files still have).
  if (options.cache) pruneBundleCache(options.cache.dir, keys);
  if (indexFile !== undefined) DistIndex.write(indexFile, dir, indexed);
  if (treeFile !== undefined) DistTree.write(treeFile, dir, generated);
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
    removed,
    bundlesBuilt: built.sort(),
    bundlesCached: cached,
    environmentPartsCached: sharedCached,
  };
}

/** What building and staging one unit produced, as a worker reports it. */
export interface Collected {
  readonly generated: readonly string[];
  /**
   * The staged ones, by position in `generated`: at 10,000 tenants a full synth stages 1.4
   * million files, and their paths are held once, not once more as sent.
   */
  readonly staged: readonly number[];
  readonly bytes: number;
  readonly built: readonly string[];
  readonly cached: number;
  readonly sharedCached: number;
  readonly keys: readonly string[];
  /** Each cached bundle's files for the next dist index, with their stat data, encoded. */
  readonly indexed: readonly (readonly [key: string, files: string])[];
}

/**
 * Compares a built unit's files with `dir` and stages the changed ones below `staging`, and
 * stats the files of each bundle the index does not know yet (the staged copy for a staged
 * one), here in the thread that just touched them rather than after the commit.
 */
export function stageUnit(result: UnitResult, dir: string, staging: string): Collected {
  const stager = new TreeStager(dir, staging);
  const staged = new Set<string>();
  const positions: number[] = [];
  let i = 0;
  for (const [rel, content] of result.files) {
    if (stager.stage(rel, content)) {
      staged.add(rel);
      positions.push(i);
    }
    i++;
  }
  const indexed: [string, string][] = [];
  for (const [key, files] of result.indexed) {
    if (typeof files === 'string') {
      indexed.push([key, files]);
      continue;
    }
    const entries = files.map((f) => statIndexed(path.join(staged.has(f) ? staging : dir, f), f));
    // A file gone meanwhile leaves its bundle out: compared next time.
    if (entries.every((e) => e !== undefined))
      indexed.push([key, encodeIndexEntry(entries as IndexedFile[])]);
  }
  return {
    generated: [...result.files.keys(), ...result.unchanged],
    staged: positions,
    bytes: stager.bytes + result.unchangedBytes,
    built: result.built,
    cached: result.cached,
    sharedCached: result.sharedCached,
    keys: result.keys,
    indexed,
  };
}

const WORKER_ENTRY = siblingModule(import.meta.url, 'synth-worker');

/** Synth worker threads, started before the model is loaded (see WorkerPool). */
export class SynthPool extends WorkerPool {
  /** Starts `count` workers (none for 0); `entry` is the worker module (tests replace it). */
  static start(count: number, entry = WORKER_ENTRY): SynthPool {
    return new SynthPool(count, entry, 'synth');
  }
}
