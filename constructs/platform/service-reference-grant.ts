import { Construct } from 'constructs';
import { ReferenceGrantV1Beta1 } from '../../imports/gateway-api-referencegrant-gateway.networking.k8s.io';

export interface ServiceReferenceGrantProps {
  readonly name: string;
  /** Namespace of the Service, where the grant must live. */
  readonly namespace: string;
  readonly serviceName: string;
  /**
   * Group and kind of the referenced object, for a backend that is not a Service (e.g.
   * agentgateway.dev AgentgatewayBackend).
   *
   * @default - the core group's Service
   */
  readonly target?: { readonly group: string; readonly kind: string };
  /** The kind, and its namespace, allowed to reference the Service. */
  readonly fromGroup: string;
  readonly fromKind: string;
  readonly fromNamespace: string;
}

/**
 * Lets objects of one kind in one namespace reference one Service across namespaces. Gateway
 * API (and agentgateway for its policies) refuses a cross-namespace backendRef without it.
 * Written at the CRD's storage version, v1beta1 (schemas/crds/SOURCES.md).
 */
export class ServiceReferenceGrant extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceReferenceGrantProps) {
    super(scope, id);
    if (props.fromNamespace === props.namespace) {
      throw new Error(
        `ServiceReferenceGrant ${props.name}: fromNamespace is the Service's own namespace "${props.namespace}"; same-namespace references need no grant`,
      );
    }
    this.name = props.name;
    new ReferenceGrantV1Beta1(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        from: [{ group: props.fromGroup, kind: props.fromKind, namespace: props.fromNamespace }],
        to: [
          {
            group: props.target?.group ?? '',
            kind: props.target?.kind ?? 'Service',
            name: props.serviceName,
          },
        ],
      },
    });
  }
}
