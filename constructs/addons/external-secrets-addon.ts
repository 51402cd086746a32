import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** Values we set on external-secrets 2.9.0. */
export interface ExternalSecretsValues {
  readonly installCRDs: boolean;
  readonly global: {
    readonly nodeSelector: Placement['nodeSelector'];
    readonly tolerations: Placement['tolerations'];
  };
  readonly replicaCount: number;
  readonly leaderElect: boolean;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: boolean };
  readonly webhook: {
    readonly replicaCount: number;
    readonly podDisruptionBudget: { readonly enabled: boolean };
  };
  readonly certController: {
    readonly replicaCount: number;
    readonly podDisruptionBudget: { readonly enabled: boolean };
  };
}

/**
 * external-secrets with its CRDs (server-side apply: they are large). Reads AWS Secrets
 * Manager as the chart's default `external-secrets` service account, which the cluster layer
 * binds to a role through EKS Pod Identity.
 */
export class ExternalSecretsAddon extends Construct {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const replicas = { replicaCount: ha ? 2 : 1, podDisruptionBudget: { enabled: ha } };
    const values: ExternalSecretsValues = {
      installCRDs: true,
      global: {
        nodeSelector: props.placement.nodeSelector,
        tolerations: props.placement.tolerations,
      },
      ...replicas,
      // Two controllers must not reconcile the same ExternalSecret at once.
      leaderElect: ha,
      serviceMonitor: { enabled: props.monitoring ?? true },
      webhook: replicas,
      certController: replicas,
    };
    chartApplication(this, props, {
      addon: 'external-secrets',
      chart: 'external-secrets',
      namespace: 'external-secrets',
      syncWave: 'operators',
      values,
    });
  }
}
