import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { NODE_GROUPS } from '../../src/model/conventions';
import { configEnv, type RegistryEnvName } from '@agentic-platform/agent-registry/config';
import {
  PROBE_PATHS,
  REGISTRY_IMAGE,
  REGISTRY_OIDC_CLIENT,
  REGISTRY_PORT,
  RUN_AS_USER,
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
  /** Secret with the database connection URI (CloudNativePG's `<cluster>-app`). */
  readonly databaseSecretName: string;
  /**
   * Key of the URI in `databaseSecretName`.
   *
   * @default 'uri'
   */
  readonly databaseSecretKey?: string;
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
  /** @default 256 */
  readonly memoryMiB?: number;
}

/**
 * The registry's pods: non-root, read-only root filesystem, no capabilities, seccomp
 * RuntimeDefault, on the platform node group, spread over zones and nodes, probed on the
 * service's own paths. Replicas are left to the HorizontalPodAutoscaler.
 */
export class RegistryDeployment extends Construct {
  public readonly name: string;
  public readonly env: readonly { name: string }[];

  constructor(scope: Construct, id: string, props: RegistryDeploymentProps) {
    super(scope, id);
    const memoryMiB = props.memoryMiB ?? 256;
    if (memoryMiB < 128) {
      throw new Error(
        `RegistryDeployment ${props.name}: memoryMiB must be at least 128, got ${memoryMiB}; the Node runtime and the catalog index need that much`,
      );
    }
    this.name = props.name;
    const group = NODE_GROUPS.platform;
    const literal = configEnv({
      ...props.settings,
      REGISTRY_PORT,
      REGISTRY_DATABASE: 'postgres',
      REGISTRY_CATALOG_SOURCE: 'kubernetes',
      REGISTRY_CATALOG_NAMESPACE: props.namespace,
      // Tokens issued to another client of the realm are refused.
      REGISTRY_OIDC_AUDIENCE: REGISTRY_OIDC_CLIENT,
    });
    const env = [
      ...literal,
      {
        name: 'REGISTRY_DATABASE_URL' satisfies RegistryEnvName,
        valueFrom: {
          secretKeyRef: { name: props.databaseSecretName, key: props.databaseSecretKey ?? 'uri' },
        },
      },
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    this.env = env;
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port: k8s.IntOrString.fromString('http') },
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
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'registry',
                image: props.image ?? REGISTRY_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: REGISTRY_PORT, protocol: 'TCP' }],
                env,
                startupProbe: probe(PROBE_PATHS.readiness, 2, 30),
                readinessProbe: probe(PROBE_PATHS.readiness, 5, 2),
                livenessProbe: probe(PROBE_PATHS.liveness, 10, 3),
                resources: {
                  requests: {
                    cpu: k8s.Quantity.fromString(props.cpuRequest ?? '100m'),
                    memory: k8s.Quantity.fromString(`${memoryMiB}Mi`),
                  },
                  limits: {
                    cpu: k8s.Quantity.fromString(props.cpuLimit ?? '1'),
                    memory: k8s.Quantity.fromString(`${memoryMiB}Mi`),
                  },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [{ name: 'tmp', mountPath: TMP_DIR }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
  }
}
