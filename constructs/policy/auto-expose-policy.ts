import { Construct } from 'constructs';
import { centralGatewayParentRef } from '../platform/central-gateway';
import { GeneratingPolicyV1Beta1 } from '../../imports/kyverno-generatingpolicy-policies.kyverno.io';
import {
  ANNOTATIONS,
  KAGENT_USER_HEADER,
  LABELS,
  ROUTE_AUTH,
  ROUTE_PREFIX,
} from '../../src/model/conventions';
import { CREDENTIAL_HEADERS } from '@agentic-platform/agent-registry/constants';
import {
  APP_PROTOCOL,
  EXPOSED_ROUTE_PREFIX,
  KAGENT_AGENT,
  MCP_SERVICE_PATH,
} from '../../src/policy/conventions';
import { CelExpression, celLiteral, celMapValue, celObject } from './private/cel';

export interface AutoExposePolicyProps {
  /**
   * Policy name.
   *
   * @default 'auto-expose'
   */
  readonly name?: string;
  /** Namespace and name of the central Gateway the routes attach to. */
  readonly gatewayNamespace: string;
  readonly gatewayName: string;
  /** The Gateway's public listener (`sectionName` of the generated routes). */
  readonly listener: string;
}

/**
 * Publishes a tenant's Service on the central gateway when it is annotated
 * `platform.agentic.io/expose: "true"`: an HTTPRoute `expose-<a2a|mcp>-<service>` in the
 * Service's namespace, on the public listener, at `/a2a/{ns}/{name}` or `/mcp/{ns}/{name}`.
 * `platform.agentic.io/expose-alias` replaces `{ns}`, but only with a segment the tenant owns
 * (its namespace, or one listed in the namespace's `platform.agentic.io/route-aliases`);
 * a Service asking for another tenant's segment gets no route.
 *
 * Which prefix is decided from what the controllers put on their Services, so nobody has to
 * say it twice: a kagent agent Service carries `app: kagent` and `kagent: <agent>` (and
 * copies the Agent's annotations, so annotating the Agent is enough); a kmcp MCPServer
 * Service has no labels but an MCP `appProtocol` on its port. A Service with neither is
 * not exposed. See src/policy/conventions.ts for the upstream sources.
 *
 * Generated routes carry `platform.agentic.io/route-auth: api-key`, so the tenant's ext-authz
 * policy covers them; the registry only authorizes what its catalog (the tenant specs) lists,
 * so a Service exposed this way but not declared in the spec gets 403 `unknown_route` until it
 * is. That is deliberate: nothing is published unauthenticated.
 *
 * A GeneratingPolicy (policies.kyverno.io) with synchronization on: the route follows the
 * Service and goes away with it. The route names differ from the tenant bundle's
 * (`a2a-<agent>`), so a route rendered from the tenant spec and one generated here never
 * fight over one object.
 */
