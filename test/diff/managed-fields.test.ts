import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { foreignFields, ownedPaths, showPath, withoutPaths } from '../../src/diff/managed-fields';

// Shapes as kube-apiserver v1.35 answered a server-side apply dry-run as argocd-controller,
// after `kubectl label ns acme drift/added=yes` and `kubectl set env deploy/agent-registry
// DRIFT_ENV=1` (trimmed to the fields the tests need).
const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'acme',
    labels: {
      'app.kubernetes.io/managed-by': 'agentic-platform',
      'drift/added': 'yes',
      'kubernetes.io/metadata.name': 'acme',
      'pod-security.kubernetes.io/enforce': 'restricted',
    },
    managedFields: [
      {
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:labels': {
              'f:app.kubernetes.io/managed-by': {},
              'f:pod-security.kubernetes.io/enforce': {},
            },
          },
          'f:spec': {},
        },
        manager: 'argocd-controller',
        operation: 'Apply',
      },
      {
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:drift/added': {} } } },
        manager: 'kubectl-label',
        operation: 'Update',
      },
    ],
  },
  spec: { finalizers: ['kubernetes'] },
} as KubernetesObject;

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'agent-registry',
    namespace: 'agent-registry',
    annotations: { 'deployment.kubernetes.io/revision': '1' },
    managedFields: [
      {
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"registry"}': {
                    '.': {},
                    'f:env': {
                      'k:{"name":"REGISTRY_PORT"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                    },
                    'f:name': {},
                  },
                },
              },
            },
          },
        },
        manager: 'argocd-controller',
        operation: 'Apply',
      },
      {
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"registry"}': {
                    'f:env': {
                      'k:{"name":"DRIFT_ENV"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                    },
                  },
                },
              },
            },
          },
        },
        manager: 'kubectl-set',
        operation: 'Update',
      },
      {
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} },
          },
          'f:status': { 'f:replicas': {} },
        },
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'status',
      },
    ],
  },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'registry',
            env: [
              { name: 'REGISTRY_PORT', value: '8080' },
              { name: 'DRIFT_ENV', value: '1' },
            ],
          },
        ],
      },
    },
  },
  status: { replicas: 1 },
} as KubernetesObject;

const withManagers = (o: object, managedFields: object[]) =>
  ({ ...o, metadata: { name: 'x', managedFields } }) as KubernetesObject;

describe('ownedPaths', () => {
  it('resolves map keys, keyed items, set values and indices against the object', () => {
    const o = {
      spec: {
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 443, protocol: 'TCP' },
        ],
        finalizers: ['a', 'b'],
        args: ['x', 'y'],
      },
    };
    expect(
      ownedPaths(
        {
          'f:spec': {
            'f:ports': { 'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:port': {} } },
            'f:finalizers': { 'v:"b"': {} },
            'f:args': { 'i:0': {} },
          },
        },
        o,
      ),
    ).toEqual([
      { path: ['spec', 'ports', 1], node: true },
      { path: ['spec', 'ports', 1, 'port'], node: false },
      { path: ['spec', 'finalizers', 1], node: false },
      { path: ['spec', 'args', 0], node: false },
    ]);
  });

  it('skips members the object no longer has', () => {
    expect(
      ownedPaths(
        { 'f:metadata': { 'f:labels': { 'f:gone': {} } }, 'f:spec': { 'k:{"name":"x"}': {} } },
        { metadata: { labels: {} }, spec: { items: [] } },
      ),
    ).toEqual([]);
  });
});

