import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** The example agents and tool servers kagent 0.9.12 enables by default (`<name>.enabled`). */
export const KAGENT_BUNDLED_AGENTS = [
  'k8s-agent',
  'kgateway-agent',
  'istio-agent',
  'promql-agent',
  'observability-agent',
  'argo-rollouts-agent',
  'helm-agent',
  'cilium-policy-agent',
  'cilium-manager-agent',
  'cilium-debug-agent',
  'grafana-mcp',
  'querydoc',
] as const;

/**
 * kagent 0.9.12's controller authentication modes (go/core/cmd/controller/main.go
 * `getAuthenticator`; any other value stops the controller):
 * - `unsecure`: the user is the `user_id` query parameter or `X-User-Id` header, and
 *   `admin@kagent.dev` when neither is sent: any caller is whoever it claims, admin by default.
 * - `trusted-proxy`: every request must carry `Authorization: Bearer <JWT>`; the user is the
 *   token's `sub` (or `userIdClaim`), or, for agent calls (`X-Agent-Name`), the `X-User-Id`
 *   header. The token's signature is not verified (an oauth2-proxy in front is assumed), and
 *   the authorizer is a no-op in both modes.
 */
export type KagentAuthMode = 'unsecure' | 'trusted-proxy';

interface Pods {
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
}

/**
 * The kmcp controller image tag. kmcp 0.3.0's chart has no appVersion, so without a tag its
 * image falls back to `latest` (templates/_helpers.tpl); kmcp's Makefile tags the controller
 * image with the git tag (CONTROLLER_IMAGE_TAG ?= $(VERSION), from `git describe --tags`).
 */
export const KMCP_IMAGE_TAG = 'v0.3.0';

/**
 * Values we set on kagent 0.9.12. Placement is per component: kagent's templates read
 * `controller.*` and `ui.*`, its sub-charts `kmcp.*` and `kagent-tools.*`; the chart's
 * top-level nodeSelector/tolerations are declared in values.yaml but read by no template.
 */
export type KagentValues = {
  readonly controller: Pods & {
    readonly replicas: number;
    readonly auth: { readonly mode: KagentAuthMode };
    readonly metrics: { readonly enabled: boolean };
    readonly volumes?: readonly {
      readonly name: string;
      readonly secret: {
        readonly secretName: string;
        readonly items: readonly { readonly key: string; readonly path: string }[];
      };
    }[];
    readonly volumeMounts?: readonly {
      readonly name: string;
      readonly mountPath: string;
      readonly readOnly: boolean;
    }[];
  };
  readonly database?: {
    readonly postgres: {
      readonly urlFile: string;
      readonly bundled: { readonly enabled: boolean };
    };
  };
  readonly ui: Pods & { readonly replicas: number };
  readonly kmcp: Pods & { readonly image: { readonly tag: string } };
  readonly 'kagent-tools': Pods;
  readonly otel: {
    readonly tracing: {
      readonly enabled: boolean;
      readonly exporter: { readonly otlp: { readonly endpoint: string } };
    };
  };
} & { readonly [agent in (typeof KAGENT_BUNDLED_AGENTS)[number]]: { readonly enabled: boolean } };

export interface KagentAddonProps extends AddonProps {
  /** OTLP gRPC endpoint of the platform collector agents export traces to. */
  readonly otlpEndpoint: string;
  /** @default 'kagent' */
  readonly namespace?: string;
  /**
   * Secret holding the connection URI of kagent's PostgreSQL (e.g. a CloudNativePG
   * `<cluster>-app` Secret and its `uri` key). The controller reads it from a mounted file
   * (`database.postgres.urlFile`), so the password is never in values or git.
   *
   * @default - the chart's bundled PostgreSQL, which kagent documents as "for development and
   * evaluation only" (fixed credentials, one pod, 500Mi volume)
   */
  readonly databaseSecret?: { readonly name: string; readonly key: string };
  /**
   * Install kagent's example agents and tool servers (cluster-admin-ish helpers).
   *
   * @default false - tenants bring their own agents; the examples hold broad RBAC
   */
  readonly bundledAgents?: boolean;
}

const DB_VOLUME = 'database-url';
const DB_MOUNT_DIR = '/etc/kagent/database';
const DB_URL_FILE = 'url';

/**
 * kagent CRDs (with kmcp's MCPServer) and the kagent controller and UI, on the platform's
 * own PostgreSQL when `databaseSecret` is given.
 */
export class KagentAddon extends Construct {
  constructor(scope: Construct, id: string, props: KagentAddonProps) {
    super(scope, id);
    const ns = props.namespace ?? 'kagent';
    const ha = props.highAvailability ?? false;
    chartApplication(this, props, {
      addon: 'kagent',
      chart: 'kagent-crds',
      namespace: ns,
      syncWave: 'crds',
      preserveResourcesOnDeletion: true,
    });
    const agents = Object.fromEntries(
      KAGENT_BUNDLED_AGENTS.map((a) => [a, { enabled: props.bundledAgents ?? false }]),
    ) as Record<(typeof KAGENT_BUNDLED_AGENTS)[number], { enabled: boolean }>;
    const db = props.databaseSecret;
    const pods: Pods = {
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
    };
    const values: KagentValues = {
      controller: {
        ...pods,
        replicas: ha ? 2 : 1,
        // No anonymous admin: without a bearer token the controller answers 401. It does not
        // make kagent verify who a caller is (see KagentAuthMode); that comes from the network
        // and mesh policies, which admit only agent pods, on the controller port alone.
        auth: { mode: 'trusted-proxy' },
        metrics: { enabled: props.monitoring ?? true },
        ...(db
          ? {
              volumes: [
                {
                  name: DB_VOLUME,
                  secret: { secretName: db.name, items: [{ key: db.key, path: DB_URL_FILE }] },
                },
              ],
              volumeMounts: [{ name: DB_VOLUME, mountPath: DB_MOUNT_DIR, readOnly: true }],
            }
          : {}),
      },
      ...(db
        ? {
            database: {
              postgres: { urlFile: `${DB_MOUNT_DIR}/${DB_URL_FILE}`, bundled: { enabled: false } },
            },
          }
        : {}),
      ui: { ...pods, replicas: ha ? 2 : 1 },
      kmcp: { ...pods, image: { tag: KMCP_IMAGE_TAG } },
      'kagent-tools': pods,
      otel: { tracing: { enabled: true, exporter: { otlp: { endpoint: props.otlpEndpoint } } } },
      ...agents,
    };
    chartApplication(this, props, {
      addon: 'kagent',
      chart: 'kagent',
      namespace: ns,
      syncWave: 'services',
      values,
    });
  }
}
