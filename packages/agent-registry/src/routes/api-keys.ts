import { z } from 'zod';
import type { RegistryApp, RouteContext } from './context.js';
import {
  bearerSecurity,
  createdKeySchema,
  createKeyBody,
  errorSchema,
  publicKeySchema,
  tenantParams,
} from './schemas.js';

/** Tenant API keys: owners of the tenant or platform admins, with an OIDC bearer token. */
export function apiKeyRoutes(app: RegistryApp, ctx: RouteContext): void {
  const tags = ['api-keys'];
  const errors = {
    400: errorSchema,
    401: errorSchema,
    403: errorSchema,
    404: errorSchema,
    503: errorSchema,
  };
  app.post(
    '/v1/tenants/:tenant/keys',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary: 'Create an API key (the secret is in this response only)',
        security: bearerSecurity,
        params: tenantParams,
        body: createKeyBody,
        response: { 201: createdKeySchema, ...errors },
      },
    },
    async (req, reply) => {
      const principal = await ctx.principal(req);
      const created = await ctx.keys.create(
        principal,
        ctx.catalog.index,
        req.params.tenant,
        req.body,
      );
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(created);
    },
  );
  app.get(
    '/v1/tenants/:tenant/keys',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary: 'List API keys (never their secrets)',
        security: bearerSecurity,
        params: tenantParams,
        response: { 200: z.object({ items: z.array(publicKeySchema) }), ...errors },
      },
    },
    async (req) => {
      const principal = await ctx.principal(req);
      return { items: await ctx.keys.list(principal, ctx.catalog.index, req.params.tenant) };
    },
  );
  app.delete(
    '/v1/tenants/:tenant/keys/:keyId',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary: 'Revoke an API key',
        security: bearerSecurity,
        params: z.strictObject({
          tenant: z.string().min(1).max(63),
          keyId: z.string().regex(/^[a-z0-9]{12}$/),
        }),
        response: { 200: publicKeySchema, 409: errorSchema, ...errors },
      },
    },
    async (req) => {
      const principal = await ctx.principal(req);
      return ctx.keys.revoke(principal, ctx.catalog.index, req.params.tenant, req.params.keyId);
    },
  );
}
