import { readFile } from 'node:fs';
import path from 'node:path';
import { environmentShared } from '../model/environment-shared';
import type { EnvironmentModel, PlatformModel } from '../model/types';
import { bundleContext } from '../synth/layer';
import { carryRenderedObject, renderedObject, type OutputFiles } from '../synth/output';
import { sourceOfGenerated } from '../synth/render';
import { TENANT_PARTS, TENANTS_PER_UNIT, tenantGroups } from '../synth/synth-units';
import { LAYERS } from '../synth/synthesize';
import { diffTrees } from '../synth/write';
import { evaluateGuardrails, namespacesOf, type GuardedObject } from './guardrail-gate';
import { checkObjectSizes } from './object-size';
import { parseManifests, type ParsedDocument } from './parsed-manifests';
import { promiseFindings, type Located } from './promises';
import type { CheckCounts, Finding } from './run-check';
import type { SchemaSet } from './schemas';
import { checkTerraform } from './terraform-guardrails';
import { validateManifests } from './validate-manifests';

/**
 * A part of one environment `npm run check` checks on its own: the platform (every layer's
 * environment part: everything no one tenant owns, the Terraform included), or some of its
 * tenants (everything each owns: its bundle and its objects in the other layers). Parts hold
 * disjoint files, so any thread checks any part in any order, and a thread holds one part's
 * files and objects at a time (with the platform's objects of the environments it met, which
 * do not grow with the tenants) instead of a whole environment's: at 1,000 tenants an
 * environment held about 0.8 GiB, and three environments on two threads left one thread idle
 * for a third of the run.
 */
export type CheckUnit =
  | { readonly env: number; readonly part: 'platform' }
  | { readonly env: number; readonly part: 'tenants'; readonly tenants: readonly number[] };

/**
 * Every unit of `model`: the environments' platform parts first (each holds its Terraform
 * checks, the longest of the parts), then each environment's tenants `tenantsPerUnit` at a
 * time (by default synth's TENANTS_PER_UNIT), in the environment's order.
 */
export function planCheckUnits(
  model: PlatformModel,
  tenantsPerUnit: number = TENANTS_PER_UNIT,
): CheckUnit[] {
  if (!Number.isInteger(tenantsPerUnit) || tenantsPerUnit < 1)
    throw new Error(
      `planCheckUnits: tenantsPerUnit must be a whole number >= 1, got ${tenantsPerUnit}`,
    );
  const units: CheckUnit[] = model.environments.map((_, env) => ({ env, part: 'platform' }));
  model.environments.forEach((e, env) => {
    for (const tenants of tenantGroups(e.tenants.length, tenantsPerUnit))
      units.push({ env, part: 'tenants', tenants });
  });
  return units;
}

/** What checking one unit found, as a worker hands it back. */
export interface CheckedUnit extends CheckCounts {
  readonly findings: readonly Finding[];
  /** Findings each of the environment's exceptions covered here, by index. */
  readonly uses: readonly number[];
  /**
   * Every file it generates, relative to dist/ (`files` counts the ones dist/ holds): the
   * files of dist/<env> no unit generates are stale (`UnitChecker.checkStale`).
   */
  readonly generated: readonly string[];
}

/** A manifest as both the guardrails and the promises read it (an object with a kind). */
type CheckedObject = Located & GuardedObject;

/** The platform's side of every tenant unit's view: what a promise may read besides a tenant. */
interface PlatformView {
  readonly objects: readonly CheckedObject[];
  readonly namespaces: ReadonlyMap<string, GuardedObject['obj']>;
  readonly terraform: Record<string, unknown> | undefined;
  /** The spec each platform file names in its header, for findings that point at one. */
  readonly sources: ReadonlyMap<string, string>;
}

/** One unit's files: generated, as dist/ holds them, and parsed. */
interface Loaded {
  readonly fresh: ReadonlyMap<string, string>;
  readonly onDisk: ReadonlyMap<string, string>;
  readonly documents: readonly ParsedDocument[];
}

