import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

interface Pods {
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
}

/** Values we set on kube-prometheus-stack 88.5.3. */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: boolean };
  readonly prometheusOperator: Pods;
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
}

/**
 * Prometheus, Alertmanager, Grafana and the Prometheus Operator CRDs (70–830 KB each, hence
 * server-side apply). Prometheus selects every ServiceMonitor/PodMonitor in the cluster, not
 * only this release's, so the other add-ons' monitors are scraped. EKS does not expose the
 * controller manager, scheduler or etcd, so those scrapes are off.
 *
 * Grafana's own placement and SSO keys live in the grafana sub-chart, whose values are not
 * vendored; they are left to the Kyverno scheduling convention and a later change.
 */
export class KubePrometheusStackAddon extends Construct {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const pods: Pods = {
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
    };
    const values: KubePrometheusStackValues = {
      crds: { enabled: true },
      prometheusOperator: pods,
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
