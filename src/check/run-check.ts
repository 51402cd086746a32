import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PlatformModel } from '../model/types';
import { sourceOfGenerated } from '../synth/render';
import { siblingModule } from '../synth/sibling-module';
import { DIST_README, synthesizeEnvironment } from '../synth/synthesize';
import { diffTrees, readTree } from '../synth/write';
import { defaultThreads, runParallel, WorkerPool } from '../synth/worker-pool';
import { runGuardrails, type ExceptionUse } from './guardrail-gate';
import { checkObjectSizes } from './object-size';
import { parseManifests } from './parsed-manifests';
import { renderedObject } from '../synth/output';
import { checkPromises } from './promises';
import { SchemaSet, type SchemaSetOptions } from './schemas';
import { checkTerraform } from './terraform-guardrails';
import { validateManifests } from './validate-manifests';

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

/** What a check found: in one environment (`EnvironmentChecker`), or summed over dist/. */
export interface EnvironmentReport {
  readonly findings: readonly Finding[];
  /** Every declared guardrail exception, with what it covered and whether it expired. */
  readonly exceptions: readonly ExceptionUse[];
  readonly guardrailEvaluations: number;
  readonly manifests: number;
  readonly files: number;
}

export interface CheckReport extends EnvironmentReport {
  readonly millis: number;
}

