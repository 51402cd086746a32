import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { diffLive, MANAGED_BY_SELECTOR, withoutServerFields } from '../../src/diff/live';
import type { LiveCluster } from '../../src/diff/live-cluster';
import { env, repoModel } from '../helpers';

const dev = env(repoModel(), 'dev');
const key = (o: KubernetesObject) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/**
 * A cluster that behaves like kube-apiserver at the boundary the diff uses: a dry-run apply
 * returns git's fields merged over the live object plus defaults (spec.weight: 1), and it
 * never stores anything.
 */
function fakeCluster(
  live: KubernetesObject[],
  served = (kind: string) => kind !== 'Widget',
): LiveCluster & { applied: string[] } {
  const byKey = new Map(live.map((o) => [key(o), o]));
  const applied: string[] = [];
  const withDefaults = (o: KubernetesObject) => ({
    ...o,
    spec: { weight: 1, ...((o as { spec?: object }).spec ?? {}) },
  });
  return {
    applied,
    serves: async (_v, kind) => served(kind),
    read: async (o) => byKey.get(key(o)),
    dryRunApply: async (o) => {
      applied.push(key(o));
      const current = byKey.get(key(o))!;
      return withDefaults({ ...current, ...o, metadata: { ...current.metadata, ...o.metadata } });
    },
    list: async (_v, kind, selector) => {
      expect(selector).toBe(MANAGED_BY_SELECTOR);
      return live.filter((o) => o.kind === kind);
    },
  };
}

const object = (kind: string, name: string, spec: object, extra: object = {}) => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    namespace: 'acme',
    labels: { 'app.kubernetes.io/managed-by': 'agentic-platform' },
  },
  spec,
  ...extra,
});
const files = (...objects: object[]) =>
  new Map(objects.map((o, i) => [`tenants/acme/f${i}.yaml`, JSON.stringify(o)]));

describe('diffLive', () => {
  it('reports drift, not server defaults or bookkeeping', async () => {
    const git = object('ConfigMap', 'a', { replicas: 2 });
    const inCluster = {
      ...object('ConfigMap', 'a', { replicas: 3, weight: 1 }),
      status: { ready: true },
      metadata: { ...git.metadata, resourceVersion: '7', uid: 'u', managedFields: [{}] },
    };
    const cluster = fakeCluster([inCluster]);
    const report = await diffLive(dev, files(git), cluster);
    const c = report.comparisons[0]!;
    expect(cluster.applied).toEqual(['ConfigMap acme/a']);
    expect(c.changes).toHaveLength(1);
    // Read git → cluster: git says 2, the cluster holds 3.
    expect(c.changes[0]!.fields).toEqual([
      { path: 'spec.replicas', op: 'changed', before: 2, after: 3 },
    ]);
  });

  it('says nothing when the cluster holds what git says plus defaults', async () => {
    const git = object('ConfigMap', 'a', { replicas: 2 });
    const report = await diffLive(
      dev,
      files(git),
      fakeCluster([object('ConfigMap', 'a', { replicas: 2, weight: 1 })]),
    );
    expect(report.comparisons[0]!.changes).toEqual([]);
    expect(report.comparisons[0]!.unchanged).toBe(1);
  });

  it('lists what the cluster lacks as removed and what only the cluster has as added', async () => {
    const report = await diffLive(
      dev,
      files(object('ConfigMap', 'missing', {}), object('ConfigMap', 'kept', {})),
      fakeCluster([
        object('ConfigMap', 'kept', { weight: 1 }),
        object('ConfigMap', 'orphan', { weight: 1 }),
      ]),
    );
    expect(report.comparisons[0]!.changes.map((c) => [c.status, c.name, c.layer, c.file])).toEqual([
      ['removed', 'missing', 'tenants', 'tenants/acme/f0.yaml'],
      ['added', 'orphan', 'cluster only', '(not in git)'],
    ]);
  });

  it('notes a kind the cluster does not serve instead of failing', async () => {
    const report = await diffLive(dev, files(object('Widget', 'w', {})), fakeCluster([]));
    expect(report.comparisons[0]!.notes).toEqual([
      'v1 Widget is not served by the cluster (CRD not installed?)',
    ]);
    expect(report.comparisons[0]!.changes.map((c) => c.status)).toEqual(['removed']);
  });

  it('flags what the cluster lost or gained: a NetworkPolicy missing, a RoleBinding only it has', async () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'acme' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { ...object('RoleBinding', 'extra', {}).metadata },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'intruders' }],
    };
    const gitBinding = { ...binding, metadata: { ...binding.metadata, name: 'kept' } };
    const report = await diffLive(
      dev,
      files(policy, gitBinding),
      // The fake's dry-run fills in spec.weight, as a server fills in its defaults.
      fakeCluster([gitBinding, binding].map((o) => ({ ...o, spec: { weight: 1 } }))),
    );
    expect(
      report.comparisons[0]!.changes.map((c) => [
        c.status,
        c.kind,
        c.name,
        c.risks.map((r) => r.detail),
      ]),
    ).toEqual([
      ['removed', 'NetworkPolicy', 'default-deny', ['removed']],
      ['added', 'RoleBinding', 'extra', ['added: Group intruders → ClusterRole admin']],
    ]);
  });

  it('reports a field only another manager wrote as drift, naming the manager', async () => {
    const git = object('ConfigMap', 'a', { replicas: 2 });
    const labelled = {
      ...git,
      spec: { replicas: 2, weight: 1 },
      metadata: { ...git.metadata, labels: { ...git.metadata.labels, 'drift/added': 'yes' } },
    };
    const cluster = fakeCluster([labelled]);
    const managedFields = [
      {
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/managed-by': {} } } },
        manager: 'argocd-controller',
        operation: 'Apply',
      },
      {
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:drift/added': {} } } },
        manager: 'kubectl-label',
        operation: 'Update',
      },
    ];
    // As server-side apply does: git's labels merged into the live ones, which it keeps.
    cluster.dryRunApply = async () => ({
      ...labelled,
      metadata: { ...labelled.metadata, managedFields },
    });
    const c = (await diffLive(dev, files(git), cluster)).comparisons[0]!;
    expect(c.changes.map((x) => x.fields)).toEqual([
      [{ path: 'metadata.labels["drift/added"]', op: 'added', after: 'yes' }],
    ]);
    expect(c.notes).toEqual([
      'ConfigMap acme/a: metadata.labels["drift/added"] set by kubectl-label, not by git (a sync keeps it)',
    ]);
  });

  it('strips what only the server writes', () => {
    const o = withoutServerFields({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        uid: 'u',
        resourceVersion: '1',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      status: {},
    } as KubernetesObject);
    expect(o).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  });
});
