import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BundleCache,
  canonical,
  contextKey,
  exactInJson,
  pruneBundleCache,
} from '../../src/synth/bundle-cache';
import type { PlatformModel, TenantModel } from '../../src/model/types';
import { synthesize } from '../../src/synth/synthesize';
import { bundleContext } from '../../src/synth/layer';
import { readTree } from '../../src/synth/write';
import { planUnits } from '../../src/synth/synth-units';
import { synthesizeToDir } from '../../src/synth/write-tree';
import { repoModel } from '../helpers';

let work: string;
let dist: string;
let cacheDir: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'bundle-cache-'));
  dist = path.join(work, 'dist');
  cacheDir = path.join(work, 'cache');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const model = repoModel();
const every = model.environments.flatMap((e) => e.tenants.map((t) => `${e.name}/${t.name}`));
/** The layers' environment parts of every environment: cached beside the bundles. */
const sharedParts = planUnits(model).filter((u) => u.part === 'shared').length;
const perEnvironment = sharedParts / model.environments.length;
const cache = (code = 'code-a') => ({ cache: { dir: cacheDir, code }, threads: 1 });

/** A deep copy of the model, changed by `edit` (models are immutable; copies are not). */
function edited(edit: (m: Mutable) => void): PlatformModel {
  const m = structuredClone(model) as unknown as Mutable;
  edit(m);
  return m as unknown as PlatformModel;
}
type Mutable = {
  environments: {
    name: string;
    tenants: { name: string; displayName: string; isolation: string; quota: { cpu: number } }[];
    spec: { tenants: { containerDefaults: { cpuRequest: string } } };
  }[];
};

