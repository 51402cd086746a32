import { Construct } from 'constructs';
import { Fn, S3Backend, TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import type { Node } from 'constructs';
import { VPC_CNI_CONFIGURATION } from '../../src/infrastructure/cluster-settings';
import { snakeCase } from '../../src/infrastructure/description';
import { identityPermissions } from '../../src/infrastructure/identity-permissions';
import { platformPlacement } from '../../src/infrastructure/node-settings';
import { LABELS, MANAGED_BY, ANNOTATIONS } from '../../src/model/conventions';
import {
  ADDON_IDENTITIES,
  IDENTITY_NAMES,
  LANGFUSE_REDIS,
  POSTGRES_ENDPOINT,
  platformSecretKey,
  type AddonName,
  type IdentityName,
} from '../../src/model/gitops-bridge';
import { EksCluster, type OidcIdentityProviderOptions } from './eks-cluster';
import { EncryptedBucket } from './encrypted-bucket';
import { EncryptionKey } from './encryption-key';
import { GitOpsBridge } from './gitops-bridge';
import { Network, type NatGateways } from './network';
import { NodeGroups, type NodeGroupOptions } from './node-groups';
import { PodIdentityRole } from './pod-identity-role';
import { PostgresDatabase } from './postgres-database';
import { RedisCache } from './redis-cache';

export { VPC_CNI_CONFIGURATION } from '../../src/infrastructure/cluster-settings';

/** Pinned versions of the EKS managed add-ons this stack installs. */
export interface EksAddonVersions {
  readonly 'vpc-cni': string;
  readonly 'kube-proxy': string;
  readonly 'eks-pod-identity-agent': string;
  readonly coredns: string;
  readonly 'aws-ebs-csi-driver': string;
}

export interface PlatformStackProps {
  /** Environment name (`dev`, `prod`); keys the Terraform state. */
  readonly environment: string;
  /** Spec file the stack is generated from, tagged on every resource. */
  readonly sourceFile: string;
  readonly accountId: string;
  readonly region: string;
  /** AWS partition of the region (`aws`, `aws-us-gov`, `aws-cn`). */
  readonly partition: string;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** Public DNS zone of the environment. */
  readonly domain: string;
  /** Route 53 hosted zone id of `domain`; external-dns and cert-manager may change only it. */
  readonly hostedZoneId: string;
  readonly vpcCidr: string;
  /** Service IP range of the cluster; must not overlap `vpcCidr`. */
  readonly serviceCidr: string;
  readonly availabilityZones: readonly string[];
  readonly natGateways: NatGateways;
  /**
   * CIDRs allowed to reach the public EKS API endpoint.
   *
   * @default - the public endpoint is disabled
   */
  readonly publicApiCidrs?: readonly string[];
  /**
   * IAM principals that get cluster-admin through an EKS access entry; at least one, and the
   * identity that applies this stack must be one of them (the creator gets no implicit grant).
   */
  readonly adminPrincipalArns: readonly string[];
  /**
   * OIDC identity provider the API server trusts (the platform Keycloak), so RoleBindings to
   * its groups bind real users.
   *
   * @default - IAM access entries only
   */
  readonly oidcIdentityProvider?: OidcIdentityProviderOptions;
  /** Managed node groups to create (the dedicated group only when a tenant needs it). */
  readonly nodeGroups: readonly NodeGroupOptions[];
  readonly addonVersions: EksAddonVersions;
  readonly postgresEngineVersion: string;
  readonly postgresInstanceClass: string;
  readonly postgresAllocatedStorageGiB: number;
  readonly postgresMultiAz: boolean;
  readonly postgresDeletionProtection: boolean;
  readonly postgresBackupRetentionDays: number;
  readonly redisEngineVersion: string;
  readonly redisNodeType: string;
  readonly redisReplicas: number;
  /** Git repository Argo CD syncs `dist/<env>` from. */
  readonly repoUrl: string;
  /** Branch or tag Argo CD tracks. */
  readonly targetRevision: string;
  /** The root Application the GitOps Bridge creates, as the bootstrap folder holds it. */
  readonly rootApplication: Readonly<Record<string, unknown>>;
  /** Its AppProject, as the bootstrap folder holds it. */
  readonly bootstrapProject: Readonly<Record<string, unknown>>;
  /** Add-ons enabled on the cluster Secret. */
  readonly enabledAddons: readonly AddonName[];
  /**
   * Secrets Manager name prefixes external-secrets may read, each ending in `/`.
   *
   * @default ['platform/', 'tenants/'] - platform-provided keys and tenants' own keys
   */
  readonly secretPrefixes?: readonly string[];
  /**
   * S3 bucket holding the Terraform state (created out of band, before the first apply).
   *
   * @default `agentic-platform-tfstate-<accountId>-<region>`
   */
  readonly stateBucket?: string;
}

/**
 * The cloud infrastructure of one environment: network, KMS keys, EKS with pinned managed
 * add-ons and tainted node groups, PostgreSQL, Redis, the Langfuse bucket, Pod Identity
 * roles, and the GitOps Bridge hand-over to Argo CD. State lives in S3 with S3-native
 * locking (`use_lockfile`, Terraform >= 1.10), one key per environment.
 *
 * Resource addresses are the construct path in snake_case (`network_vpc`,
 * `eks_cluster`), not cdktf's hashed ids, so plans and diffs read like hand-written
 * Terraform. Renaming a construct id renames the address: review it as a state move.
 */
export class PlatformStack extends TerraformStack {
  public readonly network: Network;
  public readonly cluster: EksCluster;
  public readonly nodeGroups: NodeGroups;
  public readonly postgres: PostgresDatabase;
  public readonly redis: RedisCache;
  public readonly langfuseBucket: EncryptedBucket;
  public readonly identities: ReadonlyMap<IdentityName, PodIdentityRole>;
  public readonly bridge: GitOpsBridge;
  public readonly secretPrefixes: readonly string[];
  public readonly stateBucket: string;
  private readonly addresses = new Map<string, string>();

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.secretPrefixes = props.secretPrefixes ?? ['platform/', 'tenants/'];
    this.stateBucket =
      props.stateBucket ?? `agentic-platform-tfstate-${props.accountId}-${props.region}`;
    const badPrefix = this.secretPrefixes.find((p) => !/^[a-z0-9][a-z0-9/_-]*\/$/.test(p));
    if (badPrefix !== undefined) {
      throw new Error(
        `secretPrefixes: "${badPrefix}" must be a Secrets Manager path ending in "/", e.g. "platform/"`,
      );
    }

    new AwsProvider(this, 'aws', {
      region: props.region,
      // A dev plan run with prod credentials fails instead of touching prod.
      allowedAccountIds: [props.accountId],
      defaultTags: [
        {
          tags: {
            [LABELS.environment]: props.environment,
            [LABELS.managedBy]: MANAGED_BY,
            [ANNOTATIONS.source]: props.sourceFile,
          },
        },
      ],
    });
    new S3Backend(this, {
      bucket: this.stateBucket,
      key: `${props.environment}/platform.tfstate`,
      region: props.region,
      encrypt: true,
    });
    // S3-native state locking (Terraform >= 1.10, OpenTofu >= 1.10) replaces the DynamoDB lock
    // table; cdktf 0.21's S3BackendConfig predates the argument, hence the override.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    // cdktf writes the short provider source ("aws"); the full address is unambiguous for
    // Terraform and OpenTofu alike.
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    this.addOverride('terraform.required_providers.kubernetes.source', 'hashicorp/kubernetes');

    const keyProps = { accountId: props.accountId, partition: props.partition };
    const logsKey = new EncryptionKey(this, 'LogsKey', {
      ...keyProps,
      description: `${props.clusterName}: CloudWatch log groups (VPC flow logs, EKS control plane)`,
      alias: `${props.clusterName}/logs`,
      cloudWatchLogsRegion: props.region,
    });
    const secretsKey = new EncryptionKey(this, 'SecretsKey', {
      ...keyProps,
      description: `${props.clusterName}: envelope encryption of Kubernetes Secrets`,
      alias: `${props.clusterName}/eks-secrets`,
    });
    const dataKey = new EncryptionKey(this, 'DataKey', {
      ...keyProps,
      description: `${props.clusterName}: node volumes, RDS, ElastiCache, S3`,
      alias: `${props.clusterName}/data`,
      allowAutoScaling: true,
    });

    this.network = new Network(this, 'Network', {
      name: props.clusterName,
      clusterName: props.clusterName,
      cidr: props.vpcCidr,
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      flowLogKeyArn: logsKey.arn,
    });

    this.cluster = new EksCluster(this, 'Eks', {
      clusterName: props.clusterName,
      kubernetesVersion: props.kubernetesVersion,
      subnetIds: this.network.privateSubnetIds,
      secretsKeyArn: secretsKey.arn,
      logsKeyArn: logsKey.arn,
      partition: props.partition,
      ...(props.publicApiCidrs ? { publicApiCidrs: props.publicApiCidrs } : {}),
      adminPrincipalArns: props.adminPrincipalArns,
      serviceCidr: props.serviceCidr,
    });
    if (props.oidcIdentityProvider)
      this.cluster.addOidcIdentityProvider('OidcIdentityProvider', props.oidcIdentityProvider);
    const v = props.addonVersions;
    // Nodes only turn Ready once pod networking runs: these go in before the node groups.
    const networking = [
      // Without enableNetworkPolicy the VPC CNI ignores every NetworkPolicy (EKS user guide,
      // cni-network-policy-configure: configuration value `"enableNetworkPolicy": "true"`).
      this.cluster.addAddon('VpcCni', {
        name: 'vpc-cni',
        version: v['vpc-cni'],
        configuration: VPC_CNI_CONFIGURATION,
      }),
      this.cluster.addAddon('KubeProxy', { name: 'kube-proxy', version: v['kube-proxy'] }),
      this.cluster.addAddon('PodIdentityAgent', {
        name: 'eks-pod-identity-agent',
        version: v['eks-pod-identity-agent'],
      }),
    ];

    this.nodeGroups = new NodeGroups(this, 'NodeGroups', {
      clusterName: this.cluster.clusterName,
      subnetIds: this.network.privateSubnetIds,
      groups: props.nodeGroups,
      volumeKeyArn: dataKey.arn,
      partition: props.partition,
      dependsOn: networking,
    });
    if (!this.nodeGroups.groups.has('platform')) {
      throw new Error(
        'nodeGroups: the platform group is missing; CoreDNS and the EBS CSI controller run on it',
      );
    }
    // Every node group is tainted, so add-on Deployments must tolerate the platform taint.
    const onPlatform = platformPlacement();
    this.cluster.addAddon('CoreDns', {
      name: 'coredns',
      version: v.coredns,
      configuration: onPlatform,
      dependsOn: this.nodeGroups.all,
    });

    this.postgres = new PostgresDatabase(this, 'Postgres', {
      identifier: props.clusterName,
      engineVersion: props.postgresEngineVersion,
      instanceClass: props.postgresInstanceClass,
      allocatedStorageGiB: props.postgresAllocatedStorageGiB,
      multiAz: props.postgresMultiAz,
      deletionProtection: props.postgresDeletionProtection,
      backupRetentionDays: props.postgresBackupRetentionDays,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      clientSecurityGroupId: this.cluster.clusterSecurityGroupId,
      keyArn: dataKey.arn,
      endpointSecret: {
        name: platformSecretKey(props.environment, POSTGRES_ENDPOINT.secret),
        hostKey: POSTGRES_ENDPOINT.hostKey,
        portKey: POSTGRES_ENDPOINT.portKey,
      },
    });
    // Langfuse cannot sign ElastiCache IAM tokens: its user logs in with the password the
    // platform keeps in Secrets Manager (the same key external-secrets gives Langfuse).
    const langfuseSecret = new DataAwsSecretsmanagerSecretVersion(this, 'LangfuseRedisSecret', {
      secretId: platformSecretKey(props.environment, LANGFUSE_REDIS.secret),
    });
    this.redis = new RedisCache(this, 'Redis', {
      name: props.clusterName,
      engineVersion: props.redisEngineVersion,
      nodeType: props.redisNodeType,
      replicas: props.redisReplicas,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      clientSecurityGroupId: this.cluster.clusterSecurityGroupId,
      keyArn: dataKey.arn,
      passwordUsers: [
        {
          name: LANGFUSE_REDIS.user,
          password: Fn.lookupNested(Fn.jsondecode(langfuseSecret.secretString), [
            LANGFUSE_REDIS.passwordKey,
          ]),
        },
      ],
    });
    this.langfuseBucket = new EncryptedBucket(this, 'LangfuseBucket', {
      bucketName: `${props.clusterName}-langfuse-${props.accountId}`,
      keyArn: dataKey.arn,
    });

    // Decided with the description the Pulumi program declares.
    const permissions = identityPermissions({
      partition: props.partition,
      region: props.region,
      accountId: props.accountId,
      hostedZoneId: props.hostedZoneId,
      secretPrefixes: this.secretPrefixes,
      dataKeyArn: dataKey.arn,
      postgresMasterSecretArn: this.postgres.masterSecretArn,
      bucketArn: this.langfuseBucket.arn,
      bucketObjectsArn: `${this.langfuseBucket.arn}/*`,
    });
    const identities = new Map<IdentityName, PodIdentityRole>();
    const identityScope = new Construct(this, 'PodIdentity');
    for (const name of IDENTITY_NAMES) {
      identities.set(
        name,
        new PodIdentityRole(identityScope, name, {
          clusterName: this.cluster.clusterName,
          roleName: `${props.clusterName}-${name}`,
          namespace: ADDON_IDENTITIES[name].namespace,
          serviceAccount: ADDON_IDENTITIES[name].serviceAccount,
          ...permissions[name],
        }),
      );
    }
    this.identities = identities;

    const ebsCsi = identities.get('aws-ebs-csi-driver')!;
    this.cluster.addAddon('EbsCsiDriver', {
      name: 'aws-ebs-csi-driver',
      version: v['aws-ebs-csi-driver'],
      configuration: { controller: onPlatform, node: { tolerateAllTaints: true } },
      dependsOn: [...this.nodeGroups.all, ebsCsi.association],
    });

    const roleArns = Object.fromEntries([...identities].map(([n, r]) => [n, r.roleArn])) as Record<
      IdentityName,
      string
    >;
    this.bridge = new GitOpsBridge(this, 'GitOpsBridge', {
      environment: props.environment,
      clusterName: this.cluster.clusterName,
      endpoint: this.cluster.endpoint,
      certificateAuthorityData: this.cluster.certificateAuthorityData,
      region: props.region,
      enabledAddons: props.enabledAddons,
      annotationValues: {
        clusterName: this.cluster.clusterName,
        region: props.region,
        accountId: props.accountId,
        vpcId: this.network.vpcId,
        domain: props.domain,
        hostedZoneId: props.hostedZoneId,
        repoUrl: props.repoUrl,
        repoRevision: props.targetRevision,
        repoBasePath: `dist/${props.environment}/`,
        postgresEndpoint: this.postgres.address,
        postgresSecretArn: this.postgres.masterSecretArn,
        redisEndpoint: this.redis.primaryEndpoint,
        langfuseBucket: this.langfuseBucket.bucketName,
      },
      identityRoleArns: roleArns,
      repoUrl: props.repoUrl,
      targetRevision: props.targetRevision,
      rootApplication: props.rootApplication,
      bootstrapProject: props.bootstrapProject,
      dependsOn: this.cluster.adminAccess,
    });

    const outputs: Record<string, string> = {
      ClusterName: this.cluster.clusterName,
      ClusterEndpoint: this.cluster.endpoint,
      VpcId: this.network.vpcId,
      PostgresAddress: this.postgres.address,
      RedisEndpoint: this.redis.primaryEndpoint,
      LangfuseBucket: this.langfuseBucket.bucketName,
    };
    const out = new Construct(this, 'Output');
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(out, name, { value });
  }

  /**
   * Addresses from the construct path in snake_case instead of cdktf's hashed ids. The
   * primary child `Resource` adds nothing to the name. Two paths mapping to one address would
   * silently merge in the JSON, so that throws.
   */
  protected override allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    const index = node.scopes.indexOf(this);
    const parts = node.scopes
      .slice(index + 1)
      .map((c) => c.node.id)
      .filter((part) => part !== 'Resource')
      .map(snakeCase);
    const address = parts.join('_');
    const path = node.path;
    const owner = this.addresses.get(address);
    if (owner !== undefined && owner !== path) {
      throw new Error(
        `construct ids of "${owner}" and "${path}" both map to the Terraform address "${address}"; rename one of them`,
      );
    }
    this.addresses.set(address, path);
    return address;
  }
}
