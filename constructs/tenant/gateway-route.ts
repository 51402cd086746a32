import { Construct } from 'constructs';
import { centralGatewayParentRef } from '../platform/central-gateway';
import {
  HttpRoute,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway-api-httproute-gateway.networking.k8s.io';

/**
 * What a route forwards to: a Service port, or an agentgateway backend (LLM). A backend in
 * another namespace (a platform-key backend in the gateway's) needs a ReferenceGrant there.
 */
export type RouteTarget =
  | { readonly kind: 'Service'; readonly name: string; readonly port: number }
  | { readonly kind: 'AgentgatewayBackend'; readonly name: string; readonly namespace?: string };

export interface GatewayRouteProps {
  readonly namespace: string;
  readonly name: string;
  /** Path prefix on the gateway, e.g. `/a2a/acme/triage`. */
  readonly pathPrefix: string;
  /** Namespace and name of the central Gateway. */
  readonly gatewayNamespace: string;
  readonly gatewayName: string;
  /** Listeners of the central Gateway the route attaches to (in-cluster, public, or both). */
  readonly listeners: readonly string[];
  readonly target: RouteTarget;
  /**
   * Path the target sees instead of the prefix.
   *
   * @default '/' - the prefix is stripped
   */
  readonly rewritePrefix?: string;
  /**
   * Labels on the route besides the tenant's (the chart's), e.g. LABELS.routeAuth.
   *
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Request headers the gateway removes before forwarding (after authentication ran), so
   * credentials meant for the platform never reach the tenant's workload.
   *
   * @default - none: headers pass through unchanged
   */
  readonly removeRequestHeaders?: readonly string[];
}

/** An HTTPRoute on the central gateway for one agent, MCP server or model of a tenant. */
export class GatewayRoute extends Construct {
  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    if (!props.pathPrefix.startsWith('/') || props.pathPrefix.endsWith('/')) {
      throw new Error(
        `GatewayRoute ${props.name}: pathPrefix must start with "/" and not end with one, got "${props.pathPrefix}"`,
      );
    }
    if (props.listeners.length === 0) {
      throw new Error(
        `GatewayRoute ${props.name}: listeners is empty; attach the route to at least one Gateway listener`,
      );
    }
    const target = props.target;
    const removed = [...new Set(props.removeRequestHeaders ?? [])];
    new HttpRoute(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: {
        parentRefs: props.listeners.map((listener) =>
          centralGatewayParentRef({
            namespace: props.gatewayNamespace,
            name: props.gatewayName,
            listener,
          }),
        ),
        rules: [
          {
            matches: [
              {
                path: {
                  type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
                  value: props.pathPrefix,
                },
              },
            ],
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
                urlRewrite: {
                  path: {
                    type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH,
                    replacePrefixMatch: props.rewritePrefix ?? '/',
                  },
                },
              },
              ...(removed.length > 0
                ? [
                    {
                      type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER,
                      requestHeaderModifier: { remove: removed },
                    },
                  ]
                : []),
            ],
            backendRefs: [
              target.kind === 'Service'
                ? { kind: 'Service', name: target.name, port: target.port }
                : {
                    group: 'agentgateway.dev',
                    kind: 'AgentgatewayBackend',
                    name: target.name,
                    // Set only across namespaces, so a same-namespace route keeps its form.
                    ...(target.namespace && target.namespace !== props.namespace
                      ? { namespace: target.namespace }
                      : {}),
                  },
            ],
          },
        ],
      },
    });
  }
}
