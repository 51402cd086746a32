import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SchemaSet } from '../../src/check/schemas';
import { validateManifests } from '../../src/check/validate-manifests';
import { ROOT } from '../helpers';

const cacheDir = mkdtempSync(path.join(tmpdir(), 'validators-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
const load = () => SchemaSet.load(path.join(ROOT, 'schemas'), '1.33', { cacheDir });
const validators = () => readdirSync(cacheDir).filter((f) => f.endsWith('.cjs'));
const crdFiles = () => readdirSync(cacheDir).filter((f) => /^crd-[0-9a-f]{64}\.json$/.test(f));

const deployment = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'n' },
  spec: {
    selector: { matchLabels: { app: 'd' } },
    template: {
      metadata: { labels: { app: 'd' } },
      spec: { containers: [{ name: 'c', image: 'registry.example/c:1.0', ...extra }] },
    },
  },
});

const messages = (set: SchemaSet, obj: unknown) =>
  validateManifests(new Map([['dev/x/y.yaml', stringify(obj)]]), () => set).findings.map(
    (f) => f.message,
  );

describe('SchemaSet with a validator cache', () => {
  const uncached = SchemaSet.load(path.join(ROOT, 'schemas'), '1.33');
  const invalid = deployment({ imagePullPolicy: 'Always', portz: [] });

  it('writes one validator file per compiled schema', () => {
    expect(messages(load(), deployment())).toEqual([]);
    expect(validators()).toHaveLength(1);
  });

  it('decides, from the cache, exactly as a freshly compiled validator does', () => {
    const fromCache = load();
    expect(messages(fromCache, deployment())).toEqual([]);
    expect(messages(fromCache, invalid)).toEqual(messages(uncached, invalid));
    expect(messages(fromCache, invalid).join()).toContain('portz');
    expect(validators()).toHaveLength(1);
  });

  it('compiles again, and replaces the file, when a cached validator does not load', () => {
    const [file] = validators();
    writeFileSync(path.join(cacheDir, file!), 'module.exports = (');
    expect(messages(load(), invalid)).toEqual(messages(uncached, invalid));
    expect(validators()).toEqual([file]);
    expect(readFileSync(path.join(cacheDir, file!), 'utf8')).not.toBe('module.exports = (');
  });

  it("keeps each vendored CRD file's documents as JSON, and knows the same kinds from them", () => {
    load();
    const vendored = readdirSync(path.join(ROOT, 'schemas', 'crds'), { recursive: true }).filter(
      (f) => /\.ya?ml$/.test(String(f)),
    );
    expect(crdFiles()).toHaveLength(
      new Set(
        vendored.map((f) => readFileSync(path.join(ROOT, 'schemas', 'crds', String(f)), 'utf8')),
      ).size,
    );
    expect(load().kinds()).toEqual(uncached.kinds());
    const agent = 'kagent.dev/v1alpha2/Agent';
    expect(uncached.kinds()).toContain(agent);
  });

  it('parses a CRD file again, and replaces its entry, when the entry does not read as JSON', () => {
    load();
    for (const f of crdFiles()) writeFileSync(path.join(cacheDir, f), '[');
    expect(load().kinds()).toEqual(uncached.kinds());
    for (const f of crdFiles()) expect(readFileSync(path.join(cacheDir, f), 'utf8')).not.toBe('[');
  });
});