describe('foreignFields', () => {
  it('finds a label another manager added, not the sync’s labels or a server-set one', () => {
    expect(foreignFields(namespace, 'argocd-controller')).toEqual([
      { path: ['metadata', 'labels', 'drift/added'], managers: ['kubectl-label'] },
    ]);
  });

  it('reports an env var added to a container the sync owns as one item, and ignores status writers', () => {
    expect(foreignFields(deployment, 'argocd-controller')).toEqual([
      {
        path: ['spec', 'template', 'spec', 'containers', 0, 'env', 1],
        managers: ['kubectl-set'],
      },
    ]);
  });

  it('leaves a list item both managers wrote to git', () => {
    const o = withManagers({ spec: { ports: [{ port: 80, name: 'http' }] } }, [
      {
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80}': { 'f:port': {} } } } },
        manager: 'argocd-controller',
      },
      {
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80}': { '.': {}, 'f:name': {} } } } },
        manager: 'kubectl-edit',
      },
    ]);
    // The item is shared; its `name` only kubectl-edit wrote.
    expect(foreignFields(o, 'argocd-controller')).toEqual([
      { path: ['spec', 'ports', 0, 'name'], managers: ['kubectl-edit'] },
    ]);
  });

  it('leaves what lies inside a whole value the sync owns (an atomic map or list)', () => {
    const o = withManagers({ spec: { selector: { app: 'a', extra: 'b' } } }, [
      { fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:selector': {} } }, manager: 'sync' },
      {
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:selector': { 'f:extra': {} } } },
        manager: 'other',
      },
    ]);
    expect(foreignFields(o, 'sync')).toEqual([]);
  });

  it('names every manager of a field several wrote', () => {
    const entry = (manager: string) => ({
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:note': {} } } },
      manager,
    });
    const o = {
      metadata: {
        name: 'x',
        annotations: { note: 'hi' },
        managedFields: [entry('b-tool'), entry('a-tool')],
      },
    } as KubernetesObject;
    expect(foreignFields(o, 'sync')).toEqual([
      { path: ['metadata', 'annotations', 'note'], managers: ['a-tool', 'b-tool'] },
    ]);
  });
});

describe('withoutPaths', () => {
  it('removes fields and list items, the higher index first, leaving the input alone', () => {
    const o = { a: [0, 1, 2, 3], b: { c: 1, d: 2 } };
    expect(
      withoutPaths(o, [
        ['a', 1],
        ['b', 'c'],
        ['a', 3],
      ]),
    ).toEqual({ a: [0, 2], b: { d: 2 } });
    expect(o).toEqual({ a: [0, 1, 2, 3], b: { c: 1, d: 2 } });
  });
});

describe('showPath', () => {
  it('prints list items by identity when the object gives one, keys with dots quoted', () => {
    expect(showPath(['spec', 'template', 'spec', 'containers', 0, 'env', 1], deployment)).toBe(
      'spec.template.spec.containers[name=registry].env[name=DRIFT_ENV]',
    );
    expect(showPath(['metadata', 'labels', 'drift/added'])).toBe('metadata.labels["drift/added"]');
    expect(showPath(['spec', 'args', 0], { spec: { args: ['x'] } })).toBe('spec.args[0]');
  });
});

describe('foreignFields on a Namespace that existed before its first apply', () => {
  // As kube-apiserver 1.35 records it (observed on the cluster suite's control plane): an
  // apply of { name } creates the namespace, the next apply of git's Namespace finds no
  // managedFields and books what the server had written under `before-first-apply`.
  const namespace = (extraLabel?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'platform-db',
      labels: {
        'kubernetes.io/metadata.name': 'platform-db',
        'pod-security.kubernetes.io/enforce': 'restricted',
        ...extraLabel,
      },
      managedFields: [
        {
          manager: 'argocd-controller',
          operation: 'Apply',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:pod-security.kubernetes.io/enforce': {} } },
          },
        },
        {
          manager: 'before-first-apply',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:labels': {
                '.': {},
                'f:kubernetes.io/metadata.name': {},
                ...(extraLabel ? { 'f:team': {} } : {}),
              },
            },
            'f:spec': { 'f:finalizers': {} },
          },
        },
      ],
    },
    spec: { finalizers: ['kubernetes'] },
  });

  it('takes the name label and the kubernetes finalizer the server writes for no drift', () => {
    expect(foreignFields(namespace(), 'argocd-controller')).toEqual([]);
  });

  it('still reports a label someone set before the first apply', () => {
    expect(foreignFields(namespace({ team: 'x' }), 'argocd-controller')).toEqual([
      { path: ['metadata', 'labels', 'team'], managers: ['before-first-apply'] },
    ]);
  });
});
