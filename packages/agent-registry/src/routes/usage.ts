import { InputError } from '../errors.js';
import { assertCanManage } from '../services/principal.js';
import type { RegistryApp, RouteContext } from './context.js';
import { bearerSecurity, errorSchema, tenantParams, usageQuery, usageSchema } from './schemas.js';

/** Usage per tenant, key and agent/server, by day (UTC). */
export function usageRoutes(app: RegistryApp, ctx: RouteContext): void {
  app.get(
    '/v1/tenants/:tenant/usage',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags: ['usage'],
        summary: 'Authorization checks per day, key and target',
        security: bearerSecurity,
        params: tenantParams,
        querystring: usageQuery,
        response: {
          200: usageSchema,
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req) => {
      const principal = await ctx.principal(req);
      const { tenant } = req.params;
      assertCanManage(principal, ctx.catalog.index.tenant(tenant));
      if (req.query.from > req.query.to) {
        throw new InputError(`from ${req.query.from} is after to ${req.query.to}; swap them`);
      }
      // Include this replica's counts not yet written.
      await ctx.usage.flush();
      const rows = await ctx.store.listUsage({ tenant, from: req.query.from, to: req.query.to });
      return { tenant, rows: rows.map(({ tenant: _t, ...r }) => r) };
    },
  );
}
