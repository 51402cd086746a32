import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** Values we set on agentgateway v1.4.1 (control plane; proxies are per Gateway). */
export interface AgentgatewayValues {
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
  readonly controller: {
    readonly replicaCount: number;
    /** PodDisruptionBudget spec; empty means none. */
    readonly podDisruptionBudget: { readonly minAvailable?: number };
  };
  /** Gates the controller ServiceMonitor and the proxy PodMonitor (both default on). */
  readonly monitoring: { readonly enabled: boolean };
}

export interface AgentgatewayAddonProps extends AddonProps {
  /** @default 'agentgateway-system' */
  readonly namespace?: string;
}

/**
 * agentgateway CRDs and controller. The controller creates and owns the `agentgateway`
 * GatewayClass (controller `agentgateway.dev/agentgateway`) itself, so the platform only
 * references the class from its Gateway.
 */
export class AgentgatewayAddon extends Construct {
  constructor(scope: Construct, id: string, props: AgentgatewayAddonProps) {
    super(scope, id);
    const ns = props.namespace ?? 'agentgateway-system';
    const ha = props.highAvailability ?? false;
    chartApplication(this, props, {
      addon: 'agentgateway',
      chart: 'agentgateway-crds',
      namespace: ns,
      syncWave: 'crds',
      preserveResourcesOnDeletion: true,
    });
    const values: AgentgatewayValues = {
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      controller: { replicaCount: ha ? 2 : 1, podDisruptionBudget: ha ? { minAvailable: 1 } : {} },
      monitoring: { enabled: props.monitoring ?? true },
    };
    chartApplication(this, props, {
      addon: 'agentgateway',
      chart: 'agentgateway',
      namespace: ns,
      syncWave: 'operators',
      values,
    });
  }
}
