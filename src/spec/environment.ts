import { z } from 'zod';
import { ADDONS } from '../model/gitops-bridge';
import {
  boundedList,
  boundedRecord,
  dnsLabel,
  displayName,
  hostname,
  imageRegistry,
  ipv4Cidr,
  partialQuota,
  policyException,
  quota,
} from './primitives';
import { isolationException } from './isolation';

const kubernetesVersion = z
  .string()
  .max(5)
  .regex(/^1\.\d{2}$/, { error: 'must be a Kubernetes minor version such as "1.33"' });

const nodeGroup = z.strictObject({
  /** EC2 instance types, first is preferred. */
  instanceTypes: boundedList(
    z
      .string()
      .max(32)
      .regex(/^[a-z0-9]+\.[a-z0-9]+$/),
    10,
    'instance types',
  ).min(1),
  minSize: z.int().min(0).max(1000),
  maxSize: z.int().min(1).max(1000),
  desiredSize: z.int().min(0).max(1000),
  diskGiB: z.int().min(20).max(16_384).default(100),
});

/**
 * `environments/<env>.yaml`: the facts about one cluster that the platform and tenant layers
 * need. Everything that differs between dev, staging and prod is here, as data.
 */
export const environmentSpec = z.strictObject({
  name: dnsLabel,
  displayName,
  cluster: z.strictObject({
    /** EKS cluster name. */
    name: dnsLabel,
    kubernetesVersion,
    /** Public DNS zone of this environment; routes live under `agents.<domain>`. */
    domain: hostname,
  }),
  aws: z.strictObject({
    accountId: z
      .string()
      .max(12)
      .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' }),
    region: z
      .string()
      .max(32)
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS region such as eu-west-1' }),
    vpcCidr: ipv4Cidr,
    /** Exactly three zones: subnets, NAT and node groups spread across them. */
    availabilityZones: z
      .array(
        z
          .string()
          .max(32)
          .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/),
      )
      .length(3),
    /** `single` saves cost in dev; `perZone` survives the loss of a zone. */
    natGateways: z.enum(['single', 'perZone']),
    /** CIDRs allowed to reach the public EKS API endpoint (the endpoint is private otherwise). */
    publicApiCidrs: boundedList(ipv4Cidr, 40, 'CIDRs').default([]),
    /**
     * IAM roles (SSO permission-set roles, break-glass) that get cluster-admin through an EKS
     * access entry, and the only cluster admins: the identity that creates the cluster gets no
     * implicit grant (bootstrap_cluster_creator_admin_permissions is off). The role Terraform
     * runs as must be one of them, or the stack's Kubernetes objects cannot be created.
     */
    adminRoleArns: z
      .array(
        z
          .string()
          .max(2048)
          .regex(/^arn:aws(-us-gov|-cn)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
            error: 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/PlatformAdmin',
          }),
      )
      .min(1, { error: 'list at least one cluster-admin role; nobody is admin implicitly' })
      .max(20),
    /** Route 53 hosted zone id of `cluster.domain`. */
    hostedZoneId: z
      .string()
      .max(32)
      .regex(/^Z[A-Z0-9]{1,31}$/, {
        error: 'must be a Route 53 hosted zone id such as Z0123456789ABC',
      }),
  }),
  nodeGroups: z.strictObject({
    platform: nodeGroup,
    agents: nodeGroup,
    gateway: nodeGroup,
    /** Created only when a tenant in this environment uses the `dedicated` tier. */
    dedicated: nodeGroup,
  }),
  dataStores: z.strictObject({
    postgres: z.strictObject({
      instanceClass: z
        .string()
        .max(64)
        .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/),
      allocatedStorageGiB: z.int().min(20).max(65_536),
      multiAz: z.boolean(),
      deletionProtection: z.boolean(),
      backupRetentionDays: z.int().min(1).max(35),
    }),
    redis: z.strictObject({
      nodeType: z
        .string()
        .max(64)
        .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/),
      replicas: z.int().min(0).max(5),
    }),
  }),
  gitops: z.strictObject({
    /** The Git repository Argo CD reads `dist/<env>` from. */
    repoUrl: z.url({ protocol: /^https$/, error: 'must be an https:// Git URL' }).max(2048),
    /** Branch or tag Argo CD tracks. Never HEAD: every environment follows a reviewed ref. */
    targetRevision: z
      .string()
      .min(1)
      .max(255)
      .refine((v) => v !== 'HEAD', {
        error: 'must name a branch or tag; HEAD follows whatever was pushed last',
      }),
  }),
  gateway: z
    .strictObject({
      namespace: dnsLabel.default('agentgateway-system'),
      /** Name of the central agentgateway Gateway all tenant routes attach to. */
      name: dnsLabel.default('agentgateway'),
      /** Listener of the central Gateway that tenant routes attach to. */
      listener: dnsLabel.default('https'),
    })
    .prefault({}),
  telemetry: z
    .strictObject({
      namespace: dnsLabel.default('opentelemetry'),
      collectorService: dnsLabel.default('otel-collector'),
      otlpGrpcPort: z.int().min(1).max(65_535).default(4317),
      otlpHttpPort: z.int().min(1).max(65_535).default(4318),
    })
    .prefault({}),
  secrets: z
    .strictObject({
      /** ClusterSecretStore holding the platform-provided LLM keys. */
      platformStore: dnsLabel.default('platform-llm-keys'),
      /** Secrets Manager prefix of the platform keys: `<prefix>/<provider>`. */
      platformKeyPrefix: z
        .string()
        .max(256)
        .regex(/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/)
        .default('platform/llm'),
      /** ClusterSecretStore tenants bring their own keys through; keys must sit under `tenants/<tenant>/`. */
      tenantStore: dnsLabel.default('tenant-llm-keys'),
    })
    .prefault({}),
  addons: z
    .strictObject({
      /**
       * Add-ons this environment does not install. Everything else in the catalog is on; the
       * cluster layer writes `enable_<addon>: "true"` for the rest.
       */
      disabled: boundedList(z.enum(ADDONS), ADDONS.length, 'add-ons').default([]),
      /** Replicas, PodDisruptionBudgets and anti-affinity for every add-on that has the keys. */
      highAvailability: z.boolean().default(false),
      /**
       * Helm values deep-merged over the catalog's, keyed by Application name (for example
       * `kube-prometheus-stack`, `istiod`). Every key must exist in the pinned chart; the add-on
       * tests check it.
       */
      values: boundedRecord(
        dnsLabel,
        z.record(z.string().max(253), z.unknown()),
        ADDONS.length,
        'add-on value sets',
      ).default({}),
    })
    .prefault({}),
  guardrails: z
    .strictObject({
      /**
       * What the cluster does with a guardrail violation (Kyverno validationActions): `Audit`
       * records it in policy reports, `Deny` refuses the request. CI fails on errors either way.
       */
      action: z.enum(['Audit', 'Deny']).default('Deny'),
      /**
       * Longest an exception may run, in days from the day the specs are checked: an
       * exception's `expires` beyond that is refused, so no exemption is granted for ever.
       */
      maxExceptionDays: z.int().min(1).max(366).default(180),
      /** Environment-wide exemptions; tenants declare their own in their spec. */
      exceptions: boundedList(policyException, 50, 'policy exceptions').default([]),
      /**
       * Registries whose images may run in this cluster (the `images-allowed-registries`
       * guardrail, in CI and at admission, every namespace). Each entry is a registry host with
       * an optional path prefix: `registry.k8s.io`, `ghcr.io/acme`, `docker.io/library` (images
       * without a host are Docker Hub's). At most 100 entries of 255 characters each.
       */
      imageRegistries: z
        .strictObject({
          /**
           * The whole allow-list, replacing the platform's default (to narrow it).
           *
           * @default DEFAULT_IMAGE_REGISTRIES of src/model/conventions.ts: the registries of
           * the platform's add-ons and workloads and of the example tenants
           */
          allowed: boundedList(imageRegistry, 100, 'image registries').optional(),
          /** Added to `allowed` (or to the default): extends the list without repeating it. */
          additional: boundedList(imageRegistry, 100, 'image registries').default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Time-boxed widenings of one tenant's isolation in this environment (an egress CIDR into
   * the cluster's ranges or the internet, an owner group outside the tenant's subtree); see
   * src/spec/isolation.ts.
   */
  isolationExceptions: z.array(isolationException).max(1000).default([]),
  tenants: z.strictObject({
    /** Quota a tenant gets when its spec says nothing. */
    defaultQuota: quota,
    /** The most a tenant may ask for in this environment. */
    maxQuota: quota,
    /** Per-container defaults written to every tenant LimitRange. */
    containerDefaults: z
      .strictObject({
        cpuRequest: z
          .string()
          .max(16)
          .regex(/^\d+m$/)
          .default('100m'),
        memoryRequestMiB: z.int().min(16).default(128),
        cpuLimit: z
          .string()
          .max(16)
          .regex(/^\d+m$/)
          .default('1000m'),
        memoryLimitMiB: z.int().min(16).default(1024),
      })
      .prefault({}),
  }),
});

export type EnvironmentSpec = z.infer<typeof environmentSpec>;
export type EnvironmentInput = z.input<typeof environmentSpec>;
export const partialQuotaSpec = partialQuota;
