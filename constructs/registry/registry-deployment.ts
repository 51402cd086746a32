import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { NODE_GROUPS } from '../../src/model/conventions';
import {
  certificateDatabaseUrl,
  configEnv,
  type RegistryEnvName,
} from '@agentic-platform/agent-registry/config';
import {
  DEFAULT_MEMORY_MIB,
  MIGRATE_COMMAND,
  MIN_MEMORY_MIB,
  MOUNT_DIRS,
  nodeOptionsFor,
  PROBE_PATHS,
  PROBE_PORT,
  REGISTRY_IMAGE,
  REGISTRY_OIDC_CLIENT,
  REGISTRY_PORT,
  RUN_AS_USER,
  SERVICE_DATABASE_ROLE,
  TMP_DIR,
} from '@agentic-platform/agent-registry/constants';

const k8s = kplus.k8s;

export interface RegistryDeploymentProps {
  readonly namespace: string;
  readonly name: string;
  /** Labels that select the pods (Service, PDB, NetworkPolicy, ServiceMonitor use them). */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * ServiceAccount the pods run as; it may list and watch the catalog ConfigMaps of
   * `namespace`, which the service reloads on change (no restart, no catalog mount).
   */
  readonly serviceAccountName: string;
  /**
   * Secret with the schema owner's connection URI (CloudNativePG's `<cluster>-app`). Only the
   * init container that applies the migrations (MIGRATE_COMMAND) reads it; the service never
   * holds the owner's credentials.
   */
  readonly ownerDatabaseSecretName: string;
  /**
   * Key of the URI in `ownerDatabaseSecretName`.
   *
   * @default 'uri'
   */
  readonly ownerDatabaseSecretKey?: string;
  /**
   * Host, port and database the service connects to as SERVICE_DATABASE_ROLE, by client
   * certificate (`certificateDatabaseUrl`); the URL carries no secret.
   */
  readonly serviceDatabase: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
  };
  /** Secret with SERVICE_DATABASE_ROLE's client certificate (`tls.crt`, `tls.key`). */
  readonly serviceClientCertSecretName: string;
  /** Secret with the database server certificate's CA (`ca.crt`). */
  readonly databaseCaSecretName: string;
  /** Secret with the audit checkpoint signing key (`tls.key`, Ed25519 PKCS#8). */
  readonly auditSigningKeySecretName: string;
  /**
   * Container image.
   *
   * @default REGISTRY_IMAGE - the pinned image the registry-image workflow pushes
   */
  readonly image?: string;
  /**
   * Registry settings beyond port, database and catalog, validated against the program's schema.
   *
   * @default {} - the program's defaults
   */
  readonly settings?: Partial<Record<RegistryEnvName, string | number>>;
  /** @default '100m' */
  readonly cpuRequest?: string;
  /**
   * CPU limit of the container. The workload-resources guardrail requires one: the registry
   * shares platform nodes with the controllers every tenant depends on.
   *
   * @default '1'
   */
  readonly cpuLimit?: string;
  /**
   * Memory of the container (request = limit, so the pod is never OOM-killed for a
   * neighbour's usage); the V8 heap is capped at half of it (`nodeOptionsFor`).
   *
   * @default DEFAULT_MEMORY_MIB (320): the benchmark's highest peak RSS with that cap (258 MiB), plus a quarter
   */
  readonly memoryMiB?: number;
}

/**
 * The registry's pods: non-root, read-only root filesystem, no capabilities, seccomp
 * RuntimeDefault, on the platform node group, spread over zones and nodes, probed on the
 * service's own paths on its probe port. Replicas are left to the HorizontalPodAutoscaler.
 */
export class RegistryDeployment extends Construct {
  public readonly name: string;
  /** The service container's env (all literal: the database URL authenticates by certificate). */
  public readonly env: readonly { name: string; value?: string }[];
  /** The migration init container's env (the owner's URL from its Secret). */
  public readonly migrateEnv: readonly { name: string }[];

