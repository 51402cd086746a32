import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp, syncOrder, syncPlan, type Manifest } from './argo-plan';

const ROOT = path.resolve(__dirname, '../../..');

const m = (kind: string, name: string, wave?: string): Manifest => ({
  file: `${kind}-${name}.yaml`,
  object: {
    kind,
    metadata: { name, ...(wave ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } } : {}) },
  },
});

describe('globToRegExp', () => {
  it('matches every alternative of a brace group, with * inside one path segment', () => {
    const re = globToRegExp('{namespace-*.yaml,rolebinding-*.yaml}');
    expect(re.test('namespace-acme.yaml')).toBe(true);
    expect(re.test('rolebinding-tenant-agent-developer.yaml')).toBe(true);
    expect(re.test('agent-triage.yaml')).toBe(false);
    expect(re.test('sub/namespace-acme.yaml')).toBe(false);
  });

  it('throws on an unbalanced brace, naming the pattern', () => {
    expect(() => globToRegExp('{a,b')).toThrow(/unbalanced "\{" in directory pattern "\{a,b"/);
  });
});

describe('syncOrder', () => {
  it('orders by wave, then Helm install order of kinds, then name', () => {
    const sorted = [
      m('Agent', 'a', '1'),
      m('RoleBinding', 'b'),
      m('Namespace', 'z'),
      m('ServiceAccount', 'a'),
    ].sort(syncOrder);
    expect(sorted.map((x) => `${x.object.kind}/${x.object.metadata.name}`)).toEqual([
      'Namespace/z',
      'ServiceAccount/a',
      'RoleBinding/b',
      'Agent/a',
    ]);
  });

  it('throws on a wave that is not an integer, naming the object', () => {
    expect(() => [m('Pod', 'x', 'soon'), m('Pod', 'y')].sort(syncOrder)).toThrow(
      /Pod\/x: argocd.argoproj.io\/sync-wave "soon" is not an integer/,
    );
  });
});

describe('syncPlan', () => {
  const plan = syncPlan(ROOT, 'dev');

  it('expands the tenants ApplicationSets into one application per tenant folder', () => {
    const tenantApps = plan.units.filter((u) => u.app.startsWith('tenant-')).map((u) => u.app);
    expect(tenantApps).toEqual(
      expect.arrayContaining([
        'tenant-acme',
        'tenant-acme-platform',
        'tenant-globex',
        'tenant-initech-platform',
      ]),
    );
  });

  it('splits a tenant folder between the platform-owned and the tenant-owned application', () => {
    const files = (app: string) =>
      plan.units.find((u) => u.app === app)?.manifests.map((x) => path.basename(x.file)) ?? [];
    expect(files('tenant-acme-platform')).toContain('namespace-acme.yaml');
    expect(files('tenant-acme-platform')).toContain('rolebinding-argocd-tenant-sync.yaml');
    expect(files('tenant-acme')).not.toContain('namespace-acme.yaml');
    expect(files('tenant-acme')).toContain('agent-triage.yaml');
  });

  it('runs the policies before the platform configuration and the tenants', () => {
    const wave = (app: string) => plan.units.find((u) => u.app === app)?.wave;
    expect(wave('platform-policies')).toBeLessThan(wave('platform-registry') as number);
    expect(wave('platform-registry')).toBeLessThan(wave('tenant-acme') as number);
    const order = plan.units.map((u) => u.app);
    expect(order.indexOf('platform-policies')).toBeLessThan(order.indexOf('tenant-acme'));
  });

  it('marks chart add-ons as such instead of reading dist/ for them', () => {
    const kyverno = plan.units.find((u) => u.app === 'kyverno');
    expect(kyverno?.chart).toMatch(/kyverno@3\.9\.0$/);
    expect(kyverno?.manifests).toEqual([]);
    expect(kyverno?.createNamespace).toBe(true);
  });

  it('throws naming a source path that does not exist', () => {
    expect(() => syncPlan(ROOT, 'nowhere')).toThrow(
      /Argo CD source path dist\/nowhere\/bootstrap does not exist/,
    );
  });
});
