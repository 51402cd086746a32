import { Construct } from 'constructs';
import { ServiceReferenceGrant } from '../platform/service-reference-grant';

export interface RegistryAuthzGrantProps {
  /** The registry's namespace, where the grant lives. */
  readonly namespace: string;
  /** The registry Service the tenant's ext-authz policy points at. */
  readonly serviceName: string;
  /** The tenant namespace whose AgentgatewayPolicies may reference the Service. */
  readonly tenantNamespace: string;
}

/**
 * Lets one tenant's AgentgatewayPolicies (the ext-authz `api-key-auth` policy) reference the
 * registry Service across namespaces. agentgateway v1.4.1 refuses a cross-namespace policy
 * backendRef without a ReferenceGrant from kind AgentgatewayPolicy
 * (controller/pkg/agentgateway/plugins/traffic_plugin.go, checkBackendRefGrant), and an
 * unauthenticated route is what that failure would leave. One grant per tenant, named after
 * it, so adding a tenant adds one file and `from` never approaches its 16-item limit.
 */
export class RegistryAuthzGrant extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RegistryAuthzGrantProps) {
    super(scope, id);
    this.name = `ext-authz-${props.tenantNamespace}`;
    new ServiceReferenceGrant(this, 'Grant', {
      name: this.name,
      namespace: props.namespace,
      serviceName: props.serviceName,
      fromGroup: 'agentgateway.dev',
      fromKind: 'AgentgatewayPolicy',
      fromNamespace: props.tenantNamespace,
    });
  }
}
