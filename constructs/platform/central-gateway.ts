import { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from '../../imports/gateway-api-gateway-gateway.networking.k8s.io';

/**
 * How an HTTPRoute (or a generated one) names one listener of the central Gateway: the one
 * parentRef shape every route of the platform uses.
 */
export function centralGatewayParentRef(gateway: {
  readonly namespace: string;
  readonly name: string;
  readonly listener: string;
}) {
  return {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    namespace: gateway.namespace,
    name: gateway.name,
    sectionName: gateway.listener,
  };
}

export interface PlatformListener {
  readonly name: string;
  /** The wildcard of the platform domain, e.g. `*.dev.example.com`. */
  readonly hostname: string;
  /** Secret holding the certificate of the UI hostnames (written by cert-manager). */
  readonly tlsSecretName: string;
}

export interface CentralGatewayProps {
  readonly name: string;
  readonly namespace: string;
  /** Hostname of the public listener, e.g. `agents.dev.example.com`. */
  readonly publicHost: string;
  /** Name of the public (TLS) listener tenant routes attach to. */
  readonly publicListener: string;
  /** Name of the in-cluster (plain HTTP inside the mesh) listener. */
  readonly internalListener: string;
  /**
   * Port of the public listener (and of the platform UI listener, told apart by hostname). The
   * agentgateway deployer makes it the Service port and the proxy pods' port alike, so the
   * NetworkPolicies that admit callers name the same number.
   *
   * @default 443
   */
  readonly publicPort?: number;
  /**
   * Port of the in-cluster listener.
   *
   * @default 80
   */
  readonly internalPort?: number;
  /** Secret holding the public listener's certificate (written by cert-manager). */
  readonly tlsSecretName: string;
  /**
   * The listener the platform UIs (Argo CD, Keycloak, …) attach to.
   *
   * @default - none: no UI is published (every UI add-on is disabled)
   */
  readonly platformListener?: PlatformListener;
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
  /**
   * AgentgatewayParameters (same namespace) the controller deploys this Gateway's data plane
   * with: placement, workload kind, Service (GatewayProxyParameters).
   *
   * @default - the controller's defaults: a Deployment with no placement, a LoadBalancer Service
   */
  readonly parametersRef?: string;
}

/**
 * Ports agentgateway 1.4.1 refuses as listener ports: the proxy's metrics, readiness and admin
 * ports (controller/pkg/deployer/values_helpers.go, agentGatewayReservedPorts).
 */
export const PROXY_RESERVED_PORTS: readonly number[] = [15020, 15021, 15000];

/**
 * The central agentgateway every tenant route attaches to: HTTPS (443 by default) for the
 * public hostname, HTTP (80) for in-cluster callers; both admit routes only from namespaces the
 * platform labelled for it (tenants and the registry), never from an add-on's namespace.
 * A third listener, HTTPS on the public port for the platform UIs' hostnames, admits routes from the
 * gateway's own namespace only.
 */
export class CentralGateway extends Construct {
  constructor(scope: Construct, id: string, props: CentralGatewayProps) {
    super(scope, id);
    const platform = props.platformListener;
    const names = [
      props.publicListener,
      props.internalListener,
      ...(platform ? [platform.name] : []),
    ];
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) {
      throw new Error(
        `CentralGateway: listener name "${repeated[0]}" is used twice (publicListener, internalListener, platformListener.name); give each listener a distinct name`,
      );
    }
    if (platform && !platform.hostname.startsWith('*.')) {
      throw new Error(
        `CentralGateway: platformListener.hostname must be the wildcard of the platform domain, e.g. "*.dev.example.com", got "${platform.hostname}"`,
      );
    }
    const publicPort = props.publicPort ?? 443;
    const internalPort = props.internalPort ?? 80;
    for (const [prop, port] of [
      ['publicPort', publicPort],
      ['internalPort', internalPort],
    ] as const) {
      if (
        !Number.isInteger(port) ||
        port < 1 ||
        port > 65535 ||
        PROXY_RESERVED_PORTS.includes(port)
      ) {
        throw new Error(
          `CentralGateway: ${prop} must be a TCP port from 1 to 65535 other than ${PROXY_RESERVED_PORTS.join(', ')} (the proxy's own metrics, readiness and admin ports), got ${port}`,
        );
      }
    }
    if (publicPort === internalPort) {
      throw new Error(
        `CentralGateway: publicPort and internalPort are both ${publicPort}; one listener is HTTPS and the other HTTP, so give them distinct ports`,
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
        ...(props.parametersRef
          ? {
              infrastructure: {
                parametersRef: {
                  group: 'agentgateway.dev',
                  kind: 'AgentgatewayParameters',
                  name: props.parametersRef,
                },
              },
            }
          : {}),
        listeners: [
          {
            name: props.publicListener,
            protocol: 'HTTPS',
            port: publicPort,
            hostname: props.publicHost,
            tls: {
              mode: GatewaySpecListenersTlsMode.TERMINATE,
              certificateRefs: [{ kind: 'Secret', name: props.tlsSecretName }],
            },
            allowedRoutes,
          },
          { name: props.internalListener, protocol: 'HTTP', port: internalPort, allowedRoutes },
          ...(platform
            ? [
                {
                  // Same port as the public listener, told apart by hostname (the public host
                  // is the more specific match). Routes from the gateway's own namespace only:
                  // a tenant can never put a route on a platform hostname.
                  name: platform.name,
                  protocol: 'HTTPS',
                  port: publicPort,
                  hostname: platform.hostname,
                  tls: {
                    mode: GatewaySpecListenersTlsMode.TERMINATE,
                    certificateRefs: [{ kind: 'Secret', name: platform.tlsSecretName }],
                  },
                  allowedRoutes: {
                    namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME },
                  },
                },
              ]
            : []),
        ],
      },
    });
  }
}
