import {
  catalogAgentSchema,
  catalogMcpServerSchema,
  catalogModelSchema,
  catalogTenantSchema,
} from '../catalog/schema.js';
import type { RegistryApp, RouteContext } from './context.js';
import { sendPage } from './page-json.js';
import {
  agentPage,
  entryParams,
  errorSchema,
  listQuery,
  mcpServerPage,
  modelPage,
  tenantPage,
  tenantParams,
} from './schemas.js';

/** Read-only catalog: public, like the git repository it comes from. */
export function catalogRoutes(app: RegistryApp, ctx: RouteContext): void {
  const errors = { 400: errorSchema, 404: errorSchema, 503: errorSchema };
  const tags = ['catalog'];

  app.get(
    '/v1/tenants',
    {
      schema: {
        tags,
        summary: 'List tenants',
        querystring: listQuery,
        response: { 200: tenantPage, ...errors },
      },
    },
    async (req) => ctx.catalog.index.listTenants(req.query),
  );
  app.get(
    '/v1/tenants/:tenant',
    {
      schema: {
        tags,
        summary: 'Get a tenant',
        params: tenantParams,
        response: { 200: catalogTenantSchema, ...errors },
      },
    },
    async (req) => ctx.catalog.index.tenant(req.params.tenant),
  );
  app.get(
    '/v1/agents',
    {
      schema: {
        tags,
        summary: 'List agents',
        querystring: listQuery,
        response: { 200: agentPage, ...errors },
      },
    },
    async (req, reply) =>
      sendPage(reply, ctx.catalog.index.listAgents(req.query), catalogAgentSchema),
  );
  app.get(
    '/v1/agents/:tenant/:name',
    {
      schema: {
        tags,
        summary: 'Get an agent',
        params: entryParams,
        response: { 200: catalogAgentSchema, ...errors },
      },
    },
    async (req) => ctx.catalog.index.agent(req.params.tenant, req.params.name),
  );
  app.get(
    '/v1/mcp-servers',
    {
      schema: {
        tags,
        summary: 'List MCP servers',
        querystring: listQuery,
        response: { 200: mcpServerPage, ...errors },
      },
    },
    async (req, reply) =>
      sendPage(reply, ctx.catalog.index.listMcpServers(req.query), catalogMcpServerSchema),
  );
  app.get(
    '/v1/mcp-servers/:tenant/:name',
    {
      schema: {
        tags,
        summary: 'Get an MCP server',
        params: entryParams,
        response: { 200: catalogMcpServerSchema, ...errors },
      },
    },
    async (req) => ctx.catalog.index.mcpServer(req.params.tenant, req.params.name),
  );
  app.get(
    '/v1/models',
    {
      schema: {
        tags,
        summary: 'List models',
        querystring: listQuery,
        response: { 200: modelPage, ...errors },
      },
    },
    async (req) => ctx.catalog.index.listModels(req.query),
  );
  app.get(
    '/v1/models/:tenant/:name',
    {
      schema: {
        tags,
        summary: 'Get a model',
        params: entryParams,
        response: { 200: catalogModelSchema, ...errors },
      },
    },
    async (req) => ctx.catalog.index.model(req.params.tenant, req.params.name),
  );
}
