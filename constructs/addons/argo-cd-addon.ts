import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { argoCdControllerEnv, argoCdSizing, argoCdSizingParams } from './private/argo-cd-sizing';
import { chartApplication } from './private/chart-application';

interface Component {
  readonly replicas: number;
  readonly pdb: { readonly enabled: boolean };
  readonly metrics: {
    readonly enabled: boolean;
    readonly serviceMonitor: { readonly enabled: boolean };
  };
}

/** Values we set on argo-cd 10.1.1 (Argo CD v3.4.4). */
export interface ArgoCdValues {
  readonly global: {
    readonly domain: string;
    readonly nodeSelector: Placement['nodeSelector'];
    readonly tolerations: Placement['tolerations'];
  };
  /**
   * The redis-ha sub-chart (4.38.0) reads its own top-level nodeSelector/tolerations for the
   * Redis StatefulSet and the HAProxy Deployment, never argo-cd's global.* ones.
   */
  readonly 'redis-ha': {
    readonly enabled: boolean;
    readonly nodeSelector?: Placement['nodeSelector'];
    readonly tolerations?: Placement['tolerations'];
  };
  readonly dex: { readonly enabled: boolean };
  readonly controller: Component & { readonly env: readonly { name: string; value: string }[] };
  readonly server: Component;
  readonly repoServer: Component;
  readonly applicationSet: Component;
  readonly configs: {
    /** Rendered into argocd-cm (a free-form map). */
    readonly cm: Readonly<Record<string, string>>;
    /** Rendered into argocd-cmd-params-cm (a free-form map). */
    readonly params: { readonly 'server.insecure': 'true' | 'false' } & ReturnType<
      typeof argoCdSizingParams
    >;
    readonly rbac: {
      readonly 'policy.csv': string;
      readonly 'policy.default': string;
      readonly scopes: string;
    };
  };
}

export interface ArgoCdAddonProps extends AddonProps {
  /** Public hostname of the UI/API, e.g. `argocd.dev.example.com`. */
  readonly hostname: string;
  /** OIDC issuer, e.g. `https://keycloak.dev.example.com/realms/platform`. */
  readonly oidcIssuer: string;
  /** OIDC client id registered in Keycloak. */
  readonly oidcClientId: string;
  /**
   * Where Argo CD reads the client secret: `$<secret>:<key>` of a Secret labelled
   * `app.kubernetes.io/part-of: argocd` in Argo CD's namespace.
   */
  readonly oidcClientSecretRef: string;
  /** Group (full Keycloak path) with full control of Argo CD. */
  readonly adminGroup: string;
  /** Group (full Keycloak path) with read-only access to every project. */
  readonly viewerGroup: string;
  /**
   * Tenants of the environment. Argo CD's processors, client limits and repo-servers are
   * sized for the capacity step at or above it (private/argo-cd-sizing.ts), so adding one
   * tenant changes nothing here unless it crosses a step.
   */
  readonly tenantCount: number;
}

/**
 * Lua health check for Applications. Argo CD ≥ 1.8 no longer reports child Application health
 * to the parent, so without it the root app's sync waves would not wait for each wave to be
 * healthy (Argo CD docs, "1.7 to 1.8" upgrade notes).
 */
const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil then',
  '  if obj.status.health ~= nil then',
  '    hs.status = obj.status.health.status',
  '    if obj.status.health.message ~= nil then',
  '      hs.message = obj.status.health.message',
  '    end',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/**
 * argocd-rbac-cm `policy.csv`: the platform roles only. Tenant roles live in each tenant's
 * AppProject (`spec.roles`, TenantProject), so this never grows with the tenant count and a
 * tenant PR never touches it.
 */
export function argoRbacPolicy(
  props: Pick<ArgoCdAddonProps, 'adminGroup' | 'viewerGroup'>,
): string {
  return `g, ${props.adminGroup}, role:admin\ng, ${props.viewerGroup}, role:readonly\n`;
}

/**
 * Argo CD managing itself (the cluster layer installs it once; this Application adopts it).
 * SSO through Keycloak OIDC (Dex off), RBAC from Keycloak groups, sync impersonation on so
 * tenant projects sync as their own service accounts. Never pruned on deletion.
 */
export class ArgoCdAddon extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdAddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const monitor = props.monitoring ?? true;
    const component = (haReplicas: number): Component => ({
      replicas: ha ? haReplicas : 1,
      pdb: { enabled: ha },
      metrics: { enabled: monitor, serviceMonitor: { enabled: monitor } },
    });
    const oidc = [
      'name: Keycloak',
      `issuer: ${props.oidcIssuer}`,
      `clientID: ${props.oidcClientId}`,
      `clientSecret: ${props.oidcClientSecretRef}`,
      'requestedScopes: ["openid", "profile", "email"]',
      '',
    ].join('\n');
    const sizing = argoCdSizing(props.tenantCount, ha ? 2 : 1);
    const values: ArgoCdValues = {
      global: {
        domain: props.hostname,
        nodeSelector: props.placement.nodeSelector,
        tolerations: props.placement.tolerations,
      },
      // Placement only with HA: without it the sub-chart is off and the keys would do nothing.
      'redis-ha': ha
        ? {
            enabled: true,
            nodeSelector: props.placement.nodeSelector,
            tolerations: props.placement.tolerations,
          }
        : { enabled: false },
      dex: { enabled: false },
      // One controller: Argo CD shards by cluster and this Argo CD manages one cluster, so
      // further replicas would own no Application (private/argo-cd-sizing.ts).
      controller: { ...component(1), env: argoCdControllerEnv(sizing) },
      server: component(2),
      repoServer: { ...component(2), replicas: sizing.repoServerReplicas },
      applicationSet: component(2),
      configs: {
        cm: {
          'oidc.config': oidc,
          // The local admin's password would be a second way in beside Keycloak SSO, with no
          // group, no MFA and no audit trail of who used it (argo-cd FAQ, disable admin user).
          'admin.enabled': 'false',
          'application.sync.impersonation.enabled': 'true',
          'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
        },
        // TLS ends at the central gateway (src/platform/platform-uis.ts); argocd-server
        // serving TLS itself would redirect the gateway's plain-HTTP requests forever.
        params: { 'server.insecure': 'true', ...argoCdSizingParams(sizing) },
        rbac: { 'policy.csv': argoRbacPolicy(props), 'policy.default': '', scopes: '[groups]' },
      },
    };
    chartApplication(this, props, {
      addon: 'argo-cd',
      chart: 'argo-cd',
      namespace: 'argocd',
      syncWave: 'operators',
      values,
      preserveResourcesOnDeletion: true,
    });
  }
}
