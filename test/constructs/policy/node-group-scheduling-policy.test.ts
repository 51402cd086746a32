import { describe, expect, it } from 'vitest';
import {
  NodeGroupSchedulingPolicy,
  type NodeGroupSchedulingPolicyProps,
} from '../../../constructs/policy/node-group-scheduling-policy';
import { NODE_GROUPS } from '../../../src/model/conventions';
import { find, objectsOf } from '../../construct-helpers';

const props: NodeGroupSchedulingPolicyProps = {
  name: 'platform-scheduling',
  namespaceSelector: [
    { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kagent', 'monitoring'] },
  ],
  nodeGroup: NODE_GROUPS.platform,
};

const policy = (p: Partial<NodeGroupSchedulingPolicyProps> = {}) =>
  find(
    objectsOf((s) => new NodeGroupSchedulingPolicy(s, 'p', { ...props, ...p })),
    'MutatingPolicy',
    p.name ?? props.name,
  );

describe('NodeGroupSchedulingPolicy', () => {
  it('is a cluster-wide policies.kyverno.io MutatingPolicy in the storage version', () => {
    const p = policy();
    expect(p.apiVersion).toBe('policies.kyverno.io/v1beta1');
    expect(p.metadata.namespace).toBeUndefined();
  });

  it('matches pod creation in the selected namespaces only', () => {
    const c = policy().spec.matchConstraints;
    expect(c.namespaceSelector.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kagent', 'monitoring'] },
    ]);
    expect(c.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
    ]);
  });

  it('patches the node group label and a toleration of its taint with JSONPatch', () => {
    const [m] = policy().spec.mutations;
    expect(m.patchType).toBe('JSONPatch');
    const expr: string = m.jsonPatch.expression;
    expect(expr).toContain('path: "/spec/nodeSelector/workload", value: "platform"');
    expect(expr).toContain(
      '{"effect":"NoSchedule","key":"workload","operator":"Equal","value":"platform"}',
    );
    expect(expr).not.toContain('runtimeClassName');
  });

  it('escapes label keys as JSON Pointer segments', () => {
    const expr: string = policy({
      nodeGroup: { ...NODE_GROUPS.agents, labels: { 'node.example.com/pool': 'a~b' } },
    }).spec.mutations[0].jsonPatch.expression;
    expect(expr).toContain('"/spec/nodeSelector/node.example.com~1pool"');
  });

  it('sets the RuntimeClass when one is given', () => {
    const expr: string = policy({ runtimeClassName: 'gvisor' }).spec.mutations[0].jsonPatch
      .expression;
    expect(expr).toContain('JSONPatch{op: "add", path: "/spec/runtimeClassName", value: "gvisor"}');
  });

  it('has no match conditions by default: the node group always wins', () => {
    expect(policy().spec.matchConditions).toBeUndefined();
  });

  it('skips DaemonSet pods and pods that chose a node group when asked to', () => {
    const names = policy({
      skipDaemonSetPods: true,
      keepChosenNodeGroup: true,
    }).spec.matchConditions.map((c: { name: string }) => c.name);
    expect(names).toEqual(['not-a-daemonset-pod', 'no-node-group-chosen']);
  });

  it.each([
    [{ nodeGroup: { ...NODE_GROUPS.platform, labels: {} } }, /nodeGroup.labels is empty/],
    [{ namespaceSelector: [] }, /namespaceSelector is empty/],
    [
      { namespaceSelector: [{ key: 'a', operator: 'In' as const }] },
      /requirement on "a" with operator In needs values/,
    ],
    [
      { namespaceSelector: [{ key: 'a', operator: 'Exists' as const, values: ['x'] }] },
      /requirement on "a" with operator Exists takes no values/,
    ],
  ])('fails on invalid props (%#)', (p, message) => {
    expect(() => policy(p)).toThrow(message);
  });
});
