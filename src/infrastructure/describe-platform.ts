import type { PlatformStackProps } from '../../constructs/infra/platform-stack';
import { ANNOTATIONS, LABELS, MANAGED_BY, NODE_GROUPS } from '../model/conventions';
import {
  ADDON_IDENTITIES,
  clusterSecretMetadata,
  GITOPS_BRIDGE,
  IDENTITY_NAMES,
  LANGFUSE_REDIS,
  POSTGRES_ENDPOINT,
  platformSecretKey,
  type BridgeAnnotation,
  type IdentityName,
} from '../model/gitops-bridge';
import {
  bucketEncryptionRule,
  denyInsecureTransport,
  PUBLIC_ACCESS_BLOCK,
} from './bucket-settings';
import {
  ADDON_CONFLICT_RESOLUTION,
  CLUSTER_ACCESS_CONFIG,
  clusterEncryptionConfig,
  clusterVpcConfig,
  CONTROL_PLANE_LOG_TYPES,
  VPC_CNI_CONFIGURATION,
} from './cluster-settings';
import { identityPermissions } from './identity-permissions';
import {
  POSTGRES_MASTER_USERNAME,
  POSTGRES_PORT,
  POSTGRES_SETTINGS,
  REDIS_APPLICATION_ACCESS,
  REDIS_DISABLED_DEFAULT_USER,
  REDIS_PORT,
  REDIS_SETTINGS,
} from './data-store-settings';
import { KEY_ROTATION, keyPolicyStatements } from './key-policy';
import {
  DEFAULT_METADATA_HOP_LIMIT,
  NODE_AMI_TYPE,
  NODE_ROLE_POLICIES,
  nodeGroupTaints,
  nodeMetadataOptions,
  nodeRootVolume,
  platformPlacement,
} from './node-settings';
import { policyObject, trustPolicyObject, type PolicyStatement } from './policy';
import { FLOW_LOG_SETTINGS, NODE_GROUP_SETTINGS, RETENTION_DAYS } from './retention';
import { sandboxUserData } from './sandbox-user-data';
import { subnetLayout } from './subnet-layout';
import {
  concat,
  json,
  logicalName,
  ref,
  type InfraResource,
  type InfrastructureDescription,
  type Ref,
  type ResourceKind,
  type Value,
} from './description';

type Statement = PolicyStatement<Value>;
const policy = (statements: readonly Statement[]): Value => json(policyObject(statements));
const trust = (service: string, actions?: readonly string[]): Value =>
  json(trustPolicyObject(service, actions));

/**
 * The environment's cluster infrastructure as an engine-neutral description, from the same
 * props the cdktf PlatformStack gets (`platformStackProps(env)`): the Pulumi program declares
 * exactly this, and the parity test proves the committed `cdk.tf.json` is the same set of
 * resources with the same values. Logical names are the Terraform addresses, so an imported
 * Terraform resource keeps its identity.
 */
