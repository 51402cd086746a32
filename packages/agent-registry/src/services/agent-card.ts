import type { Catalog, CatalogAgent, CatalogTenant } from '../catalog/schema.js';
import { oidcDiscoveryUrl } from '../catalog/identity.js';

/**
 * The A2A protocol the agents behind the gateway speak. kagent's runtime serves A2A
 * JSON-RPC over HTTP; the card format below is v1.0 (ProtoJSON names of
 * `lf.a2a.v1.AgentCard`), and `protocolVersion` says which protocol the interface speaks.
 */
export const AGENT_PROTOCOL = { binding: 'JSONRPC', version: '0.3' } as const;

/** Names of the security schemes the cards declare. */
export const SECURITY_SCHEMES = { apiKey: 'tenantApiKey', oidc: 'platformOidc' } as const;

/**
 * The Agent Card of a published agent. Callers authenticate at the gateway either with a
 * tenant API key or, for the tenant's owners, with a token from the platform Keycloak; the
 * card says so with one security requirement for each.
 */
export function agentCard(catalog: Catalog, tenant: CatalogTenant, agent: CatalogAgent) {
  if (!agent.route) throw new Error(`agent ${agent.tenant}/${agent.name} is not published`);
  // A2A requires at least one skill; an agent whose spec lists none offers its description.
  const skills =
    agent.skills.length > 0
      ? agent.skills.map((s) => ({
          id: s.id,
          name: s.name,
          description: s.description,
          tags: [...s.tags],
          ...(s.examples.length > 0 ? { examples: [...s.examples] } : {}),
        }))
      : [
          {
            id: agent.name,
            name: agent.name,
            description: agent.description,
            tags: [agent.tenant],
          },
        ];
  return {
    name: agent.name,
    description: agent.description,
    supportedInterfaces: [
      {
        url: agent.route.url,
        protocolBinding: AGENT_PROTOCOL.binding,
        protocolVersion: AGENT_PROTOCOL.version,
      },
    ],
    provider: { organization: tenant.displayName, url: catalog.gateway.baseUrl },
    version: agent.version,
    capabilities: { streaming: false, pushNotifications: false, extendedAgentCard: false },
    securitySchemes: {
      [SECURITY_SCHEMES.apiKey]: {
        httpAuthSecurityScheme: {
          scheme: 'Bearer',
          bearerFormat: 'agent-registry API key (agr_…)',
          description: `A ${tenant.name} API key scoped to this agent, issued by ${catalog.registryUrl}`,
        },
      },
      [SECURITY_SCHEMES.oidc]: {
        openIdConnectSecurityScheme: {
          openIdConnectUrl: oidcDiscoveryUrl(catalog.identity.issuer),
          description: `Platform Keycloak; members of the owner groups of ${tenant.name}`,
        },
      },
    },
    securityRequirements: [
      { schemes: { [SECURITY_SCHEMES.apiKey]: { list: [] } } },
      { schemes: { [SECURITY_SCHEMES.oidc]: { list: ['openid'] } } },
    ],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills,
  };
}

export type AgentCard = ReturnType<typeof agentCard>;
