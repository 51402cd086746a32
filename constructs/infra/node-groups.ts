import { Construct } from 'constructs';
import { Token, type ITerraformDependable } from 'cdktf';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { NodeGroupName } from '../../src/model/conventions';
import { NODE_GROUPS } from '../../src/model/conventions';
import {
  DEFAULT_METADATA_HOP_LIMIT,
  NODE_AMI_TYPE,
  NODE_ROLE_POLICIES,
  nodeGroupTaints,
  nodeMetadataOptions,
  nodeRootVolume,
} from '../../src/infrastructure/node-settings';
import { serviceTrustPolicy } from '../../src/infrastructure/policy';
import {
  sandboxUserData,
  type SandboxRuntimeOptions,
} from '../../src/infrastructure/sandbox-user-data';
import { NODE_GROUP_SETTINGS } from '../../src/infrastructure/retention';

export type { SandboxRuntimeOptions } from '../../src/infrastructure/sandbox-user-data';

/** Size and hardware of one managed node group; labels and taint come from NODE_GROUPS. */
export interface NodeGroupOptions {
  readonly name: NodeGroupName;
  /** EC2 instance types, first preferred. */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Root volume size. */
  readonly diskGiB: number;
  /**
   * gVisor installed on every node of the group and registered with containerd as this CRI
   * runtime handler before the node joins (nodeadm user data, see src/infrastructure/sandbox-user-data.ts).
   *
   * @default - no sandbox runtime: the nodes run runc only and the launch template has no user data
   */
  readonly sandboxRuntime?: SandboxRuntimeOptions;
}

export interface NodeGroupsProps {
  /** EKS cluster the groups join. */
  readonly clusterName: string;
  /** Private subnets nodes are spread across. */
  readonly subnetIds: readonly string[];
  /** The groups to create, each at most once. */
  readonly groups: readonly NodeGroupOptions[];
  /** KMS key ARN the root volumes are encrypted with; the key must admit EC2 Auto Scaling. */
  readonly volumeKeyArn: string;
  /** AWS partition, for managed policy ARNs. */
  readonly partition: string;
  /**
   * IMDS hop limit (`http_put_response_hop_limit`). 1 keeps instance metadata, and with it the
   * node role's credentials, on the node itself: a pod's packets cross one more hop (its veth)
   * and the answer is dropped. Host-network pods (VPC CNI, EBS CSI node, kube-proxy) are on the
   * node and unaffected; every other AWS caller uses Pod Identity. Set 2 only for a workload
   * that must read IMDS from a pod network namespace and cannot use Pod Identity, and say
   * which in review: it hands the node role to every pod on the group.
   *
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * What the node groups wait for, e.g. the VPC CNI add-on without which nodes never turn Ready.
   *
   * @default - only the node role's policy attachments
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Managed node groups with the labels and `NoSchedule` taint of NODE_GROUPS, so a pod lands
 * on a group only by tolerating its taint and selecting its labels, the same definition the
 * manifests use. Every node runs a launch template that requires IMDSv2 and encrypts its gp3
 * root volume with the given KMS key.
 */
export class NodeGroups extends Construct {
  public readonly nodeRole: IamRole;
  public readonly groups: ReadonlyMap<NodeGroupName, EksNodeGroup>;
  public readonly metadataHopLimit: number;
  /** CRI runtime handlers installed per group, for the RuntimeClass that needs them. */
  public readonly runtimeHandlers: ReadonlyMap<NodeGroupName, string>;

  constructor(scope: Construct, id: string, props: NodeGroupsProps) {
    super(scope, id);
    this.metadataHopLimit = props.metadataHopLimit ?? DEFAULT_METADATA_HOP_LIMIT;
    const metadataOptions = nodeMetadataOptions(this.metadataHopLimit);
    const seen = new Set<string>();
    for (const g of props.groups) {
      if (seen.has(g.name))
        throw new Error(`groups: "${g.name}" is listed twice; list each node group once`);
      seen.add(g.name);
      if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
        throw new Error(
          `groups.${g.name}: sizes min ${g.minSize} / desired ${g.desiredSize} / max ${g.maxSize} must satisfy min <= desired <= max`,
        );
      }
      if (g.instanceTypes.length === 0)
        throw new Error(`groups.${g.name}.instanceTypes: list at least one instance type`);
    }

    this.nodeRole = new IamRole(this, 'Role', {
      name: `${props.clusterName}-nodes`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    const attachments = NODE_ROLE_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.nodeRole.name,
          policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`,
        }),
    );

    const groups = new Map<NodeGroupName, EksNodeGroup>();
    for (const g of props.groups) {
      const scope = new Construct(this, g.name);
      const convention = NODE_GROUPS[g.name];
      const template = new LaunchTemplate(scope, 'LaunchTemplate', {
        name: `${props.clusterName}-${g.name}`,
        updateDefaultVersion: true,
        // Base64 of plain bytes, not Terraform's base64encode(): the promise checks decode it
        // from cdk.tf.json to prove the RuntimeClass's nodes really have the handler.
        ...(g.sandboxRuntime
          ? { userData: Buffer.from(sandboxUserData(g.sandboxRuntime)).toString('base64') }
          : {}),
        metadataOptions,
        blockDeviceMappings: [nodeRootVolume(g.diskGiB, props.volumeKeyArn)],
        tagSpecifications: [
          { resourceType: 'instance', tags: { Name: `${props.clusterName}-${g.name}` } },
        ],
      });
      groups.set(
        g.name,
        new EksNodeGroup(scope, 'Resource', {
          clusterName: props.clusterName,
          nodeGroupName: g.name,
          nodeRoleArn: this.nodeRole.arn,
          subnetIds: [...props.subnetIds],
          amiType: NODE_AMI_TYPE,
          capacityType: NODE_GROUP_SETTINGS.capacityType,
          instanceTypes: [...g.instanceTypes],
          scalingConfig: { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredSize },
          updateConfig: { ...NODE_GROUP_SETTINGS.updateConfig },
          labels: { ...convention.labels },
          taint: nodeGroupTaints(g.name),
          launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
          // The cluster autoscaler owns the current size; Terraform owns the bounds.
          lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
          dependsOn: [...attachments, ...(props.dependsOn ?? [])],
        }),
      );
    }
    this.groups = groups;
    this.runtimeHandlers = new Map(
      props.groups.flatMap((g) =>
        g.sandboxRuntime ? [[g.name, g.sandboxRuntime.handler] as const] : [],
      ),
    );
  }

  /** All node groups, for add-ons that need nodes to schedule on. */
  public get all(): EksNodeGroup[] {
    return [...this.groups.values()];
  }
}
