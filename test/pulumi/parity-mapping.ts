/**
 * The explicit mapping between the two engines' resource models, for the parity check of
 * test/pulumi/parity.test.ts. Pulumi's AWS provider is bridged from Terraform's, so a
 * Terraform `snake_case` argument is the Pulumi `camelCase` one unless a rename below says
 * otherwise; every other difference in shape is listed here too. A type or property missing
 * from the mapping fails the check: nothing is skipped silently.
 */

/** The parts of cdk.tf.json the check reads. */
export interface TerraformConfig {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly output: Record<string, { value: unknown }>;
}

export interface TypeMapping {
  /** Terraform resource type, as in cdk.tf.json. */
  readonly terraform: string;
  /** Pulumi type token, as the engine registers it. */
  readonly pulumi: string;
  /** Pulumi argument -> Terraform argument, where they are not camelCase <-> snake_case. */
  readonly renames?: Readonly<Record<string, string>>;
  /**
   * Nested blocks (dotted Terraform paths, list levels not counted) that cdk.tf.json holds as
   * a one-element list while Pulumi holds the object itself.
   */
  readonly listBlocks?: readonly string[];
  /** Terraform arguments holding a JSON document: compared parsed, so key order is no difference. */
  readonly json?: readonly string[];
  /** Pulumi inputs that the Terraform type implies, with why they are not compared. */
  readonly pulumiImplied?: Readonly<Record<string, string>>;
  /** Pulumi `ignoreChanges` paths -> Terraform `lifecycle.ignore_changes` paths. */
  readonly ignoreChanges?: Readonly<Record<string, string>>;
  /** Pulumi inputs to the Terraform resource's arguments, when the shapes differ as a whole. */
  readonly toTerraform?: (inputs: Record<string, unknown>) => Record<string, unknown>;
  /** Terraform arguments to what is compared, for values written as Terraform expressions. */
  readonly fromTerraform?: (
    props: Record<string, unknown>,
    config: TerraformConfig,
  ) => Record<string, unknown>;
}

/** Both Kubernetes resource types name their kind and API version in the type itself. */
const KUBERNETES_IMPLIED = {
  apiVersion: 'implied by the Terraform resource type',
  kind: 'implied by the Terraform resource type',
};

/**
 * `${jsonencode({"host" = aws_db_instance.postgres.address, "port" = "5432"})}` to the object
 * Pulumi's `jsonStringify` renders, `{"host": "${aws_db_instance.postgres.address}", ...}`.
 * Only flat objects of references and string literals: that is all the stack encodes.
 */
