import { Construct } from 'constructs';
import { centralGatewayParentRef } from './central-gateway';
import { ServiceReferenceGrant } from './service-reference-grant';
import {
  HttpRoute,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway-api-httproute-gateway.networking.k8s.io';

export interface PlatformUiRouteProps {
  /** Route name, in the gateway's namespace: `ui-<app>`. */
  readonly name: string;
  /** Public hostname of the UI, e.g. `argocd.dev.example.com`. */
  readonly hostname: string;
  /** Namespace and name of the central Gateway, and its platform listener. */
  readonly gatewayNamespace: string;
  readonly gatewayName: string;
  readonly listener: string;
  /** The UI's Service, in the add-on's namespace. */
  readonly serviceNamespace: string;
  readonly serviceName: string;
  readonly servicePort: number;
  /**
   * Path prefixes published; anything else on the hostname gets no route (404 at the gateway).
   *
   * @default ['/'] - the whole UI
   */
  readonly pathPrefixes?: readonly string[];
}

/**
 * A platform UI (Argo CD, Keycloak, Langfuse, Grafana) on the central gateway's platform
 * listener. The route lives in the gateway's namespace, because that listener admits routes
 * from its own namespace only (no tenant can attach a route to a platform hostname), and
 * reaches the add-on's Service through a ReferenceGrant the construct writes beside the
 * Service: Gateway API refuses a cross-namespace backendRef without one.
 */
export class PlatformUiRoute extends Construct {
  constructor(scope: Construct, id: string, props: PlatformUiRouteProps) {
    super(scope, id);
    const prefixes = props.pathPrefixes ?? ['/'];
    if (prefixes.length === 0) {
      throw new Error(
        `PlatformUiRoute ${props.name}: pathPrefixes is empty; omit it to publish the whole UI or list the paths to publish`,
      );
    }
    const bad = prefixes.filter((p) => !p.startsWith('/'));
    if (bad.length > 0) {
      throw new Error(
        `PlatformUiRoute ${props.name}: pathPrefixes ${JSON.stringify(bad)} must start with "/"`,
      );
    }
    if (props.serviceNamespace === props.gatewayNamespace) {
      throw new Error(
        `PlatformUiRoute ${props.name}: the Service is in the gateway's namespace "${props.gatewayNamespace}"; platform UIs run in their add-on's namespace`,
      );
    }
    new HttpRoute(this, 'Route', {
      metadata: { name: props.name, namespace: props.gatewayNamespace },
      spec: {
        hostnames: [props.hostname],
        parentRefs: [
          centralGatewayParentRef({
            namespace: props.gatewayNamespace,
            name: props.gatewayName,
            listener: props.listener,
          }),
        ],
        rules: [
          {
            matches: prefixes.map((value) => ({
              path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value },
            })),
            backendRefs: [
              {
                kind: 'Service',
                namespace: props.serviceNamespace,
                name: props.serviceName,
                port: props.servicePort,
              },
            ],
          },
        ],
      },
    });
    new ServiceReferenceGrant(this, 'Grant', {
      name: `gateway-${props.name}`,
      namespace: props.serviceNamespace,
      serviceName: props.serviceName,
      fromGroup: 'gateway.networking.k8s.io',
      fromKind: 'HTTPRoute',
      fromNamespace: props.gatewayNamespace,
    });
  }
}
