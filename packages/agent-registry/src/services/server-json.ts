import type { Catalog, CatalogMcpServer } from '../catalog/schema.js';

export const SERVER_JSON_SCHEMA =
  'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** server.json allows at most 100 characters of description. */
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/**
 * The server.json (schema 2025-12-11) of a published MCP server: one streamable-http remote,
 * the tenant's route on the gateway. Only published servers have one, so only they are listed.
 */
export function serverJson(catalog: Catalog, s: CatalogMcpServer) {
  if (!s.route) throw new Error(`MCP server ${s.tenant}/${s.name} is not published`);
  return {
    $schema: SERVER_JSON_SCHEMA,
    name: s.registryName,
    title: `${s.tenant}/${s.name}`,
    description: clip(s.description, 100),
    version: s.version,
    remotes: [
      {
        type: 'streamable-http',
        url: s.route.url,
        headers: [
          {
            name: 'Authorization',
            description: `Bearer <API key of tenant ${s.tenant} with scope mcp:${s.name}>`,
            isRequired: true,
            isSecret: true,
          },
        ],
      },
    ],
    _meta: {
      'io.modelcontextprotocol.registry/publisher-provided': {
        tenant: s.tenant,
        environment: catalog.environment,
        tools: [...s.tools],
      },
    },
  };
}

export type ServerJson = ReturnType<typeof serverJson>;