export function parseJsonencode(expression: string): Record<string, string> {
  const m = /^\$\{jsonencode\(\{(.*)\}\)\}$/s.exec(expression);
  if (!m) throw new Error(`not a jsonencode({...}) expression: ${expression}`);
  const out: Record<string, string> = {};
  for (const entry of m[1]!.split(/,\s*(?=")/)) {
    const kv = /^\s*"([^"]+)"\s*=\s*(.+?)\s*$/s.exec(entry);
    if (!kv) throw new Error(`jsonencode entry "${entry}" is not "key" = value`);
    const value = kv[2]!;
    out[kv[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : `\${${value}}`;
  }
  return out;
}

export const TYPE_MAPPINGS: readonly TypeMapping[] = [
  { terraform: 'aws_cloudwatch_log_group', pulumi: 'aws:cloudwatch/logGroup:LogGroup' },
  { terraform: 'aws_db_instance', pulumi: 'aws:rds/instance:Instance' },
  { terraform: 'aws_db_subnet_group', pulumi: 'aws:rds/subnetGroup:SubnetGroup' },
  {
    terraform: 'aws_default_security_group',
    pulumi: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
  },
  { terraform: 'aws_eip', pulumi: 'aws:ec2/eip:Eip' },
  { terraform: 'aws_eks_access_entry', pulumi: 'aws:eks/accessEntry:AccessEntry' },
  {
    terraform: 'aws_eks_access_policy_association',
    pulumi: 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation',
  },
  { terraform: 'aws_eks_addon', pulumi: 'aws:eks/addon:Addon', json: ['configuration_values'] },
  { terraform: 'aws_eks_cluster', pulumi: 'aws:eks/cluster:Cluster' },
  {
    terraform: 'aws_eks_identity_provider_config',
    pulumi: 'aws:eks/identityProviderConfig:IdentityProviderConfig',
  },
  {
    terraform: 'aws_eks_node_group',
    pulumi: 'aws:eks/nodeGroup:NodeGroup',
    renames: { taints: 'taint' },
    // Terraform addresses the attribute inside the single scaling_config block by index.
    ignoreChanges: { 'scalingConfig.desiredSize': 'scaling_config[0].desired_size' },
  },
  {
    terraform: 'aws_eks_pod_identity_association',
    pulumi: 'aws:eks/podIdentityAssociation:PodIdentityAssociation',
  },
  {
    terraform: 'aws_elasticache_replication_group',
    pulumi: 'aws:elasticache/replicationGroup:ReplicationGroup',
  },
  { terraform: 'aws_elasticache_subnet_group', pulumi: 'aws:elasticache/subnetGroup:SubnetGroup' },
  {
    terraform: 'aws_elasticache_user',
    pulumi: 'aws:elasticache/user:User',
    // The password is read from Secrets Manager at plan time on both sides; compare where from.
    fromTerraform: (props, config) => {
      const mode = props.authentication_mode as Record<string, unknown>;
      const passwords = mode.passwords as string[] | undefined;
      if (!passwords) return props;
      return {
        ...props,
        authentication_mode: {
          ...mode,
          passwords: passwords.map((p) => {
            const m =
              /^\$\{jsondecode\(data\.aws_secretsmanager_secret_version\.([a-z0-9_]+)\.secret_string\)\.([A-Za-z0-9_]+)\}$/.exec(
                p,
              );
            if (!m)
              throw new Error(`elasticache password "${p}" is not read from a secret version`);
            const data = config.data?.aws_secretsmanager_secret_version?.[m[1]!];
            if (!data)
              throw new Error(
                `elasticache password reads data source ${m[1]}, which is not declared`,
              );
            return `secretField(${String(data.secret_id)}).${m[2]}`;
          }),
        },
      };
    },
  },
  { terraform: 'aws_elasticache_user_group', pulumi: 'aws:elasticache/userGroup:UserGroup' },
  { terraform: 'aws_flow_log', pulumi: 'aws:ec2/flowLog:FlowLog' },
  { terraform: 'aws_iam_role', pulumi: 'aws:iam/role:Role', json: ['assume_role_policy'] },
  { terraform: 'aws_iam_role_policy', pulumi: 'aws:iam/rolePolicy:RolePolicy', json: ['policy'] },
  {
    terraform: 'aws_iam_role_policy_attachment',
    pulumi: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  },
  { terraform: 'aws_internet_gateway', pulumi: 'aws:ec2/internetGateway:InternetGateway' },
  { terraform: 'aws_kms_alias', pulumi: 'aws:kms/alias:Alias' },
  { terraform: 'aws_kms_key', pulumi: 'aws:kms/key:Key', json: ['policy'] },
  { terraform: 'aws_launch_template', pulumi: 'aws:ec2/launchTemplate:LaunchTemplate' },
  { terraform: 'aws_nat_gateway', pulumi: 'aws:ec2/natGateway:NatGateway' },
  { terraform: 'aws_route', pulumi: 'aws:ec2/route:Route' },
  { terraform: 'aws_route_table', pulumi: 'aws:ec2/routeTable:RouteTable' },
  {
    terraform: 'aws_route_table_association',
    pulumi: 'aws:ec2/routeTableAssociation:RouteTableAssociation',
  },
  { terraform: 'aws_s3_bucket', pulumi: 'aws:s3/bucket:Bucket' },
  {
    terraform: 'aws_s3_bucket_lifecycle_configuration',
    pulumi: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
    renames: { rules: 'rule' },
    listBlocks: [
      'rule.filter',
      'rule.abort_incomplete_multipart_upload',
      'rule.noncurrent_version_expiration',
      'rule.expiration',
    ],
  },
  {
    terraform: 'aws_s3_bucket_ownership_controls',
    pulumi: 'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  },
  {
    terraform: 'aws_s3_bucket_policy',
    pulumi: 'aws:s3/bucketPolicy:BucketPolicy',
    json: ['policy'],
  },
  {
    terraform: 'aws_s3_bucket_public_access_block',
    pulumi: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  },
  {
    terraform: 'aws_s3_bucket_server_side_encryption_configuration',
    pulumi:
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    renames: { rules: 'rule' },
  },
  { terraform: 'aws_s3_bucket_versioning', pulumi: 'aws:s3/bucketVersioning:BucketVersioning' },
  { terraform: 'aws_secretsmanager_secret', pulumi: 'aws:secretsmanager/secret:Secret' },
  {
    terraform: 'aws_secretsmanager_secret_version',
    pulumi: 'aws:secretsmanager/secretVersion:SecretVersion',
    json: ['secret_string'],
    fromTerraform: (props) => ({
      ...props,
      secret_string: JSON.stringify(parseJsonencode(props.secret_string as string)),
    }),
  },
  { terraform: 'aws_security_group', pulumi: 'aws:ec2/securityGroup:SecurityGroup' },
  { terraform: 'aws_subnet', pulumi: 'aws:ec2/subnet:Subnet' },
  { terraform: 'aws_vpc', pulumi: 'aws:ec2/vpc:Vpc' },
  {
    terraform: 'aws_vpc_security_group_ingress_rule',
    pulumi: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  },
  {
    terraform: 'kubernetes_namespace_v1',
    pulumi: 'kubernetes:core/v1:Namespace',
    pulumiImplied: KUBERNETES_IMPLIED,
  },
  {
    terraform: 'kubernetes_secret_v1',
    pulumi: 'kubernetes:core/v1:Secret',
    // Terraform's `data` takes plain values (the provider encodes them): Pulumi's `stringData`.
    renames: { stringData: 'data' },
    pulumiImplied: KUBERNETES_IMPLIED,
  },
  // Terraform's kubernetes_manifest holds the whole object in `manifest`; Pulumi registers the
  // custom resource under a type token of its own API version and kind.
  ...['AppProject', 'Application'].map((kind): TypeMapping => ({
    terraform: 'kubernetes_manifest',
    pulumi: `kubernetes:argoproj.io/v1alpha1:${kind}`,
    toTerraform: (inputs) => ({ manifest: inputs }),
  })),
];

/**
 * Terraform meta-arguments, compared with the Pulumi resource options (dependsOn,
 * ignoreChanges, provider) rather than with its inputs.
 */
export const TERRAFORM_META_ARGUMENTS = ['depends_on', 'lifecycle', 'provider'] as const;

/** The one Terraform data source, and the Pulumi invoke that reads the same. */
export const DATA_SOURCE_MAPPINGS = [
  {
    terraform: 'aws_secretsmanager_secret_version',
    pulumi: 'aws:secretsmanager/getSecretVersion:getSecretVersion',
  },
] as const;

export function mappingForPulumi(token: string): TypeMapping | undefined {
  return TYPE_MAPPINGS.find((m) => m.pulumi === token);
}
