import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksIdentityProviderConfig } from '@cdktf/provider-aws/lib/eks-identity-provider-config';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import {
  ADDON_CONFLICT_RESOLUTION,
  CLUSTER_ACCESS_CONFIG,
  clusterEncryptionConfig,
  clusterVpcConfig,
  CONTROL_PLANE_LOG_TYPES,
} from '../../src/infrastructure/cluster-settings';
import { serviceTrustPolicy } from '../../src/infrastructure/policy';
import { RETENTION_DAYS } from '../../src/infrastructure/retention';

export { CONTROL_PLANE_LOG_TYPES } from '../../src/infrastructure/cluster-settings';

export interface EksClusterProps {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /** Private subnets the control plane places its network interfaces in. */
  readonly subnetIds: readonly string[];
  /** KMS key ARN for envelope encryption of Kubernetes Secrets. */
  readonly secretsKeyArn: string;
  /** KMS key ARN of the control-plane log group; the key must admit CloudWatch Logs. */
  readonly logsKeyArn: string;
  /** AWS partition, for managed policy ARNs. */
  readonly partition: string;
  /**
   * CIDRs allowed to reach the public API endpoint. The private endpoint is always on.
   *
   * @default - no public endpoint; the API is reachable from inside the VPC only
   */
  readonly publicApiCidrs?: readonly string[];
  /**
   * IAM principals that get cluster-admin through an access entry. At least one: the
   * identity that creates the cluster gets no implicit admin grant
   * (`bootstrap_cluster_creator_admin_permissions` is off), so whoever applies Terraform, and
   * the Kubernetes provider of the same stack, must be one of these.
   */
  readonly adminPrincipalArns: readonly string[];
  /** Service IP range of the cluster (`kubernetes_network_config.service_ipv4_cidr`). */
  readonly serviceCidr: string;
  /**
   * Days control-plane logs are kept.
   *
   * @default 90
   */
  readonly logRetentionDays?: number;
}

export interface AddonOptions {
  /** EKS add-on name, e.g. `vpc-cni`. */
  readonly name: string;
  /** Pinned add-on version (`aws eks describe-addon-versions`). */
  readonly version: string;
  /**
   * Add-on configuration, rendered as the JSON EKS validates against the add-on's schema.
   *
   * @default - the add-on's defaults
   */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /**
   * What the add-on waits for, e.g. node groups for add-ons with Deployments.
   *
   * @default - only the cluster
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** An OIDC identity provider the API server trusts besides IAM (the platform's Keycloak). */
export interface OidcIdentityProviderOptions {
  /** Name of the association in EKS. */
  readonly name: string;
  /** Issuer URL (https), e.g. `https://keycloak.dev.example.com/realms/platform`. */
  readonly issuerUrl: string;
  /** Client id: the audience (`aud`) EKS requires of ID tokens. */
  readonly clientId: string;
  /** Claim holding the user's groups. */
  readonly groupsClaim: string;
  /**
   * Put before every group, so an IdP group can never be a Kubernetes system group; RBAC
   * subjects must carry it. EKS rejects the `system:` prefix.
   */
  readonly groupsPrefix: string;
  /** Claim used as the username. */
  readonly usernameClaim: string;
  readonly usernamePrefix: string;
}

/**
 * An EKS cluster: Secrets envelope-encrypted with a KMS key, every control-plane log type
 * sent to an encrypted log group, private endpoint plus an allow-listed public one, and
 * access entries (authentication mode API) instead of the aws-auth ConfigMap.
 *
 * EKS does not install its self-managed vpc-cni, kube-proxy and CoreDNS; add them as managed
 * add-ons with `addAddon`, so every add-on version is pinned and reviewed.
 */
export class EksCluster extends Construct {
  public readonly cluster: EksClusterResource;
  public readonly clusterName: string;
  public readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  public readonly certificateAuthorityData: string;
  /** Security group EKS attaches to the control plane and to managed nodes. */
  public readonly clusterSecurityGroupId: string;
  public readonly publicApiCidrs: readonly string[];
  public readonly logRetentionDays: number;
  /**
   * The cluster-admin policy associations: anything that talks to the Kubernetes API from
   * this stack depends on them, or its first apply races the grant and gets 401.
   */
  public readonly adminAccess: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.publicApiCidrs = props.publicApiCidrs ?? [];
    this.logRetentionDays = props.logRetentionDays ?? RETENTION_DAYS.controlPlaneLogs;
    // Endpoint access is decided with the description the Pulumi program declares; it throws
    // on a public endpoint open to the internet.
    const vpcConfig = clusterVpcConfig(props.subnetIds, this.publicApiCidrs);
    if (props.subnetIds.length < 2) {
      throw new Error(
        `subnetIds: EKS needs subnets in at least two zones, got ${props.subnetIds.length}`,
      );
    }

