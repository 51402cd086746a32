/**
 * The real Kyverno CLI and our CEL gate must agree: every guardrail fixture gets the same
 * verdict from `kyverno apply` (on the ValidatingPolicy emitted to dist/) as from the CEL gate,
 * and `kyverno apply` of every environment's guardrails over its dist/ finds nothing, as the
 * gate does. Run by .ci/run after the CLI is installed:
 *   npx tsx src/cli/kyverno-agreement.ts [--kyverno PATH]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { LABELS } from '../model/conventions';
import { evaluateObject } from '../policy/evaluate-guardrails';
import { readTree } from '../synth/write';
import { modelFromRepo } from './pipeline';

type Json = Record<string, unknown> & {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
};

interface Counts {
  pass: number;
  fail: number;
  error: number;
  skip: number;
}

/** One resource's verdicts in a `kyverno apply` run. */
interface ResourceResults extends Counts {
  /** The report's results for this resource, as JSON lines (for a disagreement's message). */
  readonly output: string;
}

/** What `kyverno apply` decided: the run's summary and each resource's results. */
interface ApplyResult extends Counts {
  readonly output: string;
  readonly byResource: ReadonlyMap<string, ResourceResults>;
}

interface ReportResult {
  readonly result?: string;
  readonly resources?: readonly {
    apiVersion?: string;
    kind?: string;
    namespace?: string;
    name?: string;
  }[];
}

function resourceKey(r: {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}): string {
  return [r.apiVersion ?? '', r.kind ?? '', r.namespace ?? '', r.name ?? ''].join('/');
}

function objectKey(o: Json): string {
  return resourceKey({
    apiVersion: o.apiVersion as string | undefined,
    kind: o.kind,
    namespace: o.metadata?.namespace,
    name: o.metadata?.name,
  });
}

/**
 * Runs `kyverno apply` of `policies` over `resources` with `namespaces` known to the CLI and
 * returns its summary and, from its policy report, every resource's results.
 */
