import { describe, expect, it } from 'vitest';
import { checkScheduling } from '../../src/render/check-rendered';
import type { RenderedObject } from '../../src/render/helm';
import { tolerates } from '../../src/render/pod-templates';
import type { RenderedEnvironment } from '../../src/render/render-addons';
import { NODE_GROUPS } from '../../src/model/conventions';
import { deployment } from './helpers';

const platform = {
  key: 'workload',
  operator: 'Equal' as const,
  value: 'platform',
  effect: 'NoSchedule',
};

function env(objects: RenderedObject[]): RenderedEnvironment {
  return {
    name: 'dev',
    kubernetesVersion: '1.33',
    cluster: { name: 'c', server: 's', labels: {}, annotations: {}, unknownAfterApply: [] },
    apiVersions: [],
    notGenerated: [],
    applications: [
      {
        app: {
          applicationSet: 'addon-a',
          name: 'a',
          namespace: 'a',
          wave: 10,
          source: { repoURL: 'r', targetRevision: '1' },
        },
        source: { dir: 'a', plain: false },
        vendored: 'a',
        objects,
      },
    ],
  };
}

describe('checkScheduling', () => {
  it('accepts a pod that tolerates the platform taint', () => {
    expect(checkScheduling(env([deployment('ok', { tolerations: [platform] })]))).toEqual([]);
  });

  it('reports a pod that needs the scheduling mutation to tolerate its node group', () => {
    const f = checkScheduling(env([deployment('bare', {})]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      check: 'scheduling',
      application: 'a',
      resource: 'Deployment/bare',
    });
    expect(f[0]!.message).toMatch(/does not tolerate its taint workload=platform:NoSchedule/);
  });

  it('reports a pod that selects another node group', () => {
    const f = checkScheduling(
      env([
        deployment('elsewhere', { tolerations: [platform], nodeSelector: { workload: 'agents' } }),
      ]),
    );
    expect(f[0]!.message).toMatch(/nodeSelector asks for workload=agents/);
  });

  it('requires a DaemonSet to tolerate every node group', () => {
    const ds = {
      ...deployment('agent', { tolerations: [platform] }),
      kind: 'DaemonSet',
    } as RenderedObject;
    const f = checkScheduling(env([ds]));
    expect(f[0]!.message).toMatch(/agents .*gateway .*dedicated/);
    const all = {
      ...deployment('agent', { tolerations: [{ operator: 'Exists' }] }),
      kind: 'DaemonSet',
    } as RenderedObject;
    expect(checkScheduling(env([all]))).toEqual([]);
  });

  it('reads the placement of operator CRs that make pods (CloudNativePG under spec.affinity)', () => {
    const cluster = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'db' },
      spec: { affinity: {} },
    } as RenderedObject;
    expect(checkScheduling(env([cluster]))[0]!.resource).toBe('Cluster/db');
  });
});

describe('tolerates', () => {
  it.each([
    [{ operator: 'Exists' as const }, true],
    [{ key: 'workload', operator: 'Exists' as const }, true],
    [{ key: 'workload', operator: 'Equal' as const, value: 'platform' }, true],
    [{ key: 'workload', value: 'platform', effect: 'NoExecute' }, false],
    [{ key: 'workload', operator: 'Equal' as const, value: 'agents' }, false],
    [{ key: 'other', operator: 'Exists' as const }, false],
  ])('%j tolerates workload=platform:NoSchedule: %s', (t, expected) => {
    expect(tolerates(t, NODE_GROUPS.platform.taint)).toBe(expected);
  });
});
