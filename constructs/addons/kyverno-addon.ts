import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

interface KyvernoController {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: boolean };
}

/** One ClusterRole rule, as `backgroundController.rbac.clusterRole.extraResources` takes it. */
export interface KyvernoRbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What the background controller needs beyond the chart's roles to run the platform's
 * GeneratingPolicies: the auto-expose convention creates, updates and (synchronize: true)
 * deletes HTTPRoutes, and watches them (kyverno v1.19.0 pkg/background/gpol/dynamic_watcher.go).
 * The chart's default roles cover no gateway.networking.k8s.io resource, and for a
 * GeneratingPolicy a missing permission only shows at runtime, in the controller's logs.
 */
export const BACKGROUND_GENERATE_RULES: readonly KyvernoRbacRule[] = [
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['httproutes'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
];

/** Values we set on kyverno 3.9.0. */
export interface KyvernoValues {
  readonly global: {
    readonly nodeSelector: Placement['nodeSelector'];
    readonly tolerations: Placement['tolerations'];
  };
  readonly admissionController: KyvernoController;
  readonly backgroundController: KyvernoController & {
    readonly rbac: {
      readonly clusterRole: { readonly extraResources: readonly KyvernoRbacRule[] };
    };
  };
  readonly cleanupController: KyvernoController;
  readonly reportsController: KyvernoController;
  /**
   * The pre-delete hook Jobs that remove Kyverno's webhooks. kyverno 3.9.0 has no default for
   * their pull policy and renders `imagePullPolicy: null` (templates/hooks/pre-delete-*.yaml).
   */
  readonly webhooksCleanup: { readonly image: { readonly pullPolicy: 'IfNotPresent' } };
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
      // Rendered into the chart's `<fullname>:background-controller:additional` ClusterRole,
      // aggregated into the controller's role (templates/background-controller/clusterrole.yaml).
      backgroundController: {
        ...controller(2),
        rbac: { clusterRole: { extraResources: BACKGROUND_GENERATE_RULES } },
      },
      cleanupController: controller(2),
      reportsController: controller(2),
      webhooksCleanup: { image: { pullPolicy: 'IfNotPresent' } },
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