/** Drift findings of generated files (`fresh`) against what dist/ holds of them. */
export function driftFindings(
  fresh: ReadonlyMap<string, string>,
  onDisk: ReadonlyMap<string, string>,
): Finding[] {
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

const sortByFile = <T extends { readonly file: string }>(list: T[]): T[] =>
  list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

/**
 * Checks units of one model against the committed `dist/` below `root`: each unit's files
 * must equal a fresh synth of that unit byte for byte, and every manifest in them must be
 * valid against its strict schema, within the size limit, and pass the guardrails and the
 * promises. A tenant unit's guardrails see the platform's Namespaces besides its own, and its
 * promises the platform's objects and Terraform: read once a thread and environment. One a
 * thread.
 */
export class UnitChecker {
  private readonly platforms = new Map<number, PlatformView>();

  constructor(
    private readonly root: string,
    private readonly model: PlatformModel,
    /** `YYYY-MM-DD` (UTC): exceptions expire after this day. */
    private readonly today: string,
    /** The schema set for a file of dist/ (schemaSetsFor). */
    private readonly schemas: (file: string) => SchemaSet,
  ) {}

  async check(unit: CheckUnit): Promise<CheckedUnit> {
    const env = this.environment(unit.env);
    const own = await this.load(env, unit);
    const findings = driftFindings(own.fresh, own.onDisk);
    const schema = validateManifests(own.documents, this.schemas);
    for (const f of schema.findings) findings.push({ check: 'schema', severity: 'error', ...f });
    for (const f of checkObjectSizes(own.documents))
      findings.push({ check: 'size', severity: 'error', ...f });
    const terraform = this.terraform(own.onDisk, findings);
    const objects = sortByFile(located(own.documents));
    let platform: PlatformView;
    let viewObjects: readonly Located[];
    let namespaces: ReadonlyMap<string, GuardedObject['obj']>;
    if (unit.part === 'platform') {
      platform = this.remember(unit.env, own, objects, terraform);
      viewObjects = objects;
      namespaces = platform.namespaces;
    } else {
      platform = await this.platform(unit.env);
      viewObjects = sortByFile([...platform.objects, ...objects]);
      namespaces = new Map([...platform.namespaces, ...namespacesOf(objects)]);
    }
    const guardrails = evaluateGuardrails(env, objects, namespaces, this.today);
    findings.push(...guardrails.findings);
    // Cross-layer: each isolation control against the objects that make it take effect.
    findings.push(
      ...promiseFindings({
        env,
        objects: viewObjects,
        terraformFile: `${env.name}/terraform/cdk.tf.json`,
        terraform: platform.terraform,
        today: this.today,
      }),
    );
    const sourceOf = (file: string) => {
      const content = own.onDisk.get(file);
      return content === undefined ? platform.sources.get(file) : sourceOfGenerated(content);
    };
    return {
      findings: withSources(findings, sourceOf),
      uses: guardrails.uses,
      guardrailEvaluations: guardrails.evaluations,
      manifests: schema.manifests,
      files: own.onDisk.size,
      generated: [...own.fresh.keys()],
    };
  }

  /**
   * Files of dist/<env> (`files`, relative to dist/) that no unit generates: each is drift,
   * and its manifests are still parsed, validated and measured (Argo CD would apply them),
   * but no guardrail or promise reads them: they belong to no unit's view, and the drift
   * fails the check by itself (synth removes them).
   */
  checkStale(env: number, files: ReadonlyMap<string, string>): CheckedUnit {
    const e = this.environment(env);
    const findings = driftFindings(new Map(), files);
    const documents = parseManifests(files);
    const schema = validateManifests(documents, this.schemas);
    for (const f of schema.findings) findings.push({ check: 'schema', severity: 'error', ...f });
    for (const f of checkObjectSizes(documents))
      findings.push({ check: 'size', severity: 'error', ...f });
    return {
      findings: withSources(findings, (file) => sourceOfGenerated(files.get(file) ?? '')),
      uses: e.exceptions.map(() => 0),
      guardrailEvaluations: 0,
      manifests: schema.manifests,
      files: files.size,
      generated: [],
    };
  }

  private environment(index: number): EnvironmentModel {
    const env = this.model.environments[index];
    if (!env)
      throw new Error(
        `check: no environment #${index} in the model, which has ${this.model.environments.length} (${this.model.environments.map((e) => e.name).join(', ')})`,
      );
    return env;
  }

  /** The unit's files: synthesized, read from dist/ (the ones it holds), parsed. */
  private async load(env: EnvironmentModel, unit: CheckUnit): Promise<Loaded> {
    const out: OutputFiles = new Map();
    if (unit.part === 'platform') {
      const shared = environmentShared(env);
      for (const layer of LAYERS) layer.parts.environment?.(shared, out);
    } else {
      const context = bundleContext(env);
      for (const i of unit.tenants) {
        const tenant = env.tenants[i];
        if (!tenant)
          throw new Error(
            `check: environment ${env.name} has no tenant #${i} (it has ${env.tenants.length})`,
          );
        for (const part of TENANT_PARTS) part(context, tenant, out);
      }
    }
    const fresh = new Map<string, string>();
    for (const p of [...out.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      fresh.set(`${env.name}/${p}`, out.get(p)!);
      carryRenderedObject(out, p, fresh, `${env.name}/${p}`);
    }
    // All of the unit's reads in flight at once (libuv's pool serves them): at 10,000 tenants
    // dist/ outgrows the page cache, and reading one file at a time left both threads waiting
    // on the disk two thirds of the time.
    const contents = await Promise.all(
      [...fresh.keys()].map((file) => readIfFile(path.join(this.root, 'dist', file))),
    );
    const onDisk = new Map<string, string>();
    let i = 0;
    for (const file of fresh.keys()) {
      const content = contents[i++];
      if (content !== undefined) onDisk.set(file, content);
    }
    // Parsed once: the schema check and the guardrails read the same documents. A file equal
    // to the fresh synth is read as the object it was rendered from.
    const documents = parseManifests(onDisk, (file, content) =>
      fresh.get(file) === content ? renderedObject(fresh, file) : undefined,
    );
    return { fresh, onDisk, documents };
  }

  /** The environment's Terraform JSON among `files`, checked; a file that is not JSON is a finding. */
  private terraform(
    files: ReadonlyMap<string, string>,
    findings: Finding[],
  ): Record<string, unknown> | undefined {
    let out: Record<string, unknown> | undefined;
    for (const t of terraformFiles(files)) {
      if (t.json === undefined) {
        findings.push({
          check: 'terraform',
          severity: 'error',
          file: t.file,
          resource: '-',
          message: `is not valid JSON: ${t.error}`,
        });
        continue;
      }
      out = t.json;
      for (const f of checkTerraform(t.file, t.json)) {
        findings.push({
          check: 'terraform',
          severity: f.severity,
          file: t.file,
          resource: f.address,
          message: f.message,
          policy: f.rule,
          remediation: f.remediation,
        });
      }
    }
    return out;
  }

  /** The platform's view of environment `env`, read (not checked) when this thread has none. */
  private async platform(env: number): Promise<PlatformView> {
    const known = this.platforms.get(env);
    if (known) return known;
    const own = await this.load(this.environment(env), { env, part: 'platform' });
    // A file that is not JSON is the platform unit's finding; the promises read no Terraform
    // then, as there.
    const terraform = terraformFiles(own.onDisk).findLast((t) => t.json !== undefined)?.json;
    return this.remember(env, own, sortByFile(located(own.documents)), terraform);
  }

  private remember(
    env: number,
    own: Loaded,
    objects: readonly CheckedObject[],
    terraform: Record<string, unknown> | undefined,
  ): PlatformView {
    const sources = new Map<string, string>();
    for (const [file, content] of own.onDisk) {
      const source = sourceOfGenerated(content);
      if (source) sources.set(file, source);
    }
    const view = { objects, namespaces: namespacesOf(objects), terraform, sources };
    this.platforms.set(env, view);
    return view;
  }
}

/** Each Terraform JSON file among `files` (relative to dist/), parsed, or why it is not JSON. */
function terraformFiles(
  files: ReadonlyMap<string, string>,
): { file: string; json?: Record<string, unknown>; error?: string }[] {
  const out: { file: string; json?: Record<string, unknown>; error?: string }[] = [];
  for (const [file, content] of files) {
    if (!file.endsWith('/terraform/cdk.tf.json')) continue;
    try {
      out.push({ file, json: JSON.parse(content) as Record<string, unknown> });
    } catch (err) {
      out.push({ file, error: (err as Error).message });
    }
  }
  return out;
}

/** The documents that are objects with a kind, with their files. */
function located(documents: readonly ParsedDocument[]): CheckedObject[] {
  const out: CheckedObject[] = [];
  for (const { file, object } of documents)
    if (object && typeof object.kind === 'string')
      out.push({ file, obj: object as CheckedObject['obj'] });
  return out;
}

/** Each finding but drift with the spec its file was generated from (its header). */
function withSources(
  findings: readonly Finding[],
  sourceOf: (file: string) => string | undefined,
): Finding[] {
  return findings.map((f) => {
    const source = f.check === 'drift' ? undefined : sourceOf(f.file);
    return source ? { ...f, source } : f;
  });
}

/**
 * A file's text; undefined when there is no file at `file` (missing, or a folder there).
 * Through `fs.readFile`'s callback, not `fs/promises`: its FileHandle takes a promise round
 * trip for each of open, stat, read and close, ~3x the CPU time (40,000 files of a 1,000-tenant
 * dist/, 1,150 at a time as a unit reads them: 4.0-4.5 s against 1.3-1.6 s).
 */
function readIfFile(file: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    readFile(file, 'utf8', (err, text) => {
      if (!err) return resolve(text);
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EISDIR')
        return resolve(undefined);
      reject(err);
    });
  });
}
