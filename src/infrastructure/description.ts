/**
 * The engine-neutral description of an environment's cluster infrastructure: every resource
 * with every value decided, as plain data. An engine (Pulumi here; cdktf renders the same
 * decisions through its constructs) only declares it: it may translate names and shapes, never
 * add, drop or change a value. `test/pulumi/parity.test.ts` holds the two engines to that.
 *
 * Property names are the provider schema's in camelCase, single nested blocks are objects and
 * repeated blocks are arrays: the shape both engines' AWS providers are generated from.
 */

/** An attribute of another resource of the description, resolved by the engine at deploy time. */
export interface Ref {
  readonly ref: string;
  readonly attribute: RefAttribute;
}

/** Attributes resources read from each other; each engine maps them to its own outputs. */
export type RefAttribute =
  | 'id'
  | 'arn'
  | 'name'
  | 'keyId'
  | 'allocationId'
  | 'latestVersion'
  | 'endpoint'
  | 'certificateAuthorityData'
  | 'clusterSecurityGroupId'
  | 'masterUserSecretArn'
  | 'address'
  | 'principalArn'
  | 'userId'
  | 'userGroupId'
  | 'bucket'
  | 'primaryEndpointAddress'
  | 'metadataName';

/** String concatenation of literals and references, e.g. `${bucket.arn}/*`. */
export interface Concat {
  readonly concat: readonly Value[];
}

/** A value rendered as a JSON string once its references are known (IAM policies, add-on configuration). */
export interface Json {
  readonly json: unknown;
}

/**
 * One field of a JSON secret in Secrets Manager, read at deploy time (Terraform: a
 * `aws_secretsmanager_secret_version` data source; Pulumi: the `getSecretVersion` invoke). The
 * value never appears in the description or in any generated file.
 */
export interface SecretField {
  readonly secretField: { readonly name: string; readonly secretId: string; readonly key: string };
}

export type Value =
  | string
  | number
  | boolean
  | Ref
  | Concat
  | Json
  | SecretField
  | readonly Value[]
  | { readonly [key: string]: Value };

/** Kinds of resource the description uses; each engine maps every kind to one resource type. */
export const RESOURCE_KINDS = [
  'cloudwatchLogGroup',
  'dbInstance',
  'dbSubnetGroup',
  'defaultSecurityGroup',
  'eip',
  'eksAccessEntry',
  'eksAccessPolicyAssociation',
  'eksAddon',
  'eksCluster',
  'eksIdentityProviderConfig',
  'eksNodeGroup',
  'eksPodIdentityAssociation',
  'elasticacheReplicationGroup',
  'elasticacheSubnetGroup',
  'elasticacheUser',
  'elasticacheUserGroup',
  'flowLog',
  'iamRole',
  'iamRolePolicy',
  'iamRolePolicyAttachment',
  'internetGateway',
  'kmsAlias',
  'kmsKey',
  'launchTemplate',
  'natGateway',
  'route',
  'routeTable',
  'routeTableAssociation',
  's3Bucket',
  's3BucketLifecycleConfiguration',
  's3BucketOwnershipControls',
  's3BucketPolicy',
  's3BucketPublicAccessBlock',
  's3BucketServerSideEncryptionConfiguration',
  's3BucketVersioning',
  'secretsmanagerSecret',
  'secretsmanagerSecretVersion',
  'securityGroup',
  'subnet',
  'vpc',
  'vpcSecurityGroupIngressRule',
  'kubernetesManifest',
  'kubernetesNamespace',
  'kubernetesSecret',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface InfraResource {
  readonly kind: ResourceKind;
  /** Logical name, unique in the description: the Terraform address and the Pulumi resource name. */
  readonly name: string;
  readonly props: Readonly<Record<string, Value>>;
  /** Names of resources that must exist first although no value references them. */
  readonly dependsOn?: readonly string[];
  /** Property paths (camelCase, dotted) the engine must not revert once applied. */
  readonly ignoreChanges?: readonly string[];
  /** Kubernetes resources are applied through the cluster's Kubernetes provider. */
  readonly provider?: 'kubernetes';
}

/** The AWS provider every AWS resource uses. */
export interface AwsProviderDescription {
  readonly region: string;
  /** A plan with credentials of another account fails instead of touching it. */
  readonly allowedAccountIds: readonly string[];
  /** Tags on every AWS resource. */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** The Kubernetes provider of the new cluster, authenticated with `aws eks get-token`. */
export interface KubernetesProviderDescription {
  readonly host: Ref;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: Ref;
  readonly exec: {
    readonly apiVersion: string;
    readonly command: string;
    readonly args: readonly Value[];
  };
}

/** Where an engine keeps its state for this environment. */
export interface StateDescription {
  readonly bucket: string;
  readonly region: string;
  /** Object key (Terraform) or prefix (Pulumi) of this environment. */
  readonly key: string;
}

export interface InfrastructureDescription {
  readonly environment: string;
  readonly state: StateDescription;
  readonly awsProvider: AwsProviderDescription;
  readonly kubernetesProvider: KubernetesProviderDescription;
  /** In dependency order: a resource only references resources listed before it. */
  readonly resources: readonly InfraResource[];
  /** The outputs the GitOps Bridge and operators read, by name. */
  readonly outputs: Readonly<Record<string, Ref>>;
}

export const ref = (name: string, attribute: RefAttribute): Ref => ({ ref: name, attribute });
export const concat = (...parts: Value[]): Concat => ({ concat: parts });
export const json = (value: unknown): Json => ({ json: value });

/** A plain object with `key` as its own property (arrays have `concat` too, by prototype). */
const marked = (v: unknown, key: string): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, key);

export const isRef = (v: unknown): v is Ref => marked(v, 'ref') && marked(v, 'attribute');
export const isConcat = (v: unknown): v is Concat => marked(v, 'concat');
export const isJson = (v: unknown): v is Json => marked(v, 'json');
export const isSecretField = (v: unknown): v is SecretField => marked(v, 'secretField');

/**
 * Construct ids to a logical name the way the cdktf stack addresses resources: each id in
 * snake_case, joined by `_` (`Network`, `eu-west-1a`, `PublicSubnet` ->
 * `network_eu_west_1a_public_subnet`).
 */
export function logicalName(...ids: readonly string[]): string {
  return ids.map(snakeCase).join('_');
}

export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
