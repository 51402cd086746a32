/**
 * The GitOps Bridge contract: how cluster infrastructure (Terraform) hands its outputs to
 * Argo CD. The cluster stack writes them as labels and annotations of the Argo CD cluster
 * Secret; ApplicationSets of the GitOps layer select clusters by the labels and template
 * Helm values from the annotations. Both layers read the keys from here, so a renamed key
 * breaks the build instead of silently emptying a Helm value.
 *
 * Key names follow the upstream GitOps Bridge project (`enable_<addon>` labels,
 * `aws_cluster_name`, `aws_vpc_id`, `addons_repo_url`, `<addon>_iam_role_arn` annotations),
 * so its ApplicationSet examples read the same way here.
 *
 * @see https://github.com/gitops-bridge-dev/gitops-bridge
 */
import type { PLATFORM_NAMESPACES } from '../spec/reserved';

/** Every platform add-on an environment can enable, by catalog name. */
export const ADDONS = [
  'istio',
  'gateway-api',
  'agentgateway',
  'kagent',
  'keycloak',
  'langfuse',
  'kube-prometheus-stack',
  'kyverno',
  'opentelemetry-collector',
  'cert-manager',
  'external-secrets',
  'external-dns',
  'cloudnative-pg',
  'argo-cd',
] as const;

export type AddonName = (typeof ADDONS)[number];

/** Where a workload that needs AWS runs: a platform namespace, or kube-system for EKS add-ons. */
export type AddonNamespace = (typeof PLATFORM_NAMESPACES)[number] | 'kube-system';

export interface AddonIdentity {
  readonly namespace: AddonNamespace;
  readonly serviceAccount: string;
}

/**
 * The Kubernetes service accounts that get an AWS role through EKS Pod Identity. The cluster
 * stack creates the association for exactly these; the add-on Helm values must name the
 * same service account (the names are the charts' defaults, so the values can also leave
 * them unset).
 */
