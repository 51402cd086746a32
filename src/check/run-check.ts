import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EnvironmentModel, PlatformModel } from '../model/types';
import { siblingModule } from '../synth/sibling-module';
import { DIST_README } from '../synth/synthesize';
import { listTree } from '../synth/tree-writer';
import { readTree } from '../synth/write';
import { defaultThreads, runParallel, WorkerPool } from '../synth/worker-pool';
import {
  driftFindings,
  planCheckUnits,
  UnitChecker,
  type CheckedUnit,
  type CheckUnit,
} from './check-units';
import { exceptionReport, type ExceptionUse } from './guardrail-gate';
import { findingKey, PROMISES } from './promises';
import { SchemaSet, type SchemaSetOptions } from './schemas';

/** A problem `npm run check` reports, grouped by file in its output. */
export interface Finding {
  readonly check: 'drift' | 'schema' | 'size' | 'terraform' | 'guardrail' | 'promise';
  readonly file: string;
  readonly resource: string;
  readonly message: string;
  /** Policy or rule id, for guardrail and Terraform findings. */
  readonly policy?: string;
  readonly remediation?: string;
  /** Only errors fail the check; warnings are reported. */
  readonly severity: 'error' | 'warning';
  /** The spec the file was generated from (its header), so the fix lands in the right file. */
  readonly source?: string;
}

/** What a check counted over some files of dist/ (a unit, an environment, all of it). */
export interface CheckCounts {
  readonly guardrailEvaluations: number;
  readonly manifests: number;
  readonly files: number;
}

/** The counts of `parts` added up. */
export function sumCounts(parts: readonly CheckCounts[]): CheckCounts {
  return {
    guardrailEvaluations: parts.reduce((n, p) => n + p.guardrailEvaluations, 0),
    manifests: parts.reduce((n, p) => n + p.manifests, 0),
    files: parts.reduce((n, p) => n + p.files, 0),
  };
}

/** What a check found: in one environment (its units summed), or over dist/. */
export interface EnvironmentReport extends CheckCounts {
  readonly findings: readonly Finding[];
  /** Every declared guardrail exception, with what it covered and whether it expired. */
  readonly exceptions: readonly ExceptionUse[];
}

export interface CheckReport extends EnvironmentReport {
  readonly millis: number;
}

/** One SchemaSet per Kubernetes version, shared by every environment on that version. */
export function schemaSetsFor(
  model: PlatformModel,
  schemasDir: string,
  options: SchemaSetOptions = {},
): (file: string) => SchemaSet {
  const byVersion = new Map<string, SchemaSet>();
  const versionOf = new Map(
    model.environments.map((e) => [e.name, e.spec.cluster.kubernetesVersion]),
  );
  return (file) => {
    const env = file.split('/')[0]!;
    const version = versionOf.get(env);
    if (!version)
      throw new Error(
        `${file} is not below an environment folder of dist/ (${[...versionOf.keys()].join(', ')})`,
      );
    let set = byVersion.get(version);
    if (!set) {
      set = SchemaSet.load(schemasDir, version, options);
      byVersion.set(version, set);
    }
    return set;
  };
}

/**
 * Where the check keeps compiled schema validators: beside the other tool caches in
 * node_modules, so a fresh clone (and `npm ci`) starts without them and nothing is committed.
 */
export function validatorCacheDir(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'agentic-platform', 'validators');
}

/**
 * Checks what `dist/` holds outside the environment folders: its README, and any file or
 * folder that no environment generates (drift only: nothing there is applied).
 */
