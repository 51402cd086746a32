import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

interface Pods {
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
}

/** Values we set on cert-manager v1.21.1 (values.schema.json is strict). */
export interface CertManagerValues extends Pods {
  readonly crds: { readonly enabled: boolean; readonly keep: boolean };
  readonly replicaCount: number;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly prometheus: {
    readonly enabled: boolean;
    readonly servicemonitor: { readonly enabled: boolean };
  };
  readonly webhook: Pods & {
    readonly replicaCount: number;
    readonly podDisruptionBudget: { readonly enabled: boolean };
  };
  readonly cainjector: Pods & {
    readonly replicaCount: number;
    readonly podDisruptionBudget: { readonly enabled: boolean };
  };
  readonly startupapicheck: Pods;
}

/**
 * cert-manager with its CRDs. DNS-01 against Route 53 authenticates through EKS Pod Identity
 * on the chart's default `cert-manager` service account (ADDON_IDENTITIES), so no keys or
 * annotations are needed in the values.
 */
export class CertManagerAddon extends Construct {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const pods: Pods = {
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
    };
    const replicas = { replicaCount: ha ? 2 : 1, podDisruptionBudget: { enabled: ha } };
    const values: CertManagerValues = {
      ...pods,
      ...replicas,
      crds: { enabled: true, keep: true },
      prometheus: { enabled: true, servicemonitor: { enabled: props.monitoring ?? true } },
      webhook: { ...pods, ...replicas },
      cainjector: { ...pods, ...replicas },
      startupapicheck: pods,
    };
    chartApplication(this, props, {
      addon: 'cert-manager',
      chart: 'cert-manager',
      namespace: 'cert-manager',
      syncWave: 'operators',
      values,
    });
  }
}