describe('synthesizeToDir with a tenant bundle cache', () => {
  it('writes the bytes of the uncached synth, then builds no bundle on an unchanged model', async () => {
    const first = await synthesizeToDir(model, dist, cache());
    expect(readTree(dist)).toEqual(synthesize(model));
    expect(first.bundlesBuilt).toEqual([...every].sort());
    expect(first.bundlesCached).toBe(0);
    // One entry a bundle and one a layer's environment part.
    expect(readdirSync(cacheDir)).toHaveLength(every.length + sharedParts);
    expect(first.environmentPartsCached).toBe(0);

    rmSync(dist, { recursive: true });
    const second = await synthesizeToDir(model, dist, cache());
    expect(second.bundlesBuilt).toEqual([]);
    expect(second.bundlesCached).toBe(every.length);
    expect(second.environmentPartsCached).toBe(sharedParts);
    expect(readTree(dist)).toEqual(synthesize(model));
  });

  it('rebuilds only the changed tenant, in each environment it is in', async () => {
    await synthesizeToDir(model, dist, cache());
    const changed = edited((m) => {
      for (const e of m.environments) {
        const acme = e.tenants.find((t) => t.name === 'acme')!;
        acme.quota.cpu += 1;
      }
    });
    const stats = await synthesizeToDir(changed, dist, cache());
    expect(stats.bundlesBuilt).toEqual(['dev/acme', 'prod/acme', 'staging/acme']);
    expect(stats.bundlesCached).toBe(every.length - 3);
    // Its quota is none of the environment parts' tenant facts: all of them are cached.
    expect(stats.environmentPartsCached).toBe(sharedParts);
    expect(stats.written).toBeGreaterThan(0);
    expect(readTree(dist)).toEqual(synthesize(changed));
    // The replaced entries are pruned: still one entry a bundle and a part.
    expect(readdirSync(cacheDir)).toHaveLength(every.length + sharedParts);
  });

  it('rebuilds the environment parts of the environment whose tenant facts changed, and only those', async () => {
    await synthesizeToDir(model, dist, cache());
    const before = readTree(dist);
    // A first dedicated tenant in dev: the dedicated node group appears in its Terraform.
    const changed = edited((m) => {
      const dev = m.environments.find((e) => e.name === 'dev')!;
      expect(dev.tenants.some((t) => t.isolation === 'dedicated')).toBe(false);
      dev.tenants.find((t) => t.name === 'globex')!.isolation = 'dedicated';
    });
    const stats = await synthesizeToDir(changed, dist, cache());
    expect(stats.environmentPartsCached).toBe(sharedParts - perEnvironment);
    expect(stats.bundlesBuilt).toEqual(['dev/globex']);
    const after = readTree(dist);
    expect(after).toEqual(synthesize(changed));
    expect(after.get('dev/terraform/cdk.tf.json')).not.toBe(
      before.get('dev/terraform/cdk.tf.json'),
    );
    expect(after.get('dev/terraform/cdk.tf.json')).toContain('"dedicated"');
  });

  it('caches the tenant objects of the shared folders with the bundle: AppProject, tenant-sync, catalog part', async () => {
    await synthesizeToDir(model, dist, cache());
    const entries = readdirSync(cacheDir).map(
      (f) => JSON.parse(readFileSync(path.join(cacheDir, f), 'utf8')) as { files: [string][] },
    );
    const acme = entries.find((e) =>
      e.files.some(([p]) => p === 'tenants/acme/namespace-acme.yaml'),
    )!;
    const folders = new Set(acme.files.map(([p]) => p.split('/').slice(0, -1).join('/')));
    expect([...folders].sort()).toEqual([
      'bootstrap',
      'platform/tenant-sync/acme',
      'registry/per-tenant/acme',
      'tenants/acme',
    ]);
    expect(acme.files.map(([p]) => p)).toContain('bootstrap/appproject-tenant-acme.yaml');
  });

  it('rebuilds a changed tenant’s objects in the shared folders from its unit alone', async () => {
    await synthesizeToDir(model, dist, cache());
    const before = readTree(dist);
    const changed = edited((m) => {
      for (const e of m.environments)
        e.tenants.find((t) => t.name === 'acme')!.displayName = 'Acme, renamed';
    });
    const stats = await synthesizeToDir(changed, dist, cache());
    expect(stats.bundlesBuilt).toEqual(['dev/acme', 'prod/acme', 'staging/acme']);
    const after = readTree(dist);
    expect(after).toEqual(synthesize(changed));
    const rewritten = [...after].filter(([p, c]) => before.get(p) !== c).map(([p]) => p);
    expect(rewritten).toContain(
      'dev/registry/per-tenant/acme/configmap-agent-registry-catalog-acme.yaml',
    );
    expect(rewritten.every((p) => p.includes('acme'))).toBe(true);
  });

  it('rebuilds every bundle of an environment whose tenant settings changed, and only those', async () => {
    await synthesizeToDir(model, dist, cache());
    const changed = edited((m) => {
      m.environments.find((e) => e.name === 'staging')!.spec.tenants.containerDefaults.cpuRequest =
        '123m';
    });
    const stats = await synthesizeToDir(changed, dist, cache());
    expect(stats.bundlesBuilt).toEqual(every.filter((b) => b.startsWith('staging/')).sort());
    expect(readTree(dist)).toEqual(synthesize(changed));
  });

  it('keeps the bundles of the other tenants when a tenant is added to an environment', async () => {
    const without = edited((m) => {
      const dev = m.environments.find((e) => e.name === 'dev')!;
      dev.tenants = dev.tenants.filter((t) => t.name !== 'globex');
    });
    await synthesizeToDir(without, dist, cache());
    const stats = await synthesizeToDir(model, dist, cache());
    // The bundles never see the tenant list: only the new one is built.
    expect(stats.bundlesBuilt).toEqual(['dev/globex']);
    expect(readTree(dist)).toEqual(synthesize(model));
  });

  it('rebuilds every bundle when the code fingerprint changed', async () => {
    await synthesizeToDir(model, dist, cache('code-a'));
    const stats = await synthesizeToDir(model, dist, cache('code-b'));
    expect(stats.bundlesBuilt).toHaveLength(every.length);
    expect(stats.bundlesCached).toBe(0);
    expect(readTree(dist)).toEqual(synthesize(model));
  });

  it('treats a corrupt, truncated or foreign entry as a miss and still writes the right bytes', async () => {
    await synthesizeToDir(model, dist, cache());
    // Tenant bundles' entries (the others are environment parts).
    const names = readdirSync(cacheDir)
      .sort()
      .filter((n) => readFileSync(path.join(cacheDir, n), 'utf8').includes('"tenants/'));
    const [a, b, c] = names.map((n) => path.join(cacheDir, n));
    writeFileSync(a!, 'not json');
    writeFileSync(b!, readFileSync(b!, 'utf8').slice(0, 100));
    // Valid JSON, but the files of another bundle: its key does not match the name.
    writeFileSync(c!, readFileSync(path.join(cacheDir, names[3]!)));
    rmSync(dist, { recursive: true });
    const stats = await synthesizeToDir(model, dist, cache());
    expect(stats.bundlesBuilt).toHaveLength(3);
    expect(readTree(dist)).toEqual(synthesize(model));
    // Rebuilt entries are stored again.
    const again = await synthesizeToDir(model, dist, cache());
    expect(again.bundlesBuilt).toEqual([]);
  });

  it('keeps the cache of the last good synth when a synth fails', async () => {
    await synthesizeToDir(model, dist, cache());
    const before = readdirSync(cacheDir).sort();
    const broken = edited((m) => {
      const dev = m.environments[0]!;
      dev.tenants = [...dev.tenants, dev.tenants[0]!];
    });
    await expect(synthesizeToDir(broken, dist, cache())).rejects.toThrow(
      /Project-acme|two generated objects map to the same file/,
    );
    // Nothing pruned (the failed run may have stored parts it built: they are valid entries).
    expect(readdirSync(cacheDir)).toEqual(expect.arrayContaining(before));
  });

  it('builds the same bytes from the cache on two threads', { timeout: 300_000 }, async () => {
    await synthesizeToDir(model, dist, cache());
    rmSync(dist, { recursive: true });
    const stats = await synthesizeToDir(model, dist, { ...cache(), threads: 2 });
    expect(stats.bundlesBuilt).toEqual([]);
    expect(stats.bundlesCached).toBe(every.length);
    expect(readTree(dist)).toEqual(synthesize(model));
  });
});