export function checkTopLevel(root: string, model: PlatformModel): EnvironmentReport {
  const distDir = path.join(root, 'dist');
  const environments = new Set(model.environments.map((e) => e.name));
  const onDisk = new Map<string, string>();
  if (existsSync(distDir))
    for (const name of readdirSync(distDir)) {
      if (environments.has(name)) continue;
      if (statSync(path.join(distDir, name)).isDirectory()) {
        for (const [rel, content] of readTree(path.join(distDir, name)))
          onDisk.set(`${name}/${rel}`, content);
      } else onDisk.set(name, readFileSync(path.join(distDir, name), 'utf8'));
    }
  return {
    findings: driftFindings(new Map([['README.md', DIST_README]]), onDisk),
    exceptions: [],
    guardrailEvaluations: 0,
    manifests: 0,
    files: onDisk.size,
  };
}

export interface CheckOptions {
  /**
   * Threads that check. One checks in this thread; more start worker threads beside it, and
   * each takes the next unit (check-units.ts: an environment's platform part, or 25 of its
   * tenants). Each thread holds one unit's files and objects at a time, and the platform's
   * objects of each environment it met.
   *
   * @default - every available core when the environments hold 200 tenant bundles or more,
   * else 1 (starting a worker costs more than a small check)
   */
  readonly threads?: number;
  /**
   * Tenants a unit checks together. Any size gives the same report (tests check it with 1).
   *
   * @default TENANTS_PER_UNIT (25, as synth's units)
   */
  readonly tenantsPerUnit?: number;
  /**
   * Worker threads started earlier (`CheckPool.start`, before the model was loaded). Used
   * instead of starting workers here; the ones not needed are ended. Either way every worker
   * has ended when the check returns or throws.
   *
   * @default - workers are started here when threads > 1
   */
  readonly pool?: CheckPool;
  /**
   * Folder of compiled schema validators (schemas.ts), shared by every thread. Entries are
   * named by the hash of what they were compiled from, so one folder serves every checkout
   * and --root: the CLI keeps it in the user's cache, where the first check of a fresh clone
   * finds what an earlier one compiled (~5 s a thread otherwise).
   *
   * @default - `validatorCacheDir(root)`, in `root`'s node_modules/.cache
   */
  readonly validatorCache?: string;
}

/** What a check worker is sent first. */
export interface CheckInit {
  readonly root: string;
  readonly model: PlatformModel;
  readonly today: string;
  readonly validatorCache: string;
}

/** A unit with its place in the plan, so results that arrive in finishing order are placed. */
export interface PlannedUnit {
  readonly index: number;
  readonly unit: CheckUnit;
}

/** One unit's findings, as a worker hands them back. */
export interface PlannedResult {
  readonly index: number;
  readonly result: CheckedUnit;
}

/** The checker a thread uses: its schema sets load once, whichever units it gets. */
export function unitChecker(init: CheckInit): UnitChecker {
  const schemas = schemaSetsFor(init.model, path.join(init.root, 'schemas'), {
    cacheDir: init.validatorCache,
  });
  return new UnitChecker(init.root, init.model, init.today, schemas);
}

const CHECK_WORKER = siblingModule(import.meta.url, 'check-worker');

/** Check worker threads, started before the model is loaded (see WorkerPool). */
export class CheckPool extends WorkerPool {
  /** Starts `count` workers (none for 0); `entry` is the worker module (tests replace it). */
  static start(count: number, entry = CHECK_WORKER): CheckPool {
    return new CheckPool(count, entry, 'check');
  }
}

/**
 * Checks the committed `dist/` below `root` against the specs' model: every environment, in
 * units (check-units.ts), the files of it no unit generates (`UnitChecker.checkStale`), and
 * what lies outside the environments (`checkTopLevel`). Findings are in a fixed order
 * (environments in model order, units in plan order) whichever thread finished first.
 */
export async function checkDist(
  root: string,
  model: PlatformModel,
  /** `YYYY-MM-DD` (UTC): exceptions expire after this day. */
  today: string,
  options: CheckOptions = {},
): Promise<CheckReport> {
  try {
    return await checkWith(root, model, today, options);
  } finally {
    options.pool?.close();
  }
}

