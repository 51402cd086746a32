import { z } from 'zod';
import type { RegistryApp, RouteContext } from './context.js';
import { errorSchema } from './schemas.js';

const serverResponse = z
  .looseObject({
    server: z.looseObject({ name: z.string(), version: z.string() }),
    _meta: z.looseObject({}),
  })
  .meta({ id: 'ServerResponse', description: 'server.json (2025-12-11) with registry metadata' });
const serverList = z
  .object({
    servers: z.array(serverResponse),
    metadata: z.object({ nextCursor: z.string().optional(), count: z.number().int() }),
  })
  .meta({ id: 'ServerList' });
const includeDeleted = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');
const nameParam = z
  .string()
  .min(3)
  .max(200)
  .describe('URL-encoded server name (com.example%2Fname)');

/** MCP registry API v0.1, read endpoints (modelcontextprotocol/registry openapi.yaml). */
export function mcpRegistryRoutes(app: RegistryApp, ctx: RouteContext): void {
  const tags = ['mcp-registry'];
  const ready = () => ctx.catalog.index;
  app.get(
    '/v0.1/servers',
    {
      schema: {
        tags,
        summary: 'List MCP server versions',
        querystring: z.strictObject({
          cursor: z.string().max(1000).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(30),
          search: z.string().min(1).max(200).optional(),
          updated_since: z.iso.datetime({ offset: true }).optional(),
          version: z.string().min(1).max(255).optional(),
          include_deleted: includeDeleted,
        }),
        response: { 200: serverList, 400: errorSchema, 503: errorSchema },
      },
    },
    async (req) => {
      ready();
      const q = req.query;
      const page = ctx.mcp.list({
        limit: q.limit,
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.search !== undefined ? { search: q.search } : {}),
        ...(q.updated_since !== undefined ? { updatedSince: q.updated_since } : {}),
        ...(q.version !== undefined ? { version: q.version } : {}),
        includeDeleted: q.include_deleted,
      });
      return {
        servers: page.servers,
        metadata: {
          count: page.servers.length,
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
  );
  app.get(
    '/v0.1/servers/:serverName/versions',
    {
      schema: {
        tags,
        summary: 'All versions of an MCP server',
        params: z.strictObject({ serverName: nameParam }),
        querystring: z.strictObject({ include_deleted: includeDeleted }),
        response: { 200: serverList, 404: errorSchema, 503: errorSchema },
      },
    },
    async (req) => {
      ready();
      const servers = ctx.mcp.versions(req.params.serverName, req.query.include_deleted);
      return { servers, metadata: { count: servers.length } };
    },
  );
  app.get(
    '/v0.1/servers/:serverName/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version of an MCP server (or `latest`)',
        params: z.strictObject({ serverName: nameParam, version: z.string().min(1).max(255) }),
        querystring: z.strictObject({ include_deleted: includeDeleted }),
        response: { 200: serverResponse, 404: errorSchema, 503: errorSchema },
      },
    },
    async (req) => {
      ready();
      return ctx.mcp.version(req.params.serverName, req.params.version, req.query.include_deleted);
    },
  );
}
