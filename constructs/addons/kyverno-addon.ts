import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

interface KyvernoController {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: boolean };
}

/** Values we set on kyverno 3.9.0. */
export interface KyvernoValues {
  readonly global: {
    readonly nodeSelector: Placement['nodeSelector'];
    readonly tolerations: Placement['tolerations'];
  };
  readonly admissionController: KyvernoController;
  readonly backgroundController: KyvernoController;
  readonly cleanupController: KyvernoController;
  readonly reportsController: KyvernoController;
}

/**
 * Kyverno 1.19 (CRDs from its bundled sub-charts, applied server-side). HA is three admission
 * controllers and two of each other controller, as the Kyverno docs advise.
 */
export class KyvernoAddon extends Construct {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const monitor = props.monitoring ?? true;
    const controller = (haReplicas: number): KyvernoController => ({
      replicas: ha ? haReplicas : 1,
      podDisruptionBudget: { enabled: ha },
      serviceMonitor: { enabled: monitor },
    });
    const values: KyvernoValues = {
      global: {
        nodeSelector: props.placement.nodeSelector,
        tolerations: props.placement.tolerations,
      },
      admissionController: controller(3),
      backgroundController: controller(2),
      cleanupController: controller(2),
      reportsController: controller(2),
    };
    chartApplication(this, props, {
      addon: 'kyverno',
      chart: 'kyverno',
      namespace: 'kyverno',
      syncWave: 'operators',
      values,
    });
  }
}
