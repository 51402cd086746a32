import { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from '../../imports/gateway-api-gateway-gateway.networking.k8s.io';

export interface CentralGatewayProps {
  readonly name: string;
  readonly namespace: string;
  /** Hostname of the public listener, e.g. `agents.dev.example.com`. */
  readonly publicHost: string;
  /** Name of the public (TLS) listener tenant routes attach to. */
  readonly publicListener: string;
  /** Name of the in-cluster (plain HTTP inside the mesh) listener. */
  readonly internalListener: string;
  /** Secret holding the public listener's certificate (written by cert-manager). */
  readonly tlsSecretName: string;
  /**
   * Label (value `"true"`) a namespace needs for its routes to attach
   * (`platform.agentic.io/gateway-routes`): tenant namespaces and the registry's.
   */
  readonly routesLabel: string;
  /**
   * GatewayClass. The pinned agentgateway controller (v1.4.1) creates and owns this class
   * (controller `agentgateway.dev/agentgateway`), so it is referenced, not defined.
   *
   * @default 'agentgateway'
   */
  readonly gatewayClassName?: string;
}

/**
 * The central agentgateway every tenant route attaches to: HTTPS on 443 for the public
 * hostname, HTTP on 80 for in-cluster callers; both admit routes only from namespaces the
 * platform labelled for it (tenants and the registry), never from an add-on's namespace.
 */
export class CentralGateway extends Construct {
  constructor(scope: Construct, id: string, props: CentralGatewayProps) {
    super(scope, id);
    if (props.publicListener === props.internalListener) {
      throw new Error(
        `CentralGateway: publicListener and internalListener are both "${props.publicListener}"; give the two listeners distinct names`,
      );
    }
    const allowedRoutes = {
      namespaces: {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchLabels: { [props.routesLabel]: 'true' } },
      },
    };
    new Gateway(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        gatewayClassName: props.gatewayClassName ?? 'agentgateway',
        listeners: [
          {
            name: props.publicListener,
            protocol: 'HTTPS',
            port: 443,
            hostname: props.publicHost,
            tls: {
              mode: GatewaySpecListenersTlsMode.TERMINATE,
              certificateRefs: [{ kind: 'Secret', name: props.tlsSecretName }],
            },
            allowedRoutes,
          },
          { name: props.internalListener, protocol: 'HTTP', port: 80, allowedRoutes },
        ],
      },
    });
  }
}
