import { Construct } from 'constructs';
import { ReferenceGrantV1Beta1 } from '../../imports/gateway-api-referencegrant-gateway.networking.k8s.io';

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
 *
 * Written at the CRD's storage version, v1beta1 (schemas/crds/SOURCES.md).
 */
export class RegistryAuthzGrant extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RegistryAuthzGrantProps) {
    super(scope, id);
    this.name = `ext-authz-${props.tenantNamespace}`;
    new ReferenceGrantV1Beta1(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        from: [
          {
            group: 'agentgateway.dev',
            kind: 'AgentgatewayPolicy',
            namespace: props.tenantNamespace,
          },
        ],
        to: [{ group: '', kind: 'Service', name: props.serviceName }],
      },
    });
  }
}
