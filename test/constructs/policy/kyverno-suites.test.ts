import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SchemaSet } from '../../../src/check/schemas';
import { conventionsLayer } from '../../../src/policy/conventions-layer';
import { synthesize } from '../../../src/synth/synthesize';
import { repoModel, ROOT } from '../../helpers';

/** The Kyverno CLI suites under test/kyverno/ (run with `kyverno test test/kyverno`). */
const SUITES_DIR = path.join(ROOT, 'test', 'kyverno');
const suites = readdirSync(SUITES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const testFile = (suite: string) =>
  parse(readFileSync(path.join(SUITES_DIR, suite, 'kyverno-test.yaml'), 'utf8')) as Record<
    string,
    any
  >;

let schemas: SchemaSet;
let conventionFiles: string[];
beforeAll(() => {
  // The Test and Values kinds are CRDs; any Kubernetes version loads them.
  schemas = SchemaSet.load(path.join(ROOT, 'schemas'), '1.33');
  conventionFiles = [...synthesize(repoModel(), [conventionsLayer]).keys()].filter((f) =>
    f.startsWith('dev/policies/'),
  );
});

describe('Kyverno CLI suites', () => {
  it('exist, one a convention', () => {
    expect(suites).toEqual([
      'appprotocol',
      'auto-expose',
      'platform-scheduling',
      'tenant-scheduling',
      'traceprop',
    ]);
  });

  it.each(suites)('%s: kyverno-test.yaml is a valid cli.kyverno.io Test', (suite) => {
    const doc = testFile(suite);
    const schema = schemas.get(doc.apiVersion, doc.kind);
    expect(schema, `${doc.apiVersion} ${doc.kind}`).toBeDefined();
    expect(doc.kind).toBe('Test');
    const valid = schema!.validate(doc);
    expect(schema!.validate.errors ?? [], suite).toEqual([]);
    expect(valid).toBe(true);
    expect(schema!.celRules(doc)).toEqual([]);
  });

  it('share a valid cli.kyverno.io Values file of namespaces', () => {
    const doc = parse(readFileSync(path.join(SUITES_DIR, 'values.yaml'), 'utf8'));
    const schema = schemas.get(doc.apiVersion, doc.kind)!;
    expect(doc.kind).toBe('Values');
    expect(schema.validate(doc)).toBe(true);
  });

  it.each(suites)(
    '%s: has a pass and a skip or negative case for every policy it tests',
    (suite) => {
      const doc = testFile(suite);
      const byPolicy = new Map<string, any[]>();
      for (const r of doc.results) byPolicy.set(r.policy, [...(byPolicy.get(r.policy) ?? []), r]);
      for (const [policy, results] of byPolicy) {
        expect(
          results.some((r) => r.result === 'pass' && (r.patchedResources || r.generatedResource)),
          `${suite}/${policy}: a pass with the expected resource`,
        ).toBe(true);
        expect(
          results.some(
            (r) =>
              r.result === 'skip' || r.result === 'fail' || r.generatedResource === 'no-route.yaml',
          ),
          `${suite}/${policy}: a case the rule must not touch`,
        ).toBe(true);
      }
    },
  );

  it.each(suites)(
    '%s: tests synthesized policies of dist/dev, and every file it names exists',
    (suite) => {
      const doc = testFile(suite);
      for (const p of doc.policies as string[]) {
        expect(p).toMatch(/^\.\.\/\.\.\/\.\.\/dist\/dev\/policies\//);
        expect(conventionFiles).toContain(p.replace('../../../dist/', ''));
      }
      const local = [
        ...doc.resources,
        doc.variables,
        ...doc.results.flatMap((r: any) => [r.patchedResources, r.generatedResource]),
      ].filter(Boolean);
      for (const f of local) expect(existsSync(path.join(SUITES_DIR, suite, f)), f).toBe(true);
    },
  );

  it('cover every convention policy the layer emits', () => {
    const tested = new Set(
      suites.flatMap((s) =>
        (testFile(s).policies as string[]).map((p) => p.replace('../../../dist/', '')),
      ),
    );
    expect(conventionFiles.length).toBeGreaterThan(0);
    for (const f of conventionFiles) expect(tested.has(f), f).toBe(true);
  });

  // Conventions are the mutating and generating kinds; guardrails (ValidatingPolicy) are
  // evaluated by the CEL gate and have fixtures instead.
  it('cover every convention policy committed in dist/', () => {
    const tested = new Set(
      suites.flatMap((s) => (testFile(s).policies as string[]).map((p) => path.basename(p))),
    );
    const distDir = path.join(ROOT, 'dist');
    const envs = existsSync(distDir) ? readdirSync(distDir) : [];
    for (const envName of envs) {
      const dir = path.join(distDir, envName, 'policies');
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((n) => /^(mutatingpolicy|generatingpolicy)-/.test(n)))
        expect(tested.has(f), `dist/${envName}/policies/${f} has no suite`).toBe(true);
    }
  });
});
