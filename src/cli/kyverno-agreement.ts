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
import { synthFromRepo } from './pipeline';

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

function kyvernoApply(
  bin: string,
  dir: string,
  policies: string[],
  resources: Json[],
  namespaces: Json[],
): Counts & { output: string } {
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
    ['apply', ...policies, '--resource', resourceFile, '--values-file', valuesFile],
    { encoding: 'utf8' },
  );
  const output = `${run.stdout}${run.stderr}`;
  const m = /pass: (\d+), fail: (\d+), warn: \d+, error: (\d+), skip: (\d+)/.exec(output);
  if (!m) throw new Error(`kyverno apply printed no summary (exit ${run.status}):\n${output}`);
  return {
    pass: Number(m[1]),
    fail: Number(m[2]),
    error: Number(m[3]),
    skip: Number(m[4]),
    output,
  };
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
  const { model } = synthFromRepo(root);
  const dist = readTree(path.join(root, 'dist'));
  const work = mkdtempSync(path.join(tmpdir(), 'kyverno-agreement-'));
  let disagreements = 0;
  let compared = 0;
  try {
    const env = model.environments[0]!;
    for (const g of env.guardrails) {
      if (g.scope !== 'object' || g.ciOnly) continue;
      const policy = path.join(root, 'dist', env.name, 'policies', `validatingpolicy-${g.id}.yaml`);
      for (const kind of ['pass', 'fail'] as const) {
        g.fixtures[kind].forEach((f, i) => {
          const object = f.object as Json;
          const ns =
            (f.namespaceObject as Json | undefined) ??
            (object.metadata?.namespace
              ? {
                  apiVersion: 'v1',
                  kind: 'Namespace',
                  metadata: { name: object.metadata.namespace },
                }
              : undefined);
          const cel = evaluateObject(g, object, f.namespaceObject as Json | undefined);
          const celFails = cel.violations.length + cel.errors.length > 0;
          const k = kyvernoApply(bin, work, [policy], [object], ns ? [ns] : []);
          const kyvernoFails = k.fail + k.error > 0;
          const kyvernoPasses = k.pass > 0 && !kyvernoFails;
          compared++;
          const agree = celFails ? kyvernoFails : kyvernoPasses;
          const expected = (kind === 'fail') === celFails;
          if (!agree || !expected) {
            disagreements++;
            process.stderr.write(
              `DISAGREE ${g.id} ${kind}[${i}]: CEL ${celFails ? 'fail' : 'pass'}, kyverno pass=${k.pass} fail=${k.fail} error=${k.error} skip=${k.skip}\n${k.output}\n`,
            );
          } else {
            process.stdout.write(`agree    ${g.id} ${kind}[${i}]: ${celFails ? 'fail' : 'pass'}\n`);
          }
        });
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
      const policies = e.guardrails
        .filter((g) => g.scope === 'object' && !g.ciOnly)
        .map((g) => path.join(root, 'dist', e.name, 'policies', `validatingpolicy-${g.id}.yaml`));
      const k = kyvernoApply(bin, work, policies, manifests, namespaces);
      const tenantNamespaces = namespaces.filter((n) => n.metadata?.labels?.[LABELS.tenant]).length;
      process.stdout.write(
        `dist/${e.name}: kyverno apply of ${policies.length} guardrails on ${manifests.length} manifests (${tenantNamespaces} tenant namespaces): pass ${k.pass}, fail ${k.fail}, error ${k.error}\n`,
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
    `kyverno agreement: ${compared} fixtures compared, ${disagreements} disagreements\n`,
  );
  return disagreements === 0 ? 0 : 1;
}

process.exitCode = main();
