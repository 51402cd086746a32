import { Construct } from 'constructs';
import {
  AgentgatewayPolicy,
  AgentgatewayPolicySpecTrafficExtAuthFailureMode,
} from '../../imports/agentgateway-policy-agentgateway.dev';

export interface ApiKeyAuthPolicyProps {
  readonly namespace: string;
  /**
   * Labels selecting the HTTPRoutes (in `namespace`) to protect. A selector rather than
   * names, so routes generated later (the auto-expose convention) carry the label and are
   * covered without anyone listing them.
   */
  readonly routeLabels: Readonly<Record<string, string>>;
  /** The authorization Service: the agent registry. */
  readonly authzNamespace: string;
  readonly authzService: string;
  readonly authzPort: number;
  /** Path prefix of the check; the gateway appends the original request path. */
  readonly authzPathPrefix: string;
  /** Client headers sent to the check; only these are sent (credentials: authorization, x-api-key). */
  readonly requestHeaders: readonly string[];
  /** Headers of an allow decision copied onto the request to the tenant's workload. */
  readonly responseHeaders: readonly string[];
  /**
   * Header the gateway sets on the check to the client's address (CEL `source.address`),
   * so the registry can limit failed attempts per source. Set by the gateway, never copied
   * from the client (`addRequestHeaders` overwrites).
   *
   * @default - no source header; the registry then counts every failure in one bucket
   */
  readonly sourceHeader?: string;
  /**
   * Policy name.
   *
   * @default 'api-key-auth'
   */
  readonly name?: string;
}

/**
 * Every published route of a tenant asks the agent registry first: agentgateway's HTTP
 * ext-authz (AgentgatewayPolicy `traffic.extAuth.http`, v1.4.1) sends the request's method,
 * the listed headers and `<prefix><original path>` to the registry, which checks the API key
 * (or an owner's OIDC token), its scopes and expiry, and records usage. Anything but a 200
 * is a denial; the registry being unreachable is a denial too (FailClosed).
 *
 * agentgateway runs ext-authz before the route's URL rewrite (crates/agentgateway/src/proxy/
 * httpproxy.rs, v1.4.1), so `request.path` is the public path the registry's catalog knows.
 * Only the headers in `allowedRequestHeaders` are sent: listing any replaces the default
 * (`Authorization` alone), so Authorization is listed explicitly. The Service lives in
 * another namespace; the registry grants that reference with a ReferenceGrant per tenant.
 */
export class ApiKeyAuthPolicy extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ApiKeyAuthPolicyProps) {
    super(scope, id);
    this.name = props.name ?? 'api-key-auth';
    if (Object.keys(props.routeLabels).length === 0) {
      throw new Error(
        `ApiKeyAuthPolicy ${props.namespace}/${this.name}: routeLabels is empty, which would select no route; pass the label published routes carry (LABELS.routeAuth)`,
      );
    }
    if (!props.authzPathPrefix.startsWith('/') || props.authzPathPrefix.endsWith('/')) {
      throw new Error(
        `ApiKeyAuthPolicy ${props.namespace}/${this.name}: authzPathPrefix must start with "/" and not end with one, got "${props.authzPathPrefix}"`,
      );
    }
    if (props.requestHeaders.length === 0) {
      throw new Error(
        `ApiKeyAuthPolicy ${props.namespace}/${this.name}: requestHeaders is empty; the registry needs at least the credential header (authorization)`,
      );
    }
    new AgentgatewayPolicy(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        targetSelectors: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'HTTPRoute',
            matchLabels: { ...props.routeLabels },
          },
        ],
        traffic: {
          extAuth: {
            backendRef: {
              group: '',
              kind: 'Service',
              namespace: props.authzNamespace,
              name: props.authzService,
              port: props.authzPort,
            },
            failureMode: AgentgatewayPolicySpecTrafficExtAuthFailureMode.FAIL_CLOSED,
            http: {
              path: `${JSON.stringify(props.authzPathPrefix)} + request.path`,
              allowedRequestHeaders: [...new Set(props.requestHeaders)],
              allowedResponseHeaders: [...new Set(props.responseHeaders)],
              ...(props.sourceHeader
                ? { addRequestHeaders: { [props.sourceHeader]: 'source.address' } }
                : {}),
            },
          },
        },
      },
    });
  }
}
