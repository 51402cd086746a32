import { Construct } from 'constructs';
import { ServiceReferenceGrant } from '../platform/service-reference-grant';

export interface LlmBackendGrantProps {
  /** Namespace of the backend, where the grant must live (the gateway's). */
  readonly namespace: string;
  /** The one AgentgatewayBackend the grant opens. */
  readonly backendName: string;
  /** The tenant namespace whose HTTPRoutes may route to that backend. */
  readonly tenantNamespace: string;
}

/**
 * Lets one tenant's HTTPRoutes route to one platform-key AgentgatewayBackend in the gateway
 * namespace, and to nothing else there. agentgateway resolves a cross-namespace route
 * backendRef to an AgentgatewayBackend only through a ReferenceGrant naming it
 * (controller/pkg/agentgateway/translator: AgentgatewayBackend is a ReferenceGrant `to` kind;
 * testdata/routes/httproute-cross-namespace-backends.yaml shows the route refused with
 * RefNotPermitted without one). One grant per backend, named after it, so `to` holds exactly
 * one name and another tenant's backend stays unreachable. Written at the CRD's storage
 * version, v1beta1 (schemas/crds/SOURCES.md).
 */
export class LlmBackendGrant extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: LlmBackendGrantProps) {
    super(scope, id);
    if (props.tenantNamespace === props.namespace) {
      throw new Error(
        `LlmBackendGrant ${props.backendName}: tenantNamespace is the backend's own namespace "${props.namespace}"; same-namespace routes need no grant`,
      );
    }
    this.name = props.backendName;
    new ServiceReferenceGrant(this, 'Grant', {
      name: props.backendName,
      namespace: props.namespace,
      serviceName: props.backendName,
      target: { group: 'agentgateway.dev', kind: 'AgentgatewayBackend' },
      fromGroup: 'gateway.networking.k8s.io',
      fromKind: 'HTTPRoute',
      fromNamespace: props.tenantNamespace,
    });
  }
}
