import { Construct } from 'constructs';
import { Gateway } from '../../imports/gateway-api-gateway-gateway.networking.k8s.io';
import {
  AuthorizationPolicy,
  AuthorizationPolicySpecAction,
} from '../../imports/istio-security.istio.io';
import { ISTIO } from '../../src/model/conventions';

export interface TenantWaypointProps {
  readonly namespace: string;
  readonly name: string;
  /** Namespaces (besides the tenant's own) whose traffic the waypoint admits. */
  readonly allowedNamespaces: readonly string[];
  /**
   * Namespaces the waypoint admits on the listed ports only.
   *
   * @default - none
   */
  readonly portLimitedCallers?: readonly {
    readonly namespace: string;
    readonly ports: readonly number[];
  }[];
  /**
   * GatewayClass of the waypoint.
   *
   * @default 'istio-waypoint' - Istio's Envoy waypoint; the agentgateway waypoint class
   * exists only from Istio 1.31.
   */
  readonly gatewayClassName?: string;
}

/**
 * The tenant's own waypoint (L7 proxy of the ambient mesh) and the policy attached to it.
 * Namespace-wide AuthorizationPolicies do not apply to waypoints, so the waypoint gets its
 * own, bound by targetRefs: it admits only the tenant namespace and the listed ones.
 */
export class TenantWaypoint extends Construct {
  constructor(scope: Construct, id: string, props: TenantWaypointProps) {
    super(scope, id);
    new Gateway(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { [ISTIO.waypointFor]: 'service' },
      },
      spec: {
        gatewayClassName: props.gatewayClassName ?? ISTIO.waypointClass,
        listeners: [{ name: 'mesh', port: ISTIO.hbonePort, protocol: 'HBONE' }],
      },
    });
    new AuthorizationPolicy(this, 'Policy', {
      metadata: { name: `${props.name}-access`, namespace: props.namespace },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.name }],
        action: AuthorizationPolicySpecAction.ALLOW,
        rules: [
          { from: [{ source: { namespaces: [props.namespace, ...props.allowedNamespaces] } }] },
          ...(props.portLimitedCallers ?? []).map((c) => ({
            from: [{ source: { namespaces: [c.namespace] } }],
            to: [{ operation: { ports: c.ports.map(String) } }],
          })),
        ],
      },
    });
  }
}