export class AutoExposePolicy extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AutoExposePolicyProps) {
    super(scope, id);
    this.name = props.name ?? 'auto-expose';
    const mcpProtocols = celLiteral([APP_PROTOCOL.mcp, APP_PROTOCOL.mcpLegacy]);
    const isMcpPort = `has(p.appProtocol) && p.appProtocol in ${mcpProtocols}`;
    const a2aPortName = celLiteral(KAGENT_AGENT.servicePort);
    const isA2aPort = `has(p.name) && p.name == ${a2aPortName}`;
    const cel = (expression: string) => new CelExpression(expression);

    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: cel(
          `${celLiteral(`${EXPOSED_ROUTE_PREFIX}-`)} + variables.kind + "-" + object.metadata.name`,
        ),
        namespace: cel('object.metadata.namespace'),
        // Selected by the tenant's ext-authz policy (constructs/tenant/api-key-auth-policy.ts):
        // a generated route is as protected as one rendered from the tenant spec.
        labels: { [LABELS.routeAuth]: ROUTE_AUTH.apiKey },
      },
      spec: {
        parentRefs: [
          centralGatewayParentRef({
            namespace: props.gatewayNamespace,
            name: props.gatewayName,
            listener: props.listener,
          }),
        ],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: cel('variables.path') } }],
            filters: [
              {
                type: 'URLRewrite',
                urlRewrite: {
                  path: {
                    type: 'ReplacePrefixMatch',
                    replacePrefixMatch: cel('variables.rewrite'),
                  },
                },
              },
              {
                type: 'RequestHeaderModifier',
                // As on declared routes: the caller's credentials stop here, and so does an
                // x-user-id, which kagent's agent runtime would take as the user it acts for.
                requestHeaderModifier: { remove: [...CREDENTIAL_HEADERS, KAGENT_USER_HEADER] },
              },
            ],
            backendRefs: [
              { kind: 'Service', name: cel('object.metadata.name'), port: cel('variables.port') },
            ],
          },
        ],
      },
    };

    new GeneratingPolicyV1Beta1(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        // Cheap filters stay in the webhook match: tenant namespaces, annotated Services.
        matchConstraints: {
          namespaceSelector: { matchExpressions: [{ key: LABELS.tenant, operator: 'Exists' }] },
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['services'],
            },
          ],
        },
        matchConditions: [
          {
            name: 'annotated-expose',
            expression: `${celMapValue('object.metadata.annotations', ANNOTATIONS.expose)} == "true"`,
          },
        ],
        // The rest decides inside the generator, which generates nothing when the Service is
        // neither kind or asks for a segment its tenant does not own. (A condition here rather
        // than in matchConditions is also what the Kyverno CLI can test: it reports a
        // GeneratingPolicy that does not match as "Not found", never as skip.)
        variables: [
          {
            name: 'labels',
            expression: 'has(object.metadata.labels) ? object.metadata.labels : {}',
          },
          {
            name: 'alias',
            expression: celMapValue('object.metadata.annotations', ANNOTATIONS.exposeAlias),
          },
          {
            name: 'ownedAliases',
            expression: `${celMapValue('namespaceObject.metadata.annotations', ANNOTATIONS.routeAliases)}.split(",")`,
          },
          {
            name: 'kind',
            expression:
              `variables.labels[?${celLiteral(KAGENT_AGENT.appLabel)}].orValue("") == ${celLiteral(KAGENT_AGENT.appValue)} && ` +
              `variables.labels[?${celLiteral(KAGENT_AGENT.agentLabel)}].orValue("") != "" ? "a2a" : ` +
              `has(object.spec.ports) && object.spec.ports.exists(p, ${isMcpPort}) ? "mcp" : ""`,
          },
          {
            name: 'segment',
            expression: 'variables.alias != "" ? variables.alias : object.metadata.namespace',
          },
          {
            name: 'exposed',
            expression:
              'variables.kind != "" && (variables.segment == object.metadata.namespace || variables.segment in variables.ownedAliases)',
          },
          {
            name: 'path',
            expression:
              `(variables.kind == "a2a" ? ${celLiteral(ROUTE_PREFIX.a2a)} : ${celLiteral(ROUTE_PREFIX.mcp)})` +
              ' + "/" + variables.segment + "/" + object.metadata.name',
          },
          {
            name: 'rewrite',
            expression: `variables.kind == "a2a" ? "/" : ${celLiteral(MCP_SERVICE_PATH)}`,
          },
          {
            name: 'port',
            // kagent's A2A port by name (its only port), the MCP port by its protocol.
            expression:
              `variables.kind == "a2a" && object.spec.ports.exists(p, ${isA2aPort}) ? object.spec.ports.filter(p, ${isA2aPort})[0].port : ` +
              `variables.kind == "mcp" ? object.spec.ports.filter(p, ${isMcpPort})[0].port : object.spec.ports[0].port`,
          },
        ],
        evaluation: { synchronize: { enabled: true } },
        generate: [
          {
            expression: `generator.Apply(object.metadata.namespace, variables.exposed ? [${celObject(route)}] : [])`,
          },
        ],
      },
    });
  }
}
