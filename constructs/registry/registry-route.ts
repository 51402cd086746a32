import { Construct } from 'constructs';
import { centralGatewayParentRef } from '../platform/central-gateway';
import {
  HttpRoute,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway-api-httproute-gateway.networking.k8s.io';

/** Registry paths published on the gateway; probes, metrics and ext-authz stay in-cluster. */
export const PUBLIC_PREFIXES = ['/v1', '/v0.1', '/a2a'] as const;

export interface RegistryRouteProps {
  readonly namespace: string;
  readonly name: string;
  /** Path prefix on the gateway, stripped before the request reaches the registry. */
  readonly pathPrefix: string;
  readonly gatewayNamespace: string;
  readonly gatewayName: string;
  readonly listener: string;
  readonly serviceName: string;
  readonly servicePort: number;
}

/** HTTPRoute on the central gateway: `<prefix>/v1…`, `<prefix>/v0.1…`, `<prefix>/a2a…`, the OpenAPI doc. */
export class RegistryRoute extends Construct {
  constructor(scope: Construct, id: string, props: RegistryRouteProps) {
    super(scope, id);
    if (!/^\/[a-z0-9-]+$/.test(props.pathPrefix)) {
      throw new Error(
        `RegistryRoute ${props.name}: pathPrefix must be one segment such as "/registry", got "${props.pathPrefix}"`,
      );
    }
    const backendRefs = [{ kind: 'Service', name: props.serviceName, port: props.servicePort }];
    const rewrite = (type: HttpRouteSpecRulesFiltersUrlRewritePathType, path: string) => [
      {
        type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
        urlRewrite: {
          path:
            type === HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_FULL_PATH
              ? { type, replaceFullPath: path }
              : { type, replacePrefixMatch: path },
        },
      },
    ];
    new HttpRoute(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        parentRefs: [
          centralGatewayParentRef({
            namespace: props.gatewayNamespace,
            name: props.gatewayName,
            listener: props.listener,
          }),
        ],
        rules: [
          ...PUBLIC_PREFIXES.map((p) => ({
            matches: [
              {
                path: {
                  type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
                  value: `${props.pathPrefix}${p}`,
                },
              },
            ],
            filters: rewrite(HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, p),
            backendRefs,
          })),
          {
            matches: [
              {
                path: {
                  type: HttpRouteSpecRulesMatchesPathType.EXACT,
                  value: `${props.pathPrefix}/openapi.json`,
                },
              },
            ],
            filters: rewrite(
              HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_FULL_PATH,
              '/openapi.json',
            ),
            backendRefs,
          },
        ],
      },
    });
  }
}