  constructor(scope: Construct, id: string, props: RegistryDeploymentProps) {
    super(scope, id);
    const memoryMiB = props.memoryMiB ?? DEFAULT_MEMORY_MIB;
    if (memoryMiB < MIN_MEMORY_MIB) {
      throw new Error(
        `RegistryDeployment ${props.name}: memoryMiB must be at least ${MIN_MEMORY_MIB}, got ${memoryMiB}; the Node runtime and the catalog index need that much`,
      );
    }
    this.name = props.name;
    const group = NODE_GROUPS.platform;
    const certDir = MOUNT_DIRS.databaseClientCert;
    const literal = configEnv({
      ...props.settings,
      REGISTRY_PORT,
      REGISTRY_PROBE_PORT: PROBE_PORT,
      REGISTRY_DATABASE: 'postgres',
      REGISTRY_DATABASE_URL: certificateDatabaseUrl({
        ...props.serviceDatabase,
        role: SERVICE_DATABASE_ROLE,
        certFile: `${certDir}/tls.crt`,
        keyFile: `${certDir}/tls.key`,
        caFile: `${MOUNT_DIRS.databaseCa}/ca.crt`,
      }),
      // The init container applied them as the owner; the service, owning nothing, cannot.
      REGISTRY_DATABASE_MIGRATIONS: 'require',
      REGISTRY_AUDIT_SIGNING_KEY_FILE: `${MOUNT_DIRS.auditSigner}/tls.key`,
      REGISTRY_CATALOG_SOURCE: 'kubernetes',
      REGISTRY_CATALOG_NAMESPACE: props.namespace,
      // Tokens issued to another client of the realm are refused.
      REGISTRY_OIDC_AUDIENCE: REGISTRY_OIDC_CLIENT,
    });
    // Not a REGISTRY_ setting: read by node itself, before the program's config exists.
    const env = [...literal, { name: 'NODE_OPTIONS', value: nodeOptionsFor(memoryMiB) }].sort(
      (a, b) => (a.name < b.name ? -1 : 1),
    );
    this.env = env;
    const migrateEnv = [
      ...configEnv({
        REGISTRY_DATABASE: 'postgres',
        REGISTRY_DATABASE_SERVICE_ROLE: SERVICE_DATABASE_ROLE,
      }),
      {
        name: 'REGISTRY_DATABASE_URL' satisfies RegistryEnvName,
        valueFrom: {
          secretKeyRef: {
            name: props.ownerDatabaseSecretName,
            key: props.ownerDatabaseSecretKey ?? 'uri',
          },
        },
      },
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    this.migrateEnv = migrateEnv;
    const resources = {
      requests: {
        cpu: k8s.Quantity.fromString(props.cpuRequest ?? '100m'),
        memory: k8s.Quantity.fromString(`${memoryMiB}Mi`),
      },
      limits: {
        cpu: k8s.Quantity.fromString(props.cpuLimit ?? '1'),
        memory: k8s.Quantity.fromString(`${memoryMiB}Mi`),
      },
    };
    const containerSecurity = {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    // Group-readable by the pod's fsGroup, nobody else's: the key files need no more.
    const secretVolume = (name: string, secretName: string, keys: readonly string[]) => ({
      name,
      secret: {
        secretName,
        defaultMode: 0o440,
        items: keys.map((key) => ({ key, path: key })),
      },
    });
    // On the probe port, answered by a worker thread of its own: at 1,000 connections the
    // public listener made a fresh connection wait past the 2 s timeout (README, "Probes").
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port: k8s.IntOrString.fromString('probes') },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 2,
    });
    const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable,
      labelSelector: { matchLabels: { ...props.selector } },
    });

    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.selector } },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxUnavailable: k8s.IntOrString.fromNumber(0),
            maxSurge: k8s.IntOrString.fromNumber(1),
          },
        },
        template: {
          metadata: { labels: { ...props.selector } },
          spec: {
            serviceAccountName: props.serviceAccountName,
            // The token of the catalog reader: the service lists and watches its ConfigMaps.
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            // Longer than REGISTRY_SHUTDOWN_TIMEOUT_MS (25 s): in-flight requests finish first.
            terminationGracePeriodSeconds: 30,
            nodeSelector: { ...group.labels },
            tolerations: [{ ...group.taint, operator: 'Equal' }],
            topologySpreadConstraints: [
              spread('topology.kubernetes.io/zone', 'ScheduleAnyway'),
              spread('kubernetes.io/hostname', 'ScheduleAnyway'),
            ],
            securityContext: {
              runAsNonRoot: true,
              runAsUser: RUN_AS_USER,
              runAsGroup: RUN_AS_USER,
              fsGroup: RUN_AS_USER,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            // Migrations as the schema owner before the service starts as a role owning
            // nothing; replicas starting together apply each once (advisory lock).
            initContainers: [
              {
                name: 'migrate',
                image: props.image ?? REGISTRY_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                command: [...MIGRATE_COMMAND],
                env: migrateEnv,
                resources,
                securityContext: containerSecurity,
              },
            ],
            containers: [
              {
                name: 'registry',
                image: props.image ?? REGISTRY_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: 'http', containerPort: REGISTRY_PORT, protocol: 'TCP' },
                  { name: 'probes', containerPort: PROBE_PORT, protocol: 'TCP' },
                ],
                env,
                startupProbe: probe(PROBE_PATHS.readiness, 2, 30),
                readinessProbe: probe(PROBE_PATHS.readiness, 5, 2),
                livenessProbe: probe(PROBE_PATHS.liveness, 10, 3),
                resources,
                securityContext: containerSecurity,
                volumeMounts: [
                  { name: 'tmp', mountPath: TMP_DIR },
                  { name: 'db-client', mountPath: certDir, readOnly: true },
                  { name: 'db-ca', mountPath: MOUNT_DIRS.databaseCa, readOnly: true },
                  { name: 'audit-signer', mountPath: MOUNT_DIRS.auditSigner, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              secretVolume('db-client', props.serviceClientCertSecretName, ['tls.crt', 'tls.key']),
              secretVolume('db-ca', props.databaseCaSecretName, ['ca.crt']),
              secretVolume('audit-signer', props.auditSigningKeySecretName, ['tls.key']),
            ],
          },
        },
      },
    });
  }
}
