import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PlatformModel } from '../model/types';
import { sourceOfGenerated } from '../synth/render';
import { diffTrees, readTree } from '../synth/write';
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

export interface CheckReport {
  readonly findings: readonly Finding[];
  /** Every declared guardrail exception, with what it covered and whether it expired. */
  readonly exceptions: readonly ExceptionUse[];
  readonly guardrailEvaluations: number;
  readonly manifests: number;
  readonly files: number;
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
 * Checks the committed `dist/` below `root`: it must equal `fresh` (a synth of the current
 * specs) byte for byte, and every manifest in it must be valid against its strict schema.
 */
export function checkDist(
  root: string,
  model: PlatformModel,
  fresh: ReadonlyMap<string, string>,
  /** `YYYY-MM-DD` (UTC): exceptions expire after this day. */
  today: string,
): CheckReport {
  const start = performance.now();
  const distDir = path.join(root, 'dist');
  const onDisk = readTree(distDir);
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
  const manifests = new Map([...onDisk].filter(([p]) => p.includes('/')));
  // Parsed once: the schema check and the guardrails read the same documents. A file equal to
  // the fresh synth is read as the object it was rendered from.
  const documents = parseManifests(manifests, (file, content) =>
    fresh.get(file) === content ? renderedObject(fresh, file) : undefined,
  );
  const schema = validateManifests(
    documents,
    schemaSetsFor(model, path.join(root, 'schemas'), { cacheDir: validatorCacheDir(root) }),
  );
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
    millis: Math.round(performance.now() - start),
  };
}
