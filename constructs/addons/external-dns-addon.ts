import { Construct } from 'constructs';
import { bridge } from '../gitops/bridge-template';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** Values we set on external-dns 1.21.1. */
export interface ExternalDnsValues {
  readonly provider: { readonly name: 'aws' };
  readonly sources: readonly string[];
  readonly domainFilters: readonly string[];
  readonly policy: 'sync' | 'upsert-only';
  readonly txtOwnerId: string;
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
  readonly serviceMonitor: { readonly enabled: boolean };
}

export interface ExternalDnsAddonProps extends AddonProps {
  /** The environment's public zone; records outside it are never touched. */
  readonly domain: string;
}

/**
 * external-dns for Route 53, publishing Services and Gateway API HTTPRoutes in the
 * environment's zone. Owner id and region come from the cluster Secret; credentials from
 * EKS Pod Identity. The chart runs one replica by design (Recreate strategy), so no HA keys.
 */
export class ExternalDnsAddon extends Construct {
  constructor(scope: Construct, id: string, props: ExternalDnsAddonProps) {
    super(scope, id);
    const values: ExternalDnsValues = {
      provider: { name: 'aws' },
      sources: ['service', 'gateway-httproute'],
      domainFilters: [props.domain],
      policy: 'sync',
      txtOwnerId: bridge.annotation('clusterName'),
      env: [{ name: 'AWS_DEFAULT_REGION', value: bridge.annotation('region') }],
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      serviceMonitor: { enabled: props.monitoring ?? true },
    };
    chartApplication(this, props, {
      addon: 'external-dns',
      chart: 'external-dns',
      namespace: 'external-dns',
      syncWave: 'operators',
      values,
    });
  }
}
