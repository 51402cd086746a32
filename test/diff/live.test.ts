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
    expect(c.changes[0]!.fields).toEqual([
      { path: 'spec.replicas', op: 'changed', before: 3, after: 2 },
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

  it('lists what git has and the cluster lacks, and what the cluster has that git dropped', async () => {
    const report = await diffLive(
      dev,
      files(object('ConfigMap', 'missing', {}), object('ConfigMap', 'kept', {})),
      fakeCluster([
        object('ConfigMap', 'kept', { weight: 1 }),
        object('ConfigMap', 'orphan', { weight: 1 }),
      ]),
    );
    expect(report.comparisons[0]!.changes.map((c) => [c.status, c.name, c.layer])).toEqual([
      ['added', 'missing', 'tenants'],
      ['removed', 'orphan', 'cluster only'],
    ]);
  });

  it('notes a kind the cluster does not serve instead of failing', async () => {
    const report = await diffLive(dev, files(object('Widget', 'w', {})), fakeCluster([]));
    expect(report.comparisons[0]!.notes).toEqual([
      'v1 Widget is not served by the cluster (CRD not installed?)',
    ]);
    expect(report.comparisons[0]!.changes.map((c) => c.status)).toEqual(['added']);
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