async function checkWith(
  root: string,
  model: PlatformModel,
  today: string,
  options: CheckOptions,
): Promise<CheckReport> {
  const start = performance.now();
  const threads =
    options.threads ?? defaultThreads(model.environments.reduce((n, e) => n + e.tenants.length, 0));
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`checkDist: threads must be a whole number >= 1, got ${threads}`);
  const units: PlannedUnit[] = planCheckUnits(model, options.tenantsPerUnit).map((unit, index) => ({
    index,
    unit,
  }));
  const results: CheckedUnit[] = [];
  const init: CheckInit = {
    root,
    model,
    today,
    validatorCache: options.validatorCache ?? validatorCacheDir(root),
  };
  const checker = unitChecker(init);
  const here = async ({ index, unit }: PlannedUnit): Promise<PlannedResult> => ({
    index,
    result: await checker.check(unit),
  });
  const collect = (r: PlannedResult) => (results[r.index] = r.result);
  const workers = Math.min(threads - 1, Math.max(0, units.length - 1));
  const pool = options.pool ?? CheckPool.start(workers);
  pool.keep(workers);
  if (pool.size === 0) for (const u of units) collect(await here(u));
  else await runParallel<CheckInit, PlannedUnit, PlannedResult>(pool, init, units, here, collect);
  const parts = [
    checkTopLevel(root, model),
    ...model.environments.map((env, i) => {
      const own = units.filter((u) => u.unit.env === i).map((u) => results[u.index]!);
      return environmentReport(env, own, checker.checkStale(i, staleFiles(root, env, own)), today);
    }),
  ];
  return {
    findings: parts.flatMap((p) => p.findings),
    exceptions: parts.flatMap((p) => p.exceptions),
    ...sumCounts(parts),
    millis: Math.round(performance.now() - start),
  };
}

/** The files of dist/<env> (path relative to dist/ → content) that none of its units generated. */
function staleFiles(
  root: string,
  env: EnvironmentModel,
  results: readonly CheckedUnit[],
): Map<string, string> {
  const generated = new Set<string>();
  for (const r of results) for (const file of r.generated) generated.add(file);
  const dir = path.join(root, 'dist', env.name);
  const stale = new Map<string, string>();
  for (const rel of [...listTree(dir)].sort()) {
    const file = `${env.name}/${rel}`;
    if (!generated.has(file)) stale.set(file, readFileSync(path.join(dir, rel), 'utf8'));
  }
  return stale;
}

const ENVIRONMENT_WIDE = new Set(PROMISES.filter((p) => p.environmentWide).map((p) => p.id));

/**
 * One environment's report from its units' (in plan order) and its stale files': a promise
 * finding several units found is reported once, an environment-wide promise's findings as the
 * unit whose control comes first in file order found them (IsolationPromise), and each
 * exception judged on what it covered in all of them.
 */
function environmentReport(
  env: EnvironmentModel,
  units: readonly CheckedUnit[],
  stale: CheckedUnit,
  today: string,
): EnvironmentReport {
  const all = [...units, stale];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const once = (f: Finding) => {
    const key = findingKey(f);
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };
  // An environment-wide promise's findings at the first control file in file order, by id.
  const wide = new Map<string, Finding[]>();
  const uses = env.exceptions.map(() => 0);
  for (const r of all) {
    r.uses.forEach((n, i) => (uses[i]! += n));
    for (const f of r.findings) {
      if (f.check !== 'promise') findings.push(f);
      else if (!ENVIRONMENT_WIDE.has(f.policy!)) once(f);
      else {
        const found = wide.get(f.policy!);
        const first = found?.[0]?.file;
        if (first === undefined || f.file.localeCompare(first) < 0) wide.set(f.policy!, [f]);
        else if (f.file === first) found!.push(f);
      }
    }
  }
  for (const list of wide.values()) list.forEach(once);
  const exceptions = exceptionReport(env, uses, today);
  findings.push(...exceptions.findings);
  return { findings, exceptions: exceptions.exceptions, ...sumCounts(all) };
}