/** One environment's report, as a worker hands it back (results arrive in finishing order). */
export interface CheckedEnvironment {
  readonly env: string;
  readonly report: EnvironmentReport;
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

function driftFindings(fresh: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, string>) {
  const findings: Finding[] = [];
  const drift = diffTrees(fresh, onDisk);
  for (const file of drift.added)
    findings.push({
      check: 'drift',
      severity: 'error',
      file,
      resource: '-',
      message: 'is generated but missing from dist/; run npm run synth and commit',
    });
  for (const file of drift.removed)
    findings.push({
      check: 'drift',
      severity: 'error',
      file,
      resource: '-',
      message: 'is in dist/ but no longer generated; run npm run synth and commit',
    });
  for (const file of drift.changed)
    findings.push({
      check: 'drift',
      severity: 'error',
      file,
      resource: '-',
      message:
        'differs from a fresh synth; do not edit dist/ by hand: run npm run synth and commit',
    });
  return findings;
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

/**
 * Checks one environment folder of the committed `dist/` below `root` at a time: it must
 * equal a fresh synth of that environment byte for byte, and every manifest in it must be
 * valid against its strict schema, within the size limit, and pass the guardrails and the
 * promises. Only one environment's files and objects are held at once; the schema sets (one
 * per Kubernetes version) are kept across environments.
 */
export class EnvironmentChecker {
  private readonly schemas: (file: string) => SchemaSet;

  constructor(
    private readonly root: string,
    private readonly model: PlatformModel,
    /** `YYYY-MM-DD` (UTC): exceptions expire after this day. */
    private readonly today: string,
    /** Folder of compiled validators (CheckOptions.validatorCache). */
    validatorCache: string = validatorCacheDir(root),
  ) {
    this.schemas = schemaSetsFor(model, path.join(root, 'schemas'), {
      cacheDir: validatorCache,
    });
  }

  check(environment: string): CheckedEnvironment {
    const env = this.model.environments.find((e) => e.name === environment);
    if (!env)
      throw new Error(
        `check: no environment "${environment}" in the model (${this.model.environments.map((e) => e.name).join(', ')})`,
      );
    const model: PlatformModel = { environments: [env] };
    const fresh = synthesizeEnvironment(env);
    const onDisk = new Map<string, string>();
    for (const [rel, content] of readTree(path.join(this.root, 'dist', env.name)))
      onDisk.set(`${env.name}/${rel}`, content);
    return { env: env.name, report: checkFiles(model, fresh, onDisk, this.schemas, this.today) };
  }
}

function checkFiles(
  model: PlatformModel,
  fresh: ReadonlyMap<string, string>,
  onDisk: ReadonlyMap<string, string>,
  schemaSets: (file: string) => SchemaSet,
  today: string,
): EnvironmentReport {
  const findings: Finding[] = driftFindings(fresh, onDisk);
  // Parsed once: the schema check and the guardrails read the same documents. A file equal to
  // the fresh synth is read as the object it was rendered from.
  const documents = parseManifests(onDisk, (file, content) =>
    fresh.get(file) === content ? renderedObject(fresh, file) : undefined,
  );
  const schema = validateManifests(documents, schemaSets);
  for (const f of schema.findings) findings.push({ check: 'schema', severity: 'error', ...f });
  for (const f of checkObjectSizes(documents))
    findings.push({ check: 'size', severity: 'error', ...f });
  const terraform = new Map<string, unknown>();
  for (const [file, content] of onDisk) {
    if (!file.endsWith('/terraform/cdk.tf.json')) continue;
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (err) {
      findings.push({
        check: 'terraform',
        severity: 'error',
        file,
        resource: '-',
        message: `is not valid JSON: ${(err as Error).message}`,
      });
      continue;
    }
    terraform.set(file, json);
    for (const f of checkTerraform(file, json)) {
      findings.push({
        check: 'terraform',
        severity: f.severity,
        file,
        resource: f.address,
        message: f.message,
        policy: f.rule,
        remediation: f.remediation,
      });
    }
  }
  const guardrails = runGuardrails(model, documents, today);
  findings.push(...guardrails.findings);
  // Cross-layer: each isolation control against the objects that make it take effect.
  findings.push(...checkPromises(model, documents, terraform, today));
  const withSource = findings.map((f) => {
    const source = f.check === 'drift' ? undefined : sourceOfGenerated(onDisk.get(f.file) ?? '');
    return source ? { ...f, source } : f;
  });
  return {
    findings: withSource,
    exceptions: guardrails.exceptions,
    guardrailEvaluations: guardrails.evaluations,
    manifests: schema.manifests,
    files: onDisk.size,
  };
}

export interface CheckOptions {
  /**
   * Threads that check. One checks in this thread; more start worker threads beside it, and
   * each takes the next environment. Each thread holds the files and objects of the one
   * environment it checks, so peak memory grows with the threads.
   *
   * @default - every available core (at most one an environment) when the environments hold
   * 200 tenant bundles or more, else 1 (starting a worker costs more than a small check)
   */
  readonly threads?: number;
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

const CHECK_WORKER = siblingModule(import.meta.url, 'check-worker');

/** Check worker threads, started before the model is loaded (see WorkerPool). */
export class CheckPool extends WorkerPool {
  /** Starts `count` workers (none for 0); `entry` is the worker module (tests replace it). */
  static start(count: number, entry = CHECK_WORKER): CheckPool {
    return new CheckPool(count, entry, 'check');
  }
}

/** Threads a check uses when the caller does not say: synth's rule, at most one an environment. */
export function defaultCheckThreads(tenantBundles: number, environments: number): number {
  return Math.max(1, Math.min(defaultThreads(tenantBundles), environments));
}

/**
 * Checks the committed `dist/` below `root` against the specs' model: every environment
 * (`EnvironmentChecker`) and what lies outside them (`checkTopLevel`). Findings are in a
 * fixed order (environments in model order) whichever thread finished first.
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
    options.threads ??
    defaultCheckThreads(
      model.environments.reduce((n, e) => n + e.tenants.length, 0),
      model.environments.length,
    );
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`checkDist: threads must be a whole number >= 1, got ${threads}`);
  const units = model.environments.map((e) => e.name);
  const reports = new Map<string, EnvironmentReport>();
  const validatorCache = options.validatorCache ?? validatorCacheDir(root);
  const checker = new EnvironmentChecker(root, model, today, validatorCache);
  const here = (env: string) => checker.check(env);
  const collect = (r: CheckedEnvironment) => reports.set(r.env, r.report);
  const workers = Math.min(threads - 1, Math.max(0, units.length - 1));
  const pool = options.pool ?? CheckPool.start(workers);
  pool.keep(workers);
  if (pool.size === 0) for (const env of units) collect(here(env));
  else
    await runParallel<CheckInit, string, CheckedEnvironment>(
      pool,
      { root, model, today, validatorCache },
      units,
      here,
      collect,
    );
  const parts = [checkTopLevel(root, model), ...units.map((env) => reports.get(env)!)];
  return {
    findings: parts.flatMap((p) => p.findings),
    exceptions: parts.flatMap((p) => p.exceptions),
    guardrailEvaluations: parts.reduce((n, p) => n + p.guardrailEvaluations, 0),
    manifests: parts.reduce((n, p) => n + p.manifests, 0),
    files: parts.reduce((n, p) => n + p.files, 0),
    millis: Math.round(performance.now() - start),
  };
}
