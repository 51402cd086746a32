import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ResourceKind } from '../src/infrastructure/description';

/** Creates the Pulumi resource of one description entry from its resolved props. */
export type Declare = (
  name: string,
  props: Readonly<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

type Ctor<A> = new (
  name: string,
  args: A,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/**
 * A resource class with the argument names it takes. The list is checked against the class's
 * `Args` type by the compiler, and every description prop must land on one of them: a prop
 * the list lacks throws instead of being dropped, so the Pulumi program can never quietly
 * declare less than the description decides.
 */
function declare<A extends object>(
  kind: ResourceKind,
  ctor: Ctor<A>,
  args: readonly (keyof A & string)[],
  rename: Readonly<Record<string, keyof A & string>> = {},
): Declare {
  return (name, props, opts) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
      const target = rename[key] ?? key;
      if (!(args as readonly string[]).includes(target)) {
        throw new Error(
          `${kind} "${name}": prop "${key}" has no argument in ${ctor.name}Args; add "${target}" (or a rename) to its entry in pulumi/resource-types.ts`,
        );
      }
      out[target] = value;
    }
    return new ctor(name, out as A, opts);
  };
}

/** One Pulumi resource class for every kind of the description. */
export const RESOURCE_TYPES: Readonly<Record<ResourceKind, Declare>> = {
  cloudwatchLogGroup: declare<aws.cloudwatch.LogGroupArgs>(
    'cloudwatchLogGroup',
    aws.cloudwatch.LogGroup,
    ['name', 'retentionInDays', 'kmsKeyId'],
  ),
  dbInstance: declare<aws.rds.InstanceArgs>('dbInstance', aws.rds.Instance, [
    'identifier',
    'engine',
    'engineVersion',
    'autoMinorVersionUpgrade',
    'instanceClass',
    'allocatedStorage',
    'maxAllocatedStorage',
    'storageType',
    'storageEncrypted',
    'kmsKeyId',
    'dbSubnetGroupName',
    'vpcSecurityGroupIds',
    'publiclyAccessible',
    'port',
    'multiAz',
    'deletionProtection',
    'backupRetentionPeriod',
    'copyTagsToSnapshot',
    'skipFinalSnapshot',
    'finalSnapshotIdentifier',
    'username',
    'manageMasterUserPassword',
    'masterUserSecretKmsKeyId',
    'iamDatabaseAuthenticationEnabled',
    'enabledCloudwatchLogsExports',
  ]),
  dbSubnetGroup: declare<aws.rds.SubnetGroupArgs>('dbSubnetGroup', aws.rds.SubnetGroup, [
    'name',
    'description',
    'subnetIds',
  ]),
  defaultSecurityGroup: declare<aws.ec2.DefaultSecurityGroupArgs>(
    'defaultSecurityGroup',
    aws.ec2.DefaultSecurityGroup,
    ['vpcId', 'ingress', 'egress', 'tags'],
  ),
  eip: declare<aws.ec2.EipArgs>('eip', aws.ec2.Eip, ['domain', 'tags']),
  eksAccessEntry: declare<aws.eks.AccessEntryArgs>('eksAccessEntry', aws.eks.AccessEntry, [
    'clusterName',
    'principalArn',
    'type',
  ]),
  eksAccessPolicyAssociation: declare<aws.eks.AccessPolicyAssociationArgs>(
    'eksAccessPolicyAssociation',
    aws.eks.AccessPolicyAssociation,
    ['clusterName', 'principalArn', 'policyArn', 'accessScope'],
  ),
  eksAddon: declare<aws.eks.AddonArgs>('eksAddon', aws.eks.Addon, [
    'clusterName',
    'addonName',
    'addonVersion',
    'configurationValues',
    'resolveConflictsOnCreate',
    'resolveConflictsOnUpdate',
  ]),
  eksCluster: declare<aws.eks.ClusterArgs>('eksCluster', aws.eks.Cluster, [
    'name',
    'version',
    'roleArn',
    'enabledClusterLogTypes',
    'bootstrapSelfManagedAddons',
    'accessConfig',
    'encryptionConfig',
    'kubernetesNetworkConfig',
    'vpcConfig',
  ]),
  eksIdentityProviderConfig: declare<aws.eks.IdentityProviderConfigArgs>(
    'eksIdentityProviderConfig',
    aws.eks.IdentityProviderConfig,
    ['clusterName', 'oidc'],
  ),
  // Terraform's repeated `taint` block is the `taints` list in Pulumi.
  eksNodeGroup: declare<aws.eks.NodeGroupArgs>(
    'eksNodeGroup',
    aws.eks.NodeGroup,
    [
      'clusterName',
      'nodeGroupName',
      'nodeRoleArn',
      'subnetIds',
      'amiType',
      'capacityType',
      'instanceTypes',
      'scalingConfig',
      'updateConfig',
      'labels',
      'taints',
      'launchTemplate',
    ],
    { taint: 'taints' },
  ),
  eksPodIdentityAssociation: declare<aws.eks.PodIdentityAssociationArgs>(
    'eksPodIdentityAssociation',
    aws.eks.PodIdentityAssociation,
    ['clusterName', 'namespace', 'serviceAccount', 'roleArn'],
  ),
  elasticacheReplicationGroup: declare<aws.elasticache.ReplicationGroupArgs>(
    'elasticacheReplicationGroup',
    aws.elasticache.ReplicationGroup,
    [
      'replicationGroupId',
      'description',
      'engine',
      'engineVersion',
      'nodeType',
      'port',
      'numCacheClusters',
      'automaticFailoverEnabled',
      'multiAzEnabled',
      'subnetGroupName',
      'securityGroupIds',
      'atRestEncryptionEnabled',
      'kmsKeyId',
      'transitEncryptionEnabled',
      'transitEncryptionMode',
      'userGroupIds',
      'snapshotRetentionLimit',
      'autoMinorVersionUpgrade',
    ],
  ),
  elasticacheSubnetGroup: declare<aws.elasticache.SubnetGroupArgs>(
    'elasticacheSubnetGroup',
    aws.elasticache.SubnetGroup,
    ['name', 'description', 'subnetIds'],
  ),
  elasticacheUser: declare<aws.elasticache.UserArgs>('elasticacheUser', aws.elasticache.User, [
    'userId',
    'userName',
    'engine',
    'accessString',
    'authenticationMode',
  ]),
  elasticacheUserGroup: declare<aws.elasticache.UserGroupArgs>(
    'elasticacheUserGroup',
    aws.elasticache.UserGroup,
    ['userGroupId', 'engine', 'userIds'],
  ),
  flowLog: declare<aws.ec2.FlowLogArgs>('flowLog', aws.ec2.FlowLog, [
    'vpcId',
    'trafficType',
    'logDestinationType',
    'logDestination',
    'iamRoleArn',
    'maxAggregationInterval',
  ]),
  iamRole: declare<aws.iam.RoleArgs>('iamRole', aws.iam.Role, ['name', 'assumeRolePolicy']),
  iamRolePolicy: declare<aws.iam.RolePolicyArgs>('iamRolePolicy', aws.iam.RolePolicy, [
    'role',
    'name',
    'policy',
  ]),
  iamRolePolicyAttachment: declare<aws.iam.RolePolicyAttachmentArgs>(
    'iamRolePolicyAttachment',
    aws.iam.RolePolicyAttachment,
    ['role', 'policyArn'],
  ),
  internetGateway: declare<aws.ec2.InternetGatewayArgs>(
    'internetGateway',
    aws.ec2.InternetGateway,
    ['vpcId', 'tags'],
  ),
  kmsAlias: declare<aws.kms.AliasArgs>('kmsAlias', aws.kms.Alias, ['name', 'targetKeyId']),
  kmsKey: declare<aws.kms.KeyArgs>('kmsKey', aws.kms.Key, [
    'description',
    'enableKeyRotation',
    'rotationPeriodInDays',
    'deletionWindowInDays',
    'policy',
  ]),
  launchTemplate: declare<aws.ec2.LaunchTemplateArgs>('launchTemplate', aws.ec2.LaunchTemplate, [
    'name',
    'updateDefaultVersion',
    'userData',
    'metadataOptions',
    'blockDeviceMappings',
    'tagSpecifications',
  ]),
  natGateway: declare<aws.ec2.NatGatewayArgs>('natGateway', aws.ec2.NatGateway, [
    'allocationId',
    'subnetId',
    'tags',
  ]),
  route: declare<aws.ec2.RouteArgs>('route', aws.ec2.Route, [
    'routeTableId',
    'destinationCidrBlock',
    'gatewayId',
    'natGatewayId',
  ]),
  routeTable: declare<aws.ec2.RouteTableArgs>('routeTable', aws.ec2.RouteTable, ['vpcId', 'tags']),
  routeTableAssociation: declare<aws.ec2.RouteTableAssociationArgs>(
    'routeTableAssociation',
    aws.ec2.RouteTableAssociation,
    ['subnetId', 'routeTableId'],
  ),
  s3Bucket: declare<aws.s3.BucketArgs>('s3Bucket', aws.s3.Bucket, ['bucket']),
  // Terraform's repeated `rule` block is the `rules` list in Pulumi.
  s3BucketLifecycleConfiguration: declare<aws.s3.BucketLifecycleConfigurationArgs>(
    's3BucketLifecycleConfiguration',
    aws.s3.BucketLifecycleConfiguration,
    ['bucket', 'rules'],
    { rule: 'rules' },
  ),
  s3BucketOwnershipControls: declare<aws.s3.BucketOwnershipControlsArgs>(
    's3BucketOwnershipControls',
    aws.s3.BucketOwnershipControls,
    ['bucket', 'rule'],
  ),
  s3BucketPolicy: declare<aws.s3.BucketPolicyArgs>('s3BucketPolicy', aws.s3.BucketPolicy, [
    'bucket',
    'policy',
  ]),
  s3BucketPublicAccessBlock: declare<aws.s3.BucketPublicAccessBlockArgs>(
    's3BucketPublicAccessBlock',
    aws.s3.BucketPublicAccessBlock,
    ['bucket', 'blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'],
  ),
  s3BucketServerSideEncryptionConfiguration:
    declare<aws.s3.BucketServerSideEncryptionConfigurationArgs>(
      's3BucketServerSideEncryptionConfiguration',
      aws.s3.BucketServerSideEncryptionConfiguration,
      ['bucket', 'rules'],
      { rule: 'rules' },
    ),
  s3BucketVersioning: declare<aws.s3.BucketVersioningArgs>(
    's3BucketVersioning',
    aws.s3.BucketVersioning,
    ['bucket', 'versioningConfiguration'],
  ),
  secretsmanagerSecret: declare<aws.secretsmanager.SecretArgs>(
    'secretsmanagerSecret',
    aws.secretsmanager.Secret,
    ['name', 'description', 'kmsKeyId', 'recoveryWindowInDays'],
  ),
  secretsmanagerSecretVersion: declare<aws.secretsmanager.SecretVersionArgs>(
    'secretsmanagerSecretVersion',
    aws.secretsmanager.SecretVersion,
    ['secretId', 'secretString'],
  ),
  securityGroup: declare<aws.ec2.SecurityGroupArgs>('securityGroup', aws.ec2.SecurityGroup, [
    'name',
    'description',
    'vpcId',
    'tags',
  ]),
  subnet: declare<aws.ec2.SubnetArgs>('subnet', aws.ec2.Subnet, [
    'vpcId',
    'availabilityZone',
    'cidrBlock',
    'mapPublicIpOnLaunch',
    'tags',
  ]),
  vpc: declare<aws.ec2.VpcArgs>('vpc', aws.ec2.Vpc, [
    'cidrBlock',
    'enableDnsHostnames',
    'enableDnsSupport',
    'tags',
  ]),
  vpcSecurityGroupIngressRule: declare<aws.vpc.SecurityGroupIngressRuleArgs>(
    'vpcSecurityGroupIngressRule',
    aws.vpc.SecurityGroupIngressRule,
    [
      'securityGroupId',
      'description',
      'ipProtocol',
      'fromPort',
      'toPort',
      'referencedSecurityGroupId',
    ],
  ),
  // Terraform's kubernetes_manifest takes the whole object; Pulumi's CustomResource takes its
  // fields (apiVersion, kind, metadata, spec) as arguments.
  kubernetesManifest: (name, props, opts) =>
    new k8s.apiextensions.CustomResource(
      name,
      props.manifest as k8s.apiextensions.CustomResourceArgs,
      opts,
    ),
  kubernetesNamespace: declare<k8s.core.v1.NamespaceArgs>(
    'kubernetesNamespace',
    k8s.core.v1.Namespace,
    ['metadata'],
  ),
  // Terraform's kubernetes_secret_v1 `data` takes plain values and encodes them; Pulumi's
  // `data` wants base64, `stringData` plain values.
  kubernetesSecret: declare<k8s.core.v1.SecretArgs>(
    'kubernetesSecret',
    k8s.core.v1.Secret,
    ['metadata', 'stringData'],
    {
      data: 'stringData',
    },
  ),
};