    const role = new IamRole(this, 'Role', {
      name: `${props.clusterName}-cluster`,
      assumeRolePolicy: serviceTrustPolicy('eks.amazonaws.com', [
        'sts:AssumeRole',
        'sts:TagSession',
      ]),
    });
    const policy = new IamRolePolicyAttachment(this, 'ClusterPolicy', {
      role: role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
    // EKS writes to /aws/eks/<name>/cluster; creating it first sets retention and encryption.
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: this.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });

    this.cluster = new EksClusterResource(this, 'Resource', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      bootstrapSelfManagedAddons: false,
      accessConfig: { ...CLUSTER_ACCESS_CONFIG },
      encryptionConfig: clusterEncryptionConfig(props.secretsKeyArn),
      // Explicit, not EKS's pick: tenant egress rules are checked against this range.
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr },
      vpcConfig,
      dependsOn: [policy, logGroup],
    });
    this.clusterName = this.cluster.name;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    const admins = props.adminPrincipalArns;
    if (admins.length === 0) {
      throw new Error(
        'adminPrincipalArns: empty; name at least one IAM role that administers the cluster (aws.adminRoleArns), since the creator gets no implicit access',
      );
    }
    const repeated = admins.find((a, i) => admins.indexOf(a) !== i);
    if (repeated !== undefined) {
      throw new Error(
        `adminPrincipalArns: "${repeated}" is listed twice; list each principal once`,
      );
    }
    const adminAccess: ITerraformDependable[] = [];
    for (const principalArn of admins) {
      // Addressed by account and name, not position: reordering the list must not make
      // Terraform destroy and recreate an admin's access (and lock them out meanwhile).
      const m = /^arn:[^:]+:iam::(\d{12}):(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
      if (!m) {
        throw new Error(
          `adminPrincipalArns: "${principalArn}" is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/PlatformAdmin`,
        );
      }
      const admin = new Construct(this, `Admin-${m[1]}-${m[2]}`);
      const entry = new EksAccessEntry(admin, 'AccessEntry', {
        clusterName: this.cluster.name,
        principalArn,
        type: 'STANDARD',
      });
      adminAccess.push(
        new EksAccessPolicyAssociation(admin, 'ClusterAdmin', {
          clusterName: this.cluster.name,
          principalArn: entry.principalArn,
          policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
          accessScope: { type: 'cluster' },
        }),
      );
    }
    this.adminAccess = adminAccess;
  }

  /**
   * Associates an OIDC identity provider: its ID tokens authenticate to the API server as
   * `<usernamePrefix><usernameClaim>` in groups `<groupsPrefix><group>`, which RoleBindings
   * grant (IAM access entries keep working beside it).
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/authenticate-oidc-identity-provider.html
   */
  public addOidcIdentityProvider(
    id: string,
    options: OidcIdentityProviderOptions,
  ): EksIdentityProviderConfig {
    if (!/^https:\/\/[^/\s]+\/\S*$/.test(options.issuerUrl)) {
      throw new Error(
        `addOidcIdentityProvider(${options.name}): issuerUrl "${options.issuerUrl}" must be an https URL such as https://keycloak.example.com/realms/platform (EKS accepts https issuers only)`,
      );
    }
    for (const [field, value] of [
      ['groupsPrefix', options.groupsPrefix],
      ['usernamePrefix', options.usernamePrefix],
    ] as const) {
      if (value === '' || value.startsWith('system:')) {
        throw new Error(
          `addOidcIdentityProvider(${options.name}): ${field} "${value}" must be non-empty and not start with "system:", e.g. "oidc:"`,
        );
      }
    }
    return new EksIdentityProviderConfig(this, id, {
      clusterName: this.cluster.name,
      oidc: {
        identityProviderConfigName: options.name,
        issuerUrl: options.issuerUrl,
        clientId: options.clientId,
        groupsClaim: options.groupsClaim,
        groupsPrefix: options.groupsPrefix,
        usernameClaim: options.usernameClaim,
        usernamePrefix: options.usernamePrefix,
      },
    });
  }

  /** Installs a managed add-on at a pinned version; conflicts with hand edits are overwritten. */
  public addAddon(id: string, options: AddonOptions): EksAddon {
    if (!/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(options.version)) {
      throw new Error(
        `addAddon(${options.name}): version "${options.version}" is not an EKS add-on version such as v1.20.1-eksbuild.3`,
      );
    }
    return new EksAddon(this, id, {
      clusterName: this.cluster.name,
      addonName: options.name,
      addonVersion: options.version,
      ...(options.configuration
        ? { configurationValues: JSON.stringify(options.configuration) }
        : {}),
      ...ADDON_CONFLICT_RESOLUTION,
      ...(options.dependsOn ? { dependsOn: [...options.dependsOn] } : {}),
    });
  }
}
