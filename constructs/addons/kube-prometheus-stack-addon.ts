import { Construct } from 'constructs';
import { keycloakOidcUrl } from '@agentic-platform/agent-registry/catalog/identity';
import { assertKeycloakRealmUrl } from './private/keycloak';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

interface Pods {
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
}

/** Values we set on kube-prometheus-stack 88.5.3. */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: boolean };
  /**
   * The operator, and the Jobs that create and patch its admission webhook certificate
   * (Helm hooks, so they run before anything else of the release): their placement is
   * `admissionWebhooks.patch.*`, not the operator's.
   */
  readonly prometheusOperator: Pods & { readonly admissionWebhooks: { readonly patch: Pods } };
  /** The kube-state-metrics sub-chart (8.4.0) reads its own placement keys. */
  readonly 'kube-state-metrics': Pods;
  readonly prometheus: {
    readonly prometheusSpec: Pods & {
      readonly replicas: number;
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly probeSelectorNilUsesHelmValues: boolean;
      readonly scrapeConfigSelectorNilUsesHelmValues: boolean;
    };
  };
  readonly alertmanager: { readonly alertmanagerSpec: Pods & { readonly replicas: number } };
  readonly kubeControllerManager: { readonly enabled: boolean };
  readonly kubeScheduler: { readonly enabled: boolean };
  readonly kubeEtcd: { readonly enabled: boolean };
  /** The grafana sub-chart (grafana 12.11.1, vendored under schemas/charts/…/charts/grafana). */
  readonly grafana: Pods & {
    /** Rendered into grafana.ini section by section (a free-form map). */
    readonly 'grafana.ini': Readonly<Record<string, Readonly<Record<string, string | boolean>>>>;
    /** Environment variables from Secret keys (a map: variable name → valueFrom). */
    readonly envValueFrom?: Readonly<
      Record<string, { readonly secretKeyRef: { readonly name: string; readonly key: string } }>
    >;
  };
}

/** Grafana login through the platform's Keycloak (generic OAuth). */
export interface GrafanaOidc {
  /** Issuer URL of the realm, e.g. `https://keycloak.dev.example.com/realms/platform`. */
  readonly issuer: string;
  readonly clientId: string;
  /** Secret (in the monitoring namespace) and key holding the client secret. */
  readonly clientSecretName: string;
  readonly clientSecretKey: string;
  /**
   * Groups (full Keycloak paths, as the `groups` claim carries them) mapped to Grafana's Admin,
   * Editor and Viewer roles; anyone else is refused.
   */
  readonly adminGroup: string;
  /** @default - no group gets Editor: dashboards are code, changed through Git */
  readonly editorGroup?: string;
  readonly viewerGroup: string;
}

export interface KubePrometheusStackAddonProps extends AddonProps {
  /** Public hostname of Grafana, e.g. `grafana.dev.example.com`. */
  readonly grafanaHostname: string;
  /**
   * Single sign-on for Grafana.
   *
   * @default - none: only Grafana's local admin (a random password the chart generates) can
   * log in
   */
  readonly grafanaOidc?: GrafanaOidc;
}

/**
 * Prometheus, Alertmanager, Grafana and the Prometheus Operator CRDs (70–830 KB each, hence
 * server-side apply). Prometheus selects every ServiceMonitor/PodMonitor in the cluster, not
 * only this release's, so the other add-ons' monitors are scraped. EKS does not expose the
 * controller manager, scheduler or etcd, so those scrapes are off.
 *
 * Grafana runs on the platform nodes and, with `grafanaOidc`, signs users in through Keycloak
 * with roles from their groups (`role_attribute_strict`: no matching group, no login). The
 * client secret reaches Grafana as GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET from a Secret, never
 * through grafana.ini (the chart's assertNoLeakedSecrets would refuse that anyway).
 */
export class KubePrometheusStackAddon extends Construct {
  constructor(scope: Construct, id: string, props: KubePrometheusStackAddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const oidc = props.grafanaOidc;
    const pods: Pods = {
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
    };
    const values: KubePrometheusStackValues = {
      crds: { enabled: true },
      prometheusOperator: { ...pods, admissionWebhooks: { patch: pods } },
      'kube-state-metrics': pods,
      prometheus: {
        prometheusSpec: {
          ...pods,
          replicas: ha ? 2 : 1,
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: { alertmanagerSpec: { ...pods, replicas: ha ? 2 : 1 } },
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      grafana: {
        ...pods,
        'grafana.ini': {
          server: { root_url: `https://${props.grafanaHostname}` },
          ...(oidc ? { 'auth.generic_oauth': genericOauth(oidc) } : {}),
        },
        ...(oidc
          ? {
              envValueFrom: {
                GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: {
                  secretKeyRef: { name: oidc.clientSecretName, key: oidc.clientSecretKey },
                },
              },
            }
          : {}),
      },
    };
    // CRDs wave: the chart carries the monitoring.coreos.com CRDs every other add-on's
    // ServiceMonitor needs, so it syncs before the operators that create monitors.
    chartApplication(this, props, {
      addon: 'kube-prometheus-stack',
      chart: 'kube-prometheus-stack',
      namespace: 'monitoring',
      syncWave: 'crds',
      values,
    });
  }
}

/** grafana.ini `[auth.generic_oauth]` for a Keycloak realm (Keycloak's standard OIDC paths). */
function genericOauth(o: GrafanaOidc): Record<string, string | boolean> {
  assertKeycloakRealmUrl('KubePrometheusStackAddon', 'grafanaOidc.issuer', o.issuer);
  const has = (group: string) => `contains(groups[*], '${group}')`;
  return {
    enabled: true,
    name: 'Keycloak',
    client_id: o.clientId,
    scopes: 'openid profile email',
    auth_url: keycloakOidcUrl(o.issuer, 'auth'),
    token_url: keycloakOidcUrl(o.issuer, 'token'),
    api_url: keycloakOidcUrl(o.issuer, 'userinfo'),
    use_pkce: true,
    allow_sign_up: true,
    role_attribute_path: [
      `${has(o.adminGroup)} && 'Admin'`,
      ...(o.editorGroup ? [`${has(o.editorGroup)} && 'Editor'`] : []),
      `${has(o.viewerGroup)} && 'Viewer'`,
    ].join(' || '),
    role_attribute_strict: true,
  };
}
