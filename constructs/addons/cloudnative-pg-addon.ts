import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** Values we set on cloudnative-pg 0.29.0. */
export interface CloudNativePgValues {
  readonly crds: { readonly create: boolean };
  readonly replicaCount: number;
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
  readonly monitoring: { readonly podMonitorEnabled: boolean };
}

/** The CloudNativePG operator (CRDs included, applied server-side: they are large). */
export class CloudNativePgAddon extends Construct {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const values: CloudNativePgValues = {
      crds: { create: true },
      replicaCount: props.highAvailability ? 2 : 1,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      monitoring: { podMonitorEnabled: props.monitoring ?? true },
    };
    chartApplication(this, props, {
      addon: 'cloudnative-pg',
      chart: 'cloudnative-pg',
      namespace: 'cnpg-system',
      syncWave: 'operators',
      values,
    });
  }
}
