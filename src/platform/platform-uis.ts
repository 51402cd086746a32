import type { AddonName } from '../model/gitops-bridge';
import type { platformHosts } from './hosts';

/** A platform UI the central gateway publishes on its own hostname. */
export interface PlatformUi {
  /** The add-on that serves it; no route when the environment disables it. */
  readonly addon: AddonName;
  /** Key of its hostname in `platformHosts`. */
  readonly host: keyof ReturnType<typeof platformHosts>;
  /** The Service the chart creates, from the release name the add-on Application uses. */
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  /** @default ['/'] */
  readonly pathPrefixes?: readonly string[];
}

/**
 * Service names follow each chart's fullname rule for the release name our Applications
 * set (constructs/addons/private/chart-application.ts: the add-on name, `keycloak` for
 * Keycloak), read from the chart templates at the pinned versions:
 * - argo-cd 10.1.1: release `argo-cd` does not contain the default nameOverride `argocd`, so
 *   the fullname is `argo-cd-argocd` and the server `argo-cd-argocd-server`, port 80
 *   (templates/_common.tpl, argocd-server/service.yaml). Served as plain HTTP because the
 *   addon sets `server.insecure` (TLS ends at the gateway).
 * - keycloakx 7.1.11: release `keycloak` does not contain `keycloakx`, so
 *   `keycloak-keycloakx-http`, port 80 → 8080 (templates/service-http.yaml). Only the paths
 *   Keycloak's reverse-proxy guide marks as exposed; the admin console (`/admin/`),
 *   metrics and health stay in-cluster (keycloak.org/server/reverseproxy, "Exposed path
 *   recommendations").
 * - langfuse 2.0.0: `langfuse-web`, port 3000 (templates/web/service.yaml, values
 *   `langfuse.web.service.port`).
 * - kube-prometheus-stack 88.5.3 → grafana 12.11.1: `kube-prometheus-stack-grafana`, port 80.
 * kagent's UI is not published: kagent v0.9.12 defaults to `controller.auth.mode: unsecure`
 * (any caller acts as admin@kagent.dev, values.yaml), and putting its bundled oauth2-proxy in
 * front (`trusted-proxy` mode) is not configured yet. Reach it with
 * `kubectl port-forward -n kagent svc/kagent-ui 8080`.
 */
export const PLATFORM_UIS: readonly PlatformUi[] = [
  {
    addon: 'argo-cd',
    host: 'argocd',
    namespace: 'argocd',
    service: 'argo-cd-argocd-server',
    port: 80,
  },
  {
    addon: 'keycloak',
    host: 'keycloak',
    namespace: 'keycloak',
    service: 'keycloak-keycloakx-http',
    port: 80,
    pathPrefixes: ['/realms/', '/resources/', '/.well-known/', '/robots.txt'],
  },
  {
    addon: 'langfuse',
    host: 'langfuse',
    namespace: 'langfuse',
    service: 'langfuse-web',
    port: 3000,
  },
  {
    addon: 'kube-prometheus-stack',
    host: 'grafana',
    namespace: 'monitoring',
    service: 'kube-prometheus-stack-grafana',
    port: 80,
  },
];