describe('BundleCache', () => {
  const acme = model.environments[0]!.tenants[0]!;
  const context = contextKey(bundleContext(model.environments[0]!))!;

  it('keys a bundle on its tenant, its environment context and the code', () => {
    const c = new BundleCache({ dir: cacheDir, code: 'x' });
    const key = c.key(context, acme);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(c.key(context, acme)).toBe(key);
    expect(new BundleCache({ dir: cacheDir, code: 'y' }).key(context, acme)).not.toBe(key);
    expect(c.key(`${context} `, acme)).not.toBe(key);
    expect(c.key(context, { ...acme, name: 'other' })).not.toBe(key);
  });

  it('does not key (so does not cache) a tenant holding something other than plain data', () => {
    const c = new BundleCache({ dir: cacheDir, code: 'x' });
    const odd = { ...acme, labels: new Map([['a', 'b']]) } as unknown as TenantModel;
    expect(c.key(context, odd)).toBeUndefined();
  });

  it('reads back what it wrote, and nothing for an unknown key', () => {
    const c = new BundleCache({ dir: cacheDir, code: 'x' });
    c.write('k1', [['a.yaml', 'a: 1\n']]);
    expect(c.read('k1')).toEqual([['a.yaml', 'a: 1\n']]);
    expect(c.read('k2')).toBeUndefined();
    // No temporary file is left beside the entry.
    expect(readdirSync(cacheDir)).toEqual(['k1.json']);
  });

  it('prunes the entries not kept, and leftover temporary files', () => {
    const c = new BundleCache({ dir: cacheDir, code: 'x' });
    c.write('k1', []);
    c.write('k2', []);
    writeFileSync(path.join(cacheDir, 'k1.json.1-ab.tmp'), '');
    pruneBundleCache(cacheDir, new Set(['k2']));
    expect(readdirSync(cacheDir)).toEqual(['k2.json']);
    // An absent folder is nothing to prune.
    expect(() => pruneBundleCache(path.join(work, 'absent'), new Set())).not.toThrow();
  });
});

describe('canonical', () => {
  it('tells apart what JSON conflates: undefined and absent, key order, -0, holes', () => {
    expect(canonical({ a: undefined })).not.toBe(canonical({}));
    expect(canonical({ a: 1, b: 2 })).not.toBe(canonical({ b: 2, a: 1 }));
    expect(canonical([-0])).not.toBe(canonical([0]));
    expect(canonical(['1'])).not.toBe(canonical([1]));
    expect(canonical([null])).not.toBe(canonical([undefined]));
  });

  it('refuses anything but plain data, naming its type', () => {
    expect(() => canonical({ f: () => 1 })).toThrow(/cannot serialize a function/);
    expect(() => canonical(new Map())).toThrow(/cannot serialize a object/);
    expect(() => canonical({ [Symbol('s')]: 1 })).toThrow(/symbol keys/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonical([1, , 2])).toThrow(/sparse array/);
  });
});

describe('exactInJson', () => {
  it('holds for plain data JSON gives back as it is', () => {
    expect(exactInJson({ a: [1, 'x', null, { b: true }] })).toBe(true);
  });

  it.each([
    ['an undefined member', { a: undefined }],
    ['-0', { a: -0 }],
    ['NaN', [Number.NaN]],
    ['a Date', { a: new Date(0) }],
    ['a Map', new Map()],
  ])('fails for %s, which JSON would change or cannot hold', (_, v) => {
    expect(exactInJson(v)).toBe(false);
  });
});
