import { Construct } from 'constructs';
import { AddonApplicationSet } from '../gitops/addon-application-set';
import type { AddonProps } from './addon-props';
import { GATEWAY_API_CRDS } from './charts';

/**
 * Gateway API standard-channel CRDs (v1.6.1, the version agentgateway 1.4.1 pins). Upstream
 * ships no chart, so Argo CD reads the tagged `config/crd/standard` folder straight from the
 * upstream repository: the whole channel (GRPCRoute, TLSRoute, ListenerSet… not only the four
 * CRDs vendored in schemas/crds for validation), at the same tag those were vendored from,
 * and without copying 650 KB of CRDs into every `dist/<env>`. Applied server-side (the
 * HTTPRoute CRD alone is 429 KB) and kept when the add-on is disabled.
 */
export class GatewayApiAddon extends Construct {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    new AddonApplicationSet(this, 'Crds', {
      addon: 'gateway-api',
      name: 'gateway-api-crds',
      environment: props.environment,
      namespace: 'default',
      syncWave: 'crds',
      project: props.project ?? 'platform',
      source: { type: 'git', ...GATEWAY_API_CRDS },
      preserveResourcesOnDeletion: true,
    });
  }
}