export const ADDON_IDENTITIES = {
  'external-secrets': { namespace: 'external-secrets', serviceAccount: 'external-secrets' },
  'external-dns': { namespace: 'external-dns', serviceAccount: 'external-dns' },
  'cert-manager': { namespace: 'cert-manager', serviceAccount: 'cert-manager' },
  'aws-ebs-csi-driver': { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa' },
  langfuse: { namespace: 'langfuse', serviceAccount: 'langfuse' },
} as const satisfies Record<string, AddonIdentity>;

export type IdentityName = keyof typeof ADDON_IDENTITIES;

/** Secrets Manager name of one of an environment's platform secrets (created out of band). */
export function platformSecretKey(environment: string, name: string): string {
  return `platform/${environment}/${name}`;
}

/**
 * Langfuse's Redis login, named once for both layers. Langfuse's client cannot sign IAM
 * tokens, so the cluster stack creates an ElastiCache user `user` whose password it reads
 * from `platform/<env>/<secret>` key `passwordKey`; the Langfuse add-on logs in as `user`
 * with the same key of the Secret external-secrets materializes from that secret, over TLS
 * (ElastiCache requires in-transit encryption). A secret of its own: Terraform state keeps
 * whatever a data source reads, and nothing else of Langfuse's belongs there.
 */
export const LANGFUSE_REDIS = {
  user: 'langfuse',
  secret: 'langfuse-redis',
  passwordKey: 'password',
} as const;

/**
 * The database instance's address for consumers that cannot be templated from the cluster
 * Secret (the PostgreSQL bootstrap Job is a plain manifest of dist/): the cluster stack writes
 * `host` and `port` to `platform/<env>/<secret>`, external-secrets hands them to the Job. Not a
 * credential: the address is in the cluster Secret annotations and the Terraform state anyway.
 */
export const POSTGRES_ENDPOINT = {
  secret: 'postgres-endpoint',
  hostKey: 'host',
  portKey: 'port',
} as const;

/**
 * The tag RDS sets on the master-user secret it manages (whose name, `rds!db-<uuid>`, is
 * random): the instance ARN, the only stable handle for finding it.
 */
export const RDS_MASTER_SECRET_TAG = 'aws:rds:primaryDBInstanceArn';

/** Identity names in a stable order, for loops that must produce stable output. */
export const IDENTITY_NAMES = Object.keys(ADDON_IDENTITIES).sort() as IdentityName[];

const snake = (name: string) => name.replaceAll('-', '_');

export const GITOPS_BRIDGE = {
  /** Namespace Argo CD runs in; the cluster Secret and the bootstrap Application live here. */
  argocdNamespace: 'argocd',
  /** In-cluster API server address Argo CD deploys to. */
  inClusterServer: 'https://kubernetes.default.svc',
  labels: {
    /** Marks the Secret as an Argo CD cluster (Argo CD's own convention). */
    secretType: 'argocd.argoproj.io/secret-type',
    /** Environment name, for ApplicationSet cluster generators that select by environment. */
    environment: 'environment',
  },
  secretTypeValue: 'cluster',
  /** Label value of an enabled add-on. Label values are strings, never booleans. */
  enabledValue: 'true',
  /** Label key that enables an add-on: `enable_<addon>` with `-` as `_` (GitOps Bridge style). */
  enableLabel: (addon: AddonName) => `enable_${snake(addon)}`,
  annotations: {
    clusterName: 'aws_cluster_name',
    region: 'aws_region',
    accountId: 'aws_account_id',
    vpcId: 'aws_vpc_id',
    domain: 'platform_domain',
    hostedZoneId: 'aws_route53_zone_id',
    repoUrl: 'addons_repo_url',
    repoRevision: 'addons_repo_revision',
    repoBasePath: 'addons_repo_basepath',
    postgresEndpoint: 'aws_postgres_endpoint',
    postgresSecretArn: 'aws_postgres_master_secret_arn',
    redisEndpoint: 'aws_redis_endpoint',
    langfuseBucket: 'aws_langfuse_bucket_name',
  },
  /** Per-identity annotations: role ARN, namespace and service account of an add-on. */
  identityAnnotations: (identity: IdentityName) => ({
    roleArn: `${snake(identity)}_iam_role_arn`,
    namespace: `${snake(identity)}_namespace`,
    serviceAccount: `${snake(identity)}_service_account`,
  }),
  /** The root app-of-apps Terraform creates; everything else Argo CD syncs from Git. */
  bootstrap: {
    /** AppProject of the root Application: may only create Argo CD objects in `argocdNamespace`. */
    project: 'bootstrap',
    application: 'bootstrap',
    /** Folder of `dist/` the root Application syncs. */
    path: (environment: string) => `dist/${environment}/bootstrap`,
    /** The only kinds (group argoproj.io) the bootstrap folder may contain. */
    kinds: ['AppProject', 'Application', 'ApplicationSet'],
  },
} as const;

export type BridgeAnnotation = keyof typeof GITOPS_BRIDGE.annotations;

/** The outputs the cluster stack hands over; values may be Terraform references. */
export interface ClusterSecretInputs {
  readonly environment: string;
  readonly enabledAddons: readonly AddonName[];
  readonly values: Readonly<Record<BridgeAnnotation, string>>;
  readonly identities: Readonly<Record<IdentityName, { readonly roleArn: string }>>;
}

export interface ClusterSecretMetadata {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Labels and annotations of the Argo CD cluster Secret. Throws when an add-on is enabled
 * twice or is not in ADDONS, so a typo in an environment never yields a silent no-op label.
 */
export function clusterSecretMetadata(inputs: ClusterSecretInputs): ClusterSecretMetadata {
  const seen = new Set<string>();
  for (const addon of inputs.enabledAddons) {
    if (!(ADDONS as readonly string[]).includes(addon)) {
      throw new Error(
        `enabledAddons: "${addon}" is not a platform add-on; use one of ${ADDONS.join(', ')}`,
      );
    }
    if (seen.has(addon))
      throw new Error(`enabledAddons: "${addon}" is listed twice; list each add-on once`);
    seen.add(addon);
  }
  const labels: Record<string, string> = {
    [GITOPS_BRIDGE.labels.secretType]: GITOPS_BRIDGE.secretTypeValue,
    [GITOPS_BRIDGE.labels.environment]: inputs.environment,
  };
  for (const addon of [...inputs.enabledAddons].sort())
    labels[GITOPS_BRIDGE.enableLabel(addon)] = GITOPS_BRIDGE.enabledValue;

  const annotations: Record<string, string> = {};
  for (const [name, key] of Object.entries(GITOPS_BRIDGE.annotations) as [
    BridgeAnnotation,
    string,
  ][]) {
    annotations[key] = inputs.values[name];
  }
  for (const identity of IDENTITY_NAMES) {
    const keys = GITOPS_BRIDGE.identityAnnotations(identity);
    annotations[keys.roleArn] = inputs.identities[identity].roleArn;
    annotations[keys.namespace] = ADDON_IDENTITIES[identity].namespace;
    annotations[keys.serviceAccount] = ADDON_IDENTITIES[identity].serviceAccount;
  }
  return { labels, annotations };
}
