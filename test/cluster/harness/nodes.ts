import type { KubernetesObject } from '@kubernetes/client-node';
import { NODE_GROUPS, type NodeGroupName } from '../../../src/model/conventions';
import type { EnvironmentModel } from '../../../src/model/types';
import { KWOK_NODE_ANNOTATION } from './control-plane';

/**
 * The EC2 instance types the environments use. vCPUs and memory are the instance's; max pods is
 * the VPC CNI's limit from aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt (ENIs × (IPv4 per ENI − 1)
 * + 2), which EKS AMIs set as the kubelet's maxPods.
 */
export const INSTANCE_TYPES: Readonly<
  Record<string, { vcpus: number; memoryGiB: number; maxPods: number }>
> = {
  'm7i.xlarge': { vcpus: 4, memoryGiB: 16, maxPods: 58 },
  'm7i.2xlarge': { vcpus: 8, memoryGiB: 32, maxPods: 58 },
  'c7i.large': { vcpus: 2, memoryGiB: 4, maxPods: 29 },
};

/** One fake node: what kwok runs and the scheduler places pods on. */
export interface NodeShape {
  readonly name: string;
  readonly group: NodeGroupName;
  readonly instanceType: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value: string; effect: string }[];
  readonly capacity: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
}

/**
 * kube-reserved as the EKS AMIs compute it: memory 11 MiB per pod + 255 MiB; CPU 6% of the first
 * core, 1% of the second, 0.5% of the next two, 0.25% of the rest. Eviction keeps 100 MiB more.
 */
function allocatable(vcpus: number, memoryGiB: number, maxPods: number) {
  const cores = [0.06, 0.01, 0.005, 0.005];
  let reservedMilli = 0;
  for (let i = 0; i < vcpus; i++) reservedMilli += 1000 * (cores[i] ?? 0.0025);
  const memoryMiB = memoryGiB * 1024 - (11 * maxPods + 255) - 100;
  return {
    cpu: `${vcpus * 1000 - Math.ceil(reservedMilli)}m`,
    memory: `${memoryMiB}Mi`,
    pods: String(maxPods),
  };
}

/**
 * One fake node per desired node of every node group of the environment, shaped like the EKS
 * managed node group: the group's labels and NoSchedule taint (NODE_GROUPS, the definition the
 * Terraform stack uses too), the instance's capacity, zones round-robin over the environment's
 * availability zones.
 */
export function nodeShapes(env: EnvironmentModel): NodeShape[] {
  const shapes: NodeShape[] = [];
  const zones = env.spec.aws.availabilityZones;
  for (const [group, spec] of Object.entries(env.spec.nodeGroups) as [
    NodeGroupName,
    EnvironmentModel['spec']['nodeGroups'][NodeGroupName],
  ][]) {
    const instanceType = spec.instanceTypes[0] as string;
    const instance = INSTANCE_TYPES[instanceType];
    if (!instance) {
      throw new Error(
        `${env.sourceFile}: nodeGroups.${group}.instanceTypes[0] "${instanceType}" has no entry in INSTANCE_TYPES (test/cluster/harness/nodes.ts); add its vCPUs, memory and eni-max-pods value`,
      );
    }
    const convention = NODE_GROUPS[group];
    for (let i = 0; i < spec.desiredSize; i++) {
      const zone = zones[i % zones.length] as string;
      const name = `${group}-${i}`;
      shapes.push({
        name,
        group,
        instanceType,
        labels: {
          ...convention.labels,
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': instanceType,
          'topology.kubernetes.io/region': env.spec.aws.region,
          'topology.kubernetes.io/zone': zone,
          'eks.amazonaws.com/nodegroup': group,
          type: 'kwok',
        },
        taints: [{ ...convention.taint }],
        capacity: {
          cpu: String(instance.vcpus),
          memory: `${instance.memoryGiB}Gi`,
          pods: String(instance.maxPods),
        },
        allocatable: allocatable(instance.vcpus, instance.memoryGiB, instance.maxPods),
      });
    }
  }
  return shapes;
}

/** The Node object kwok manages for a shape (status is written separately, it is a subresource). */
export function nodeObject(shape: NodeShape): KubernetesObject & Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: shape.name,
      labels: { ...shape.labels },
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { taints: shape.taints.map((t) => ({ ...t })) },
  };
}
