import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_GROUPS } from '../../../src/model/conventions';
import { environmentModel } from './environment';
import { nodeObject, nodeShapes } from './nodes';

const ROOT = path.resolve(__dirname, '../../..');

describe('nodeShapes', () => {
  const prod = environmentModel(ROOT, 'prod');

  it('makes one node per desired node of each group, labelled and tainted like the EKS group', () => {
    const shapes = nodeShapes(prod);
    for (const [group, spec] of Object.entries(prod.spec.nodeGroups)) {
      const nodes = shapes.filter((s) => s.group === group);
      expect(nodes).toHaveLength(spec.desiredSize);
      for (const n of nodes) {
        expect(n.labels.workload).toBe(
          NODE_GROUPS[group as keyof typeof NODE_GROUPS].labels.workload,
        );
        expect(n.taints).toEqual([NODE_GROUPS[group as keyof typeof NODE_GROUPS].taint]);
        expect(n.labels['node.kubernetes.io/instance-type']).toBe(spec.instanceTypes[0]);
      }
    }
  });

  it('gives a node its instance capacity and the EKS kube-reserved allocatable', () => {
    const agents = nodeShapes(prod).find((s) => s.group === 'agents');
    expect(agents?.capacity).toEqual({ cpu: '8', memory: '32Gi', pods: '58' });
    // 8 vCPUs: 60 + 10 + 5 + 5 + 4 × 2.5 = 90m reserved; memory 11 × 58 + 255 + 100 MiB.
    expect(agents?.allocatable).toEqual({
      cpu: '7910m',
      memory: `${32 * 1024 - 993}Mi`,
      pods: '58',
    });
  });

  it('spreads a group over the availability zones', () => {
    const zones = nodeShapes(prod)
      .filter((s) => s.group === 'agents')
      .map((s) => s.labels['topology.kubernetes.io/zone']);
    expect(new Set(zones)).toEqual(new Set(prod.spec.aws.availabilityZones));
  });

  it('throws naming an instance type it has no capacity for', () => {
    const env = {
      ...prod,
      spec: {
        ...prod.spec,
        nodeGroups: {
          ...prod.spec.nodeGroups,
          gateway: { ...prod.spec.nodeGroups.gateway, instanceTypes: ['x9.huge'] },
        },
      },
    };
    expect(() => nodeShapes(env)).toThrow(
      /nodeGroups.gateway.instanceTypes\[0\] "x9.huge" has no entry in INSTANCE_TYPES/,
    );
  });

  it('marks the node for kwok', () => {
    const node = nodeObject(nodeShapes(prod)[0]!);
    expect((node.metadata as any).annotations['kwok.x-k8s.io/node']).toBe('fake');
  });
});
