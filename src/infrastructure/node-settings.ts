import { NODE_GROUPS, type NodeGroupName } from '../model/conventions';

/** EKS managed node groups use this AMI family for x86 instance types. */
export const NODE_AMI_TYPE = 'AL2023_x86_64_STANDARD';
/** Root device of AL2023 EKS AMIs. */
export const NODE_ROOT_DEVICE = '/dev/xvda';

/**
 * AWS managed policies of the node role. The VPC CNI runs with the node role
 * (AmazonEKS_CNI_Policy); every other AWS caller in the cluster uses Pod Identity, so nodes
 * hold nothing beyond joining, pulling and pod networking.
 */
export const NODE_ROLE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEKS_CNI_Policy',
] as const;

/**
 * Launch template metadata options: IMDSv2 only, answers limited to `hopLimit` hops (1 keeps
 * them on the node; see NodeGroupsProps.metadataHopLimit). Throws on anything but 1 or 2.
 */
export function nodeMetadataOptions(hopLimit: number) {
  if (hopLimit !== 1 && hopLimit !== 2) {
    throw new Error(
      `metadataHopLimit: ${hopLimit} lets IMDS answers travel further than a pod; use 1 or 2`,
    );
  }
  return { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit };
}

/** The root volume: gp3, encrypted with the given KMS key, gone with the instance. */
export function nodeRootVolume<V>(diskGiB: number, keyArn: V) {
  return {
    deviceName: NODE_ROOT_DEVICE,
    ebs: {
      volumeSize: diskGiB,
      volumeType: 'gp3',
      encrypted: 'true',
      kmsKeyId: keyArn,
      deleteOnTermination: 'true',
    },
  };
}

/** Kubernetes spells taint effects `NoSchedule`; the EKS API spells them `NO_SCHEDULE`. */
const EKS_TAINT_EFFECT = { NoSchedule: 'NO_SCHEDULE' } as const;

/** The group's NODE_GROUPS taint, in the EKS API's spelling. */
export function nodeGroupTaints(name: NodeGroupName) {
  const t = NODE_GROUPS[name].taint;
  return [{ key: t.key, value: t.value, effect: EKS_TAINT_EFFECT[t.effect] }];
}

/**
 * Placement of add-on Deployments on the platform group: every node group is tainted, so
 * they select its labels and tolerate its taint.
 */
export function platformPlacement() {
  const platform = NODE_GROUPS.platform;
  return {
    nodeSelector: { ...platform.labels },
    tolerations: [
      {
        key: platform.taint.key,
        operator: 'Equal',
        value: platform.taint.value,
        effect: platform.taint.effect,
      },
    ],
  };
}

/** IMDS hop limit of every node group unless a reviewed exception sets 2. */
export const DEFAULT_METADATA_HOP_LIMIT = 1;