export function describePlatform(props: PlatformStackProps): InfrastructureDescription {
  const resources: InfraResource[] = [];
  const add = (
    kind: ResourceKind,
    name: string,
    resourceProps: Record<string, Value>,
    extra: Omit<InfraResource, 'kind' | 'name' | 'props'> = {},
  ): string => {
    if (resources.some((r) => r.name === name)) {
      throw new Error(`describePlatform: two resources are named "${name}"; rename one of them`);
    }
    resources.push({ kind, name, props: resourceProps, ...extra });
    return name;
  };
  const secretPrefixes = props.secretPrefixes ?? ['platform/', 'tenants/'];
  const stateBucket =
    props.stateBucket ?? `agentic-platform-tfstate-${props.accountId}-${props.region}`;
  const p = props.partition;

  const cluster = props.clusterName;

  // KMS keys (constructs/infra/encryption-key.ts).
  const key = (
    id: string,
    description: string,
    alias: string,
    options: { logsRegion?: string; autoScaling?: boolean },
  ): string => {
    const statements = keyPolicyStatements({
      accountId: props.accountId,
      partition: p,
      ...(options.logsRegion ? { cloudWatchLogsRegion: options.logsRegion } : {}),
      ...(options.autoScaling ? { allowAutoScaling: true } : {}),
    });
    const k = add('kmsKey', logicalName(id), {
      description,
      ...KEY_ROTATION,
      deletionWindowInDays: RETENTION_DAYS.keyDeletionWindow,
      policy: policy(statements),
    });
    add('kmsAlias', logicalName(id, 'Alias'), {
      name: `alias/${alias}`,
      targetKeyId: ref(k, 'keyId'),
    });
    return k;
  };
  const logsKey = key(
    'LogsKey',
    `${cluster}: CloudWatch log groups (VPC flow logs, EKS control plane)`,
    `${cluster}/logs`,
    { logsRegion: props.region },
  );
  const secretsKey = key(
    'SecretsKey',
    `${cluster}: envelope encryption of Kubernetes Secrets`,
    `${cluster}/eks-secrets`,
    {},
  );
  const dataKey = key(
    'DataKey',
    `${cluster}: node volumes, RDS, ElastiCache, S3`,
    `${cluster}/data`,
    {
      autoScaling: true,
    },
  );

  // Network (constructs/infra/network.ts).
  const n = (...ids: string[]) => logicalName('Network', ...ids);
  const { privateCidrs, publicCidrs } = subnetLayout(props.vpcCidr);
  const vpc = add('vpc', n('Vpc'), {
    cidrBlock: props.vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { Name: cluster },
  });
  const vpcId = ref(vpc, 'id');
  add('defaultSecurityGroup', n('DefaultSecurityGroup'), {
    vpcId,
    ingress: [],
    egress: [],
    tags: { Name: `${cluster}-default-deny` },
  });
  const igw = add('internetGateway', n('InternetGateway'), { vpcId, tags: { Name: cluster } });
  const clusterTag = `kubernetes.io/cluster/${cluster}`;
  const publicRoutes = add('routeTable', n('PublicRoutes'), {
    vpcId,
    tags: { Name: `${cluster}-public` },
  });
  add('route', n('PublicDefaultRoute'), {
    routeTableId: ref(publicRoutes, 'id'),
    destinationCidrBlock: '0.0.0.0/0',
    gatewayId: ref(igw, 'id'),
  });
  const zones = props.availabilityZones;
  const publicSubnets = zones.map((az, i) => {
    const s = add('subnet', n(az, 'PublicSubnet'), {
      vpcId,
      availabilityZone: az,
      cidrBlock: publicCidrs[i]!,
      mapPublicIpOnLaunch: false,
      tags: {
        Name: `${cluster}-public-${az}`,
        'kubernetes.io/role/elb': '1',
        [clusterTag]: 'shared',
      },
    });
    add('routeTableAssociation', n(az, 'PublicRoutesAssociation'), {
      subnetId: ref(s, 'id'),
      routeTableId: ref(publicRoutes, 'id'),
    });
    return s;
  });
  const natZones = props.natGateways === 'perZone' ? zones : zones.slice(0, 1);
  const nats = natZones.map((az, i) => {
    const eip = add('eip', n(az, 'NatAddress'), {
      domain: 'vpc',
      tags: { Name: `${cluster}-nat-${az}` },
    });
    return add(
      'natGateway',
      n(az, 'NatGateway'),
      {
        allocationId: ref(eip, 'allocationId'),
        subnetId: ref(publicSubnets[i]!, 'id'),
        tags: { Name: `${cluster}-${az}` },
      },
      { dependsOn: [igw] },
    );
  });
  const privateSubnets = zones.map((az, i) => {
    const s = add('subnet', n(az, 'PrivateSubnet'), {
      vpcId,
      availabilityZone: az,
      cidrBlock: privateCidrs[i]!,
      tags: {
        Name: `${cluster}-private-${az}`,
        'kubernetes.io/role/internal-elb': '1',
        [clusterTag]: 'shared',
      },
    });
    const routes = add('routeTable', n(az, 'PrivateRoutes'), {
      vpcId,
      tags: { Name: `${cluster}-private-${az}` },
    });
    add('route', n(az, 'PrivateDefaultRoute'), {
      routeTableId: ref(routes, 'id'),
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: ref(nats[i] ?? nats[0]!, 'id'),
    });
    add('routeTableAssociation', n(az, 'PrivateRoutesAssociation'), {
      subnetId: ref(s, 'id'),
      routeTableId: ref(routes, 'id'),
    });
    return s;
  });
  const privateSubnetIds = privateSubnets.map((s) => ref(s, 'id'));
  const flowLogGroup = add('cloudwatchLogGroup', n('FlowLogs', 'LogGroup'), {
    name: `/aws/vpc/${cluster}/flow-logs`,
    retentionInDays: RETENTION_DAYS.flowLogs,
    kmsKeyId: ref(logsKey, 'arn'),
  });
  const flowLogRole = add('iamRole', n('FlowLogs', 'Role'), {
    name: `${cluster}-vpc-flow-logs`,
    assumeRolePolicy: trust('vpc-flow-logs.amazonaws.com'),
  });
  add('iamRolePolicy', n('FlowLogs', 'Policy'), {
    role: ref(flowLogRole, 'name'),
    name: 'write-flow-logs',
    policy: policy([
      {
        sid: 'WriteFlowLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [concat(ref(flowLogGroup, 'arn'), ':*')],
      },
    ]),
  });
  add('flowLog', n('FlowLogs'), {
    vpcId,
    ...FLOW_LOG_SETTINGS,
    logDestination: ref(flowLogGroup, 'arn'),
    iamRoleArn: ref(flowLogRole, 'arn'),
  });

  // EKS (constructs/infra/eks-cluster.ts).
  const e = (...ids: string[]) => logicalName('Eks', ...ids);
  const publicApiCidrs = props.publicApiCidrs ?? [];
  const clusterRole = add('iamRole', e('Role'), {
    name: `${cluster}-cluster`,
    assumeRolePolicy: trust('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
  });
  const clusterPolicy = add('iamRolePolicyAttachment', e('ClusterPolicy'), {
    role: ref(clusterRole, 'name'),
    policyArn: `arn:${p}:iam::aws:policy/AmazonEKSClusterPolicy`,
  });
  const clusterLogs = add('cloudwatchLogGroup', e('LogGroup'), {
    name: `/aws/eks/${cluster}/cluster`,
    retentionInDays: RETENTION_DAYS.controlPlaneLogs,
    kmsKeyId: ref(logsKey, 'arn'),
  });
  const eks = add(
    'eksCluster',
    e(),
    {
      name: cluster,
      version: props.kubernetesVersion,
      roleArn: ref(clusterRole, 'arn'),
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      bootstrapSelfManagedAddons: false,
      accessConfig: { ...CLUSTER_ACCESS_CONFIG },
      encryptionConfig: clusterEncryptionConfig(ref(secretsKey, 'arn')),
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr },
      vpcConfig: clusterVpcConfig(privateSubnetIds, publicApiCidrs),
    },
    { dependsOn: [clusterPolicy, clusterLogs] },
  );
  const clusterName = ref(eks, 'name');
  const adminAccess = props.adminPrincipalArns.map((principalArn) => {
    const m = /^arn:[^:]+:iam::(\d{12}):(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
    if (!m) {
      throw new Error(
        `adminPrincipalArns: "${principalArn}" is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/PlatformAdmin`,
      );
    }
    const admin = `Admin-${m[1]}-${m[2]}`;
    const entry = add('eksAccessEntry', e(admin, 'AccessEntry'), {
      clusterName,
      principalArn,
      type: 'STANDARD',
    });
    return add('eksAccessPolicyAssociation', e(admin, 'ClusterAdmin'), {
      clusterName,
      principalArn: ref(entry, 'principalArn'),
      policyArn: `arn:${p}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster' },
    });
  });
  const oidc = props.oidcIdentityProvider;
  if (oidc) {
    add('eksIdentityProviderConfig', e('OidcIdentityProvider'), {
      clusterName,
      oidc: {
        identityProviderConfigName: oidc.name,
        issuerUrl: oidc.issuerUrl,
        clientId: oidc.clientId,
        groupsClaim: oidc.groupsClaim,
        groupsPrefix: oidc.groupsPrefix,
        usernameClaim: oidc.usernameClaim,
        usernamePrefix: oidc.usernamePrefix,
      },
    });
  }
  const addon = (
    id: string,
    addonName: string,
    version: string,
    configuration?: unknown,
    dependsOn?: readonly string[],
  ) =>
    add(
      'eksAddon',
      e(id),
      {
        clusterName,
        addonName,
        addonVersion: version,
        ...(configuration ? { configurationValues: json(configuration) } : {}),
        ...ADDON_CONFLICT_RESOLUTION,
      },
      dependsOn ? { dependsOn } : {},
    );
  const v = props.addonVersions;
  const networking = [
    addon('VpcCni', 'vpc-cni', v['vpc-cni'], VPC_CNI_CONFIGURATION),
    addon('KubeProxy', 'kube-proxy', v['kube-proxy']),
    addon('PodIdentityAgent', 'eks-pod-identity-agent', v['eks-pod-identity-agent']),
  ];

  // Node groups (constructs/infra/node-groups.ts).
  const g = (...ids: string[]) => logicalName('NodeGroups', ...ids);
  const nodeRole = add('iamRole', g('Role'), {
    name: concat(clusterName, '-nodes'),
    assumeRolePolicy: trust('ec2.amazonaws.com'),
  });
  const attachments = NODE_ROLE_POLICIES.map((policyName) =>
    add('iamRolePolicyAttachment', g(policyName), {
      role: ref(nodeRole, 'name'),
      policyArn: `arn:${p}:iam::aws:policy/${policyName}`,
    }),
  );
  const nodeGroups = props.nodeGroups.map((group) => {
    const convention = NODE_GROUPS[group.name];
    const template = add('launchTemplate', g(group.name, 'LaunchTemplate'), {
      name: concat(clusterName, `-${group.name}`),
      updateDefaultVersion: true,
      ...(group.sandboxRuntime
        ? { userData: Buffer.from(sandboxUserData(group.sandboxRuntime)).toString('base64') }
        : {}),
      metadataOptions: nodeMetadataOptions(DEFAULT_METADATA_HOP_LIMIT),
      blockDeviceMappings: [nodeRootVolume<Value>(group.diskGiB, ref(dataKey, 'arn'))],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: concat(clusterName, `-${group.name}`) } },
      ],
    });
    return add(
      'eksNodeGroup',
      g(group.name),
      {
        clusterName,
        nodeGroupName: group.name,
        nodeRoleArn: ref(nodeRole, 'arn'),
        subnetIds: privateSubnetIds,
        amiType: NODE_AMI_TYPE,
        capacityType: NODE_GROUP_SETTINGS.capacityType,
        instanceTypes: [...group.instanceTypes],
        scalingConfig: {
          minSize: group.minSize,
          maxSize: group.maxSize,
          desiredSize: group.desiredSize,
        },
        updateConfig: { ...NODE_GROUP_SETTINGS.updateConfig },
        labels: { ...convention.labels },
        taint: nodeGroupTaints(group.name),
        launchTemplate: { id: ref(template, 'id'), version: ref(template, 'latestVersion') },
      },
      // The cluster autoscaler owns the current size; the engine owns the bounds.
      { dependsOn: [...attachments, ...networking], ignoreChanges: ['scalingConfig.desiredSize'] },
    );
  });
  const onPlatform = platformPlacement();
  addon('CoreDns', 'coredns', v.coredns, onPlatform, nodeGroups);

  // PostgreSQL (constructs/infra/postgres-database.ts).
  const pg = (...ids: string[]) => logicalName('Postgres', ...ids);
  const clusterSecurityGroup = ref(eks, 'clusterSecurityGroupId');
  const dbSubnets = add('dbSubnetGroup', pg('SubnetGroup'), {
    name: cluster,
    description: `Private subnets of ${cluster}`,
    subnetIds: privateSubnetIds,
  });
  const pgSecurityGroup = add('securityGroup', pg('SecurityGroup'), {
    name: `${cluster}-postgres`,
    description: `PostgreSQL ${cluster}: clients in the cluster only`,
    vpcId,
    tags: { Name: `${cluster}-postgres` },
  });
  add('vpcSecurityGroupIngressRule', pg('FromCluster'), {
    securityGroupId: ref(pgSecurityGroup, 'id'),
    description: 'PostgreSQL from EKS nodes and pods',
    ipProtocol: 'tcp',
    fromPort: POSTGRES_PORT,
    toPort: POSTGRES_PORT,
    referencedSecurityGroupId: clusterSecurityGroup,
  });
  const db = add('dbInstance', pg(), {
    ...POSTGRES_SETTINGS,
    enabledCloudwatchLogsExports: [...POSTGRES_SETTINGS.enabledCloudwatchLogsExports],
    identifier: cluster,
    engineVersion: props.postgresEngineVersion,
    instanceClass: props.postgresInstanceClass,
    allocatedStorage: props.postgresAllocatedStorageGiB,
    maxAllocatedStorage: props.postgresAllocatedStorageGiB * 2,
    kmsKeyId: ref(dataKey, 'arn'),
    dbSubnetGroupName: ref(dbSubnets, 'name'),
    vpcSecurityGroupIds: [ref(pgSecurityGroup, 'id')],
    multiAz: props.postgresMultiAz,
    deletionProtection: props.postgresDeletionProtection,
    backupRetentionPeriod: props.postgresBackupRetentionDays,
    finalSnapshotIdentifier: `${cluster}-final`,
    username: POSTGRES_MASTER_USERNAME,
    masterUserSecretKmsKeyId: ref(dataKey, 'arn'),
  });
  const endpointSecret = add('secretsmanagerSecret', pg('EndpointSecret'), {
    name: platformSecretKey(props.environment, POSTGRES_ENDPOINT.secret),
    description: `Address of PostgreSQL ${cluster}, for in-cluster consumers`,
    kmsKeyId: ref(dataKey, 'arn'),
    recoveryWindowInDays: RETENTION_DAYS.endpointSecretRecovery,
  });
  add('secretsmanagerSecretVersion', pg('EndpointSecretValue'), {
    secretId: ref(endpointSecret, 'id'),
    secretString: json({
      [POSTGRES_ENDPOINT.hostKey]: ref(db, 'address'),
      [POSTGRES_ENDPOINT.portKey]: String(POSTGRES_PORT),
    }),
  });

  // Redis (constructs/infra/redis-cache.ts).
  const rd = (...ids: string[]) => logicalName('Redis', ...ids);
  const cacheSubnets = add('elasticacheSubnetGroup', rd('SubnetGroup'), {
    name: cluster,
    description: `Private subnets of ${cluster}`,
    subnetIds: privateSubnetIds,
  });
  const redisSecurityGroup = add('securityGroup', rd('SecurityGroup'), {
    name: `${cluster}-redis`,
    description: `Redis ${cluster}: clients in the cluster only`,
    vpcId,
    tags: { Name: `${cluster}-redis` },
  });
  add('vpcSecurityGroupIngressRule', rd('FromCluster'), {
    securityGroupId: ref(redisSecurityGroup, 'id'),
    description: 'Redis (TLS) from EKS nodes and pods',
    ipProtocol: 'tcp',
    fromPort: REDIS_PORT,
    toPort: REDIS_PORT,
    referencedSecurityGroupId: clusterSecurityGroup,
  });
  const defaultUser = add('elasticacheUser', rd('DefaultUser'), {
    ...REDIS_DISABLED_DEFAULT_USER,
    authenticationMode: { ...REDIS_DISABLED_DEFAULT_USER.authenticationMode },
    userId: `${cluster}-default`,
  });
  const langfuseUser = add('elasticacheUser', rd(`User-${LANGFUSE_REDIS.user}`), {
    userId: LANGFUSE_REDIS.user,
    userName: LANGFUSE_REDIS.user,
    engine: 'redis',
    accessString: REDIS_APPLICATION_ACCESS,
    authenticationMode: {
      type: 'password',
      passwords: [
        {
          secretField: {
            name: logicalName('LangfuseRedisSecret'),
            secretId: platformSecretKey(props.environment, LANGFUSE_REDIS.secret),
            key: LANGFUSE_REDIS.passwordKey,
          },
        },
      ],
    },
  });
  const userGroup = add('elasticacheUserGroup', rd('UserGroup'), {
    userGroupId: cluster,
    engine: 'redis',
    userIds: [ref(defaultUser, 'userId'), ref(langfuseUser, 'userId')],
  });
  const ha = props.redisReplicas > 0;
  const redis = add('elasticacheReplicationGroup', rd(), {
    replicationGroupId: cluster,
    description: `Redis of ${cluster}`,
    ...REDIS_SETTINGS,
    engineVersion: props.redisEngineVersion,
    nodeType: props.redisNodeType,
    numCacheClusters: 1 + props.redisReplicas,
    automaticFailoverEnabled: ha,
    multiAzEnabled: ha,
    subnetGroupName: ref(cacheSubnets, 'name'),
    securityGroupIds: [ref(redisSecurityGroup, 'id')],
    kmsKeyId: ref(dataKey, 'arn'),
    userGroupIds: [ref(userGroup, 'userGroupId')],
    snapshotRetentionLimit: RETENTION_DAYS.cacheSnapshots,
  });

  // The Langfuse bucket (constructs/infra/encrypted-bucket.ts).
  const b = (...ids: string[]) => logicalName('LangfuseBucket', ...ids);
  const bucket = add('s3Bucket', b(), { bucket: `${cluster}-langfuse-${props.accountId}` });
  const bucketId = ref(bucket, 'id');
  const bucketArn = ref(bucket, 'arn');
  add('s3BucketOwnershipControls', b('OwnershipControls'), {
    bucket: bucketId,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  add('s3BucketPublicAccessBlock', b('PublicAccessBlock'), {
    bucket: bucketId,
    ...PUBLIC_ACCESS_BLOCK,
  });
  add('s3BucketServerSideEncryptionConfiguration', b('Encryption'), {
    bucket: bucketId,
    rule: [bucketEncryptionRule<Value>(ref(dataKey, 'arn'))],
  });
  const versioning = add('s3BucketVersioning', b('Versioning'), {
    bucket: bucketId,
    versioningConfiguration: { status: 'Enabled' },
  });
  add('s3BucketPolicy', b('Policy'), {
    bucket: bucketId,
    policy: policy([denyInsecureTransport<Value>(bucketArn, concat(bucketArn, '/*'))]),
  });
  add(
    's3BucketLifecycleConfiguration',
    b('Lifecycle'),
    {
      bucket: bucketId,
      rule: [
        {
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: RETENTION_DAYS.incompleteUploads },
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: RETENTION_DAYS.noncurrentObjectVersions },
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    { dependsOn: [versioning] },
  );

  // Pod Identity (constructs/infra/pod-identity-role.ts and the permissions of platform-stack.ts).
  const permissions = identityPermissions<Value>({
    partition: p,
    region: props.region,
    accountId: props.accountId,
    hostedZoneId: props.hostedZoneId,
    secretPrefixes,
    dataKeyArn: ref(dataKey, 'arn'),
    postgresMasterSecretArn: ref(db, 'masterUserSecretArn'),
    bucketArn,
    bucketObjectsArn: concat(bucketArn, '/*'),
  });
  const roleArns = {} as Record<IdentityName, Ref>;
  const associations = {} as Record<IdentityName, string>;
  for (const name of IDENTITY_NAMES) {
    const id = (...ids: string[]) => logicalName('PodIdentity', name, ...ids);
    const roleName = `${cluster}-${name}`;
    const role = add('iamRole', id('Role'), {
      name: roleName,
      assumeRolePolicy: trust('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
    });
    const { statements, managedPolicyArns: managed = [] } = permissions[name];
    if (statements.length > 0) {
      add('iamRolePolicy', id('Policy'), {
        role: ref(role, 'name'),
        name: roleName,
        policy: policy(statements),
      });
    }
    managed.forEach((policyArn, i) =>
      add('iamRolePolicyAttachment', id(`Managed${i}`), { role: ref(role, 'name'), policyArn }),
    );
    associations[name] = add('eksPodIdentityAssociation', id(), {
      clusterName,
      namespace: ADDON_IDENTITIES[name].namespace,
      serviceAccount: ADDON_IDENTITIES[name].serviceAccount,
      roleArn: ref(role, 'arn'),
    });
    roleArns[name] = ref(role, 'arn');
  }
  addon(
    'EbsCsiDriver',
    'aws-ebs-csi-driver',
    v['aws-ebs-csi-driver'],
    { controller: onPlatform, node: { tolerateAllTaints: true } },
    [...nodeGroups, associations['aws-ebs-csi-driver']],
  );

  // The GitOps Bridge (constructs/infra/gitops-bridge.ts).
  const k = (...ids: string[]) => logicalName('GitOpsBridge', ...ids);
  const values: Record<BridgeAnnotation, Value> = {
    clusterName,
    region: props.region,
    accountId: props.accountId,
    vpcId,
    domain: props.domain,
    hostedZoneId: props.hostedZoneId,
    repoUrl: props.repoUrl,
    repoRevision: props.targetRevision,
    repoBasePath: `dist/${props.environment}/`,
    postgresEndpoint: ref(db, 'address'),
    postgresSecretArn: ref(db, 'masterUserSecretArn'),
    redisEndpoint: ref(redis, 'primaryEndpointAddress'),
    langfuseBucket: ref(bucket, 'bucket'),
  };
  // clusterSecretMetadata places values by key and never inspects them, so references pass
  // through it unchanged; the casts only tell the type checker so.
  const metadata = clusterSecretMetadata({
    environment: props.environment,
    enabledAddons: props.enabledAddons,
    values: values as unknown as Record<BridgeAnnotation, string>,
    identities: Object.fromEntries(
      Object.entries(roleArns).map(([name, roleArn]) => [name, { roleArn }]),
    ) as unknown as Record<IdentityName, { roleArn: string }>,
  });
  const argocd = GITOPS_BRIDGE.argocdNamespace;
  const ns = add(
    'kubernetesNamespace',
    k('Namespace'),
    { metadata: { name: argocd } },
    { provider: 'kubernetes', dependsOn: adminAccess },
  );
  const clusterSecret = add(
    'kubernetesSecret',
    k('ClusterSecret'),
    {
      metadata: {
        name: clusterName,
        namespace: ref(ns, 'metadataName'),
        labels: { ...metadata.labels },
        annotations: { ...(metadata.annotations as unknown as Record<string, Value>) },
      },
      data: {
        name: clusterName,
        server: GITOPS_BRIDGE.inClusterServer,
        config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
      },
    },
    { provider: 'kubernetes', dependsOn: adminAccess },
  );
  const project = add(
    'kubernetesManifest',
    k('BootstrapProject'),
    { manifest: props.bootstrapProject as Record<string, Value> },
    { provider: 'kubernetes', dependsOn: [ns] },
  );
  add(
    'kubernetesManifest',
    k('BootstrapApplication'),
    { manifest: props.rootApplication as Record<string, Value> },
    { provider: 'kubernetes', dependsOn: [project, clusterSecret] },
  );

  return {
    environment: props.environment,
    state: {
      bucket: stateBucket,
      region: props.region,
      key: `${props.environment}/platform.tfstate`,
    },
    awsProvider: {
      region: props.region,
      allowedAccountIds: [props.accountId],
      defaultTags: {
        [LABELS.environment]: props.environment,
        [LABELS.managedBy]: MANAGED_BY,
        [ANNOTATIONS.source]: props.sourceFile,
      },
    },
    kubernetesProvider: {
      host: ref(eks, 'endpoint'),
      certificateAuthorityData: ref(eks, 'certificateAuthorityData'),
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', clusterName, '--region', props.region],
      },
    },
    resources,
    outputs: {
      ClusterName: clusterName,
      ClusterEndpoint: ref(eks, 'endpoint'),
      VpcId: vpcId,
      PostgresAddress: ref(db, 'address'),
      RedisEndpoint: ref(redis, 'primaryEndpointAddress'),
      LangfuseBucket: ref(bucket, 'bucket'),
    },
  };
}