function kyvernoApply(
  bin: string,
  dir: string,
  policies: string[],
  resources: Json[],
  namespaces: Json[],
): ApplyResult {
  const resourceFile = path.join(dir, 'resources.yaml');
  writeFileSync(resourceFile, resources.map((r) => stringify(r)).join('---\n'));
  const valuesFile = path.join(dir, 'values.yaml');
  writeFileSync(
    valuesFile,
    stringify({
      apiVersion: 'cli.kyverno.io/v1alpha1',
      kind: 'Values',
      namespaceSelector: namespaces.map((n) => ({
        name: n.metadata?.name,
        labels: n.metadata?.labels ?? {},
      })),
      namespaces,
    }),
  );
  const run = spawnSync(
    bin,
    [
      'apply',
      ...policies,
      '--resource',
      resourceFile,
      '--values-file',
      valuesFile,
      '--continue-on-fail',
      '--policy-report',
      '--output-format',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const output = `${run.stdout}${run.stderr}`;
  const start = run.stdout.indexOf('{');
  let report: { summary?: Partial<Counts>; results?: ReportResult[] } | undefined;
  try {
    report = start >= 0 ? JSON.parse(run.stdout.slice(start)) : undefined;
  } catch {
    report = undefined;
  }
  if (!report?.summary)
    throw new Error(`kyverno apply printed no policy report (exit ${run.status}):\n${output}`);
  const byResource = new Map<
    string,
    { pass: number; fail: number; error: number; skip: number; lines: string[] }
  >();
  for (const r of report.results ?? []) {
    for (const res of r.resources ?? []) {
      const key = resourceKey(res);
      const entry = byResource.get(key) ?? { pass: 0, fail: 0, error: 0, skip: 0, lines: [] };
      if (r.result === 'pass' || r.result === 'fail' || r.result === 'error' || r.result === 'skip')
        entry[r.result]++;
      entry.lines.push(JSON.stringify(r));
      byResource.set(key, entry);
    }
  }
  return {
    pass: report.summary.pass ?? 0,
    fail: report.summary.fail ?? 0,
    error: report.summary.error ?? 0,
    skip: report.summary.skip ?? 0,
    output,
    byResource: new Map(
      [...byResource].map(([k, e]) => [
        k,
        { pass: e.pass, fail: e.fail, error: e.error, skip: e.skip, output: e.lines.join('\n') },
      ]),
    ),
  };
}

interface Fixture {
  readonly label: string;
  readonly kind: 'pass' | 'fail';
  readonly object: Json;
  readonly namespace?: Json;
  readonly celFails: boolean;
}

/**
 * Fixtures of one policy grouped so that one `kyverno apply` decides each group: within a
 * group every fixture is a distinct resource (its report results are told apart by
 * apiVersion/kind/namespace/name) and a namespace name means one Namespace object (a fixture
 * may give its namespace labels the next one does not have). One run per fixture spent most
 * of this step starting the CLI.
 */
function fixtureBatches<T extends { object: Json; namespace?: Json }>(
  fixtures: readonly T[],
): T[][] {
  type Batch = { items: T[]; keys: Set<string>; namespaces: Map<string, string> };
  const batches: Batch[] = [];
  for (const f of fixtures) {
    const key = objectKey(f.object);
    const nsName = f.namespace?.metadata?.name;
    const nsJson = f.namespace ? JSON.stringify(f.namespace) : undefined;
    const batch = batches.find(
      (b) =>
        f.object.metadata?.name !== undefined &&
        !b.keys.has(key) &&
        (nsName === undefined || (b.namespaces.get(nsName) ?? nsJson) === nsJson),
    );
    const target: Batch = batch ?? { items: [], keys: new Set<string>(), namespaces: new Map() };
    if (!batch) batches.push(target);
    target.items.push(f);
    target.keys.add(key);
    if (nsName !== undefined && nsJson !== undefined) target.namespaces.set(nsName, nsJson);
  }
  return batches.map((b) => b.items);
}

/**
 * The kinds the guardrails' match rows name: each row pairs a kind with the resource its
 * emitted policy's matchConstraints select, so a manifest of any other kind is one no policy
 * selects. The CLI spends the same time on such a manifest as on one it evaluates (about
 * 12 ms a policy), so dist/ is given only the selected kinds, and the Namespaces the policies'
 * namespaceSelectors read.
 */
function selectedKinds(guardrails: readonly { match: readonly { kind: string }[] }[]): Set<string> {
  return new Set(['Namespace', ...guardrails.flatMap((g) => g.match.map((m) => m.kind))]);
}

function main(): number {
  const { values } = parseArgs({
    options: {
      kyverno: { type: 'string', default: 'kyverno' },
      root: { type: 'string', default: process.cwd() },
    },
  });
  const root = path.resolve(values.root);
  const bin = values.kyverno;
  const model = modelFromRepo(root);
  const dist = readTree(path.join(root, 'dist'));
  const work = mkdtempSync(path.join(tmpdir(), 'kyverno-agreement-'));
  let disagreements = 0;
  let compared = 0;
  let runs = 0;
  try {
    const env = model.environments[0]!;
    for (const g of env.guardrails) {
      if (g.scope !== 'object' || g.ciOnly) continue;
      const policy = path.join(root, 'dist', env.name, 'policies', `validatingpolicy-${g.id}.yaml`);
      const fixtures: Fixture[] = [];
      for (const kind of ['pass', 'fail'] as const) {
        g.fixtures[kind].forEach((f, i) => {
          // A name of its own, so the fixtures of a policy can share one run and be told apart
          // in its report (no object guardrail reads metadata.name); both engines see it.
          const given = f.object as Json;
          const object: Json = given.metadata?.name
            ? {
                ...given,
                metadata: { ...given.metadata, name: `${given.metadata.name}-${kind[0]}${i}` },
              }
            : given;
          const namespace =
            (f.namespaceObject as Json | undefined) ??
            (object.metadata?.namespace
              ? {
                  apiVersion: 'v1',
                  kind: 'Namespace',
                  metadata: { name: object.metadata.namespace },
                }
              : undefined);
          const cel = evaluateObject(g, object, f.namespaceObject as Json | undefined);
          fixtures.push({
            label: `${g.id} ${kind}[${i}]`,
            kind,
            object,
            ...(namespace ? { namespace } : {}),
            celFails: cel.violations.length + cel.errors.length > 0,
          });
        });
      }
      for (const batch of fixtureBatches(fixtures)) {
        const namespaces = [
          ...new Map(
            batch.flatMap((f) => (f.namespace ? [[f.namespace.metadata?.name, f.namespace]] : [])),
          ).values(),
        ] as Json[];
        const k = kyvernoApply(
          bin,
          work,
          [policy],
          batch.map((f) => f.object),
          namespaces,
        );
        for (const f of batch) {
          const r = k.byResource.get(objectKey(f.object)) ?? {
            pass: 0,
            fail: 0,
            error: 0,
            skip: 0,
            output: `no result for this resource in:\n${k.output}`,
          };
          const kyvernoFails = r.fail + r.error > 0;
          const kyvernoPasses = r.pass > 0 && !kyvernoFails;
          compared++;
          const agree = f.celFails ? kyvernoFails : kyvernoPasses;
          const expected = (f.kind === 'fail') === f.celFails;
          if (!agree || !expected) {
            disagreements++;
            process.stderr.write(
              `DISAGREE ${f.label}: CEL ${f.celFails ? 'fail' : 'pass'}, kyverno pass=${r.pass} fail=${r.fail} error=${r.error} skip=${r.skip}\n${r.output}\n`,
            );
          } else {
            process.stdout.write(`agree    ${f.label}: ${f.celFails ? 'fail' : 'pass'}\n`);
          }
        }
        runs++;
      }
    }

    for (const e of model.environments) {
      const manifests: Json[] = [];
      for (const [file, content] of dist) {
        if (!file.startsWith(`${e.name}/`) || !file.endsWith('.yaml')) continue;
        const obj = parse(content) as Json | null;
        if (obj && typeof obj.kind === 'string') manifests.push(obj);
      }
      const namespaces = manifests.filter((m) => m.kind === 'Namespace');
      const emitted = e.guardrails.flatMap((g) => (g.scope === 'object' && !g.ciOnly ? [g] : []));
      const policies = emitted.map((g) =>
        path.join(root, 'dist', e.name, 'policies', `validatingpolicy-${g.id}.yaml`),
      );
      const selected = selectedKinds(emitted);
      const matched = manifests.filter((m) => selected.has(String(m.kind)));
      const k = kyvernoApply(bin, work, policies, matched, namespaces);
      runs++;
      const tenantNamespaces = namespaces.filter((n) => n.metadata?.labels?.[LABELS.tenant]).length;
      process.stdout.write(
        `dist/${e.name}: kyverno apply of ${policies.length} guardrails on the ${matched.length} of ${manifests.length} manifests whose kind they select (${tenantNamespaces} tenant namespaces): pass ${k.pass}, fail ${k.fail}, error ${k.error}\n`,
      );
      if (k.fail + k.error > 0 || k.pass === 0) {
        disagreements++;
        process.stderr.write(
          `DISAGREE dist/${e.name}: the CEL gate finds nothing, kyverno apply reports:\n${k.output}\n`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(
    `kyverno agreement: ${compared} fixtures compared in ${runs} kyverno apply runs, ${disagreements} disagreements\n`,
  );
  return disagreements === 0 ? 0 : 1;
}

process.exitCode = main();
