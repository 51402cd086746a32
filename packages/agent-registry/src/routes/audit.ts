import { z } from 'zod';
import { assertAdmin } from '../services/principal.js';
import { verifyAudit } from '../services/audit.js';
import type { RegistryApp, RouteContext } from './context.js';
import { auditEntrySchema, bearerSecurity, errorSchema } from './schemas.js';

/** The hash-chained audit log: platform admins only. */
export function auditRoutes(app: RegistryApp, ctx: RouteContext): void {
  const tags = ['audit'];
  const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
  app.get(
    '/v1/audit',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary: 'Audit entries in order',
        security: bearerSecurity,
        querystring: z.strictObject({
          after: z.coerce.number().int().min(0).default(0).describe('Entries after this seq'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            items: z.array(auditEntrySchema),
            nextAfter: z.number().int().optional(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      assertAdmin(await ctx.principal(req));
      const items = await ctx.store.listAudit({
        afterSeq: req.query.after,
        limit: req.query.limit,
      });
      const last = items[items.length - 1];
      return {
        items,
        ...(items.length === req.query.limit && last ? { nextAfter: last.seq } : {}),
      };
    },
  );
  app.get(
    '/v1/audit/verify',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary: 'Recompute the chain; report the first broken link',
        security: bearerSecurity,
        response: {
          200: z.object({
            ok: z.boolean(),
            entries: z.number().int(),
            head: z.string().optional(),
            brokenAt: z.number().int().optional(),
            reason: z.enum(['sequence_gap', 'prev_hash_mismatch', 'hash_mismatch']).optional(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      assertAdmin(await ctx.principal(req));
      return verifyAudit(ctx.store);
    },
  );
}
