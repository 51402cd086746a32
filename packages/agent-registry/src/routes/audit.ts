import { z } from 'zod';
import { ConflictError, InputError } from '../errors.js';
import { assertAdmin } from '../services/principal.js';
import { AUDIT_BREAK_REASONS, AuditChainBrokenError, verifyAudit } from '../services/audit.js';
import type { AuditCheckpoint } from '../store/registry-store.js';
import type { RegistryApp, RouteContext } from './context.js';
import { auditCheckpointSchema, auditEntrySchema, bearerSecurity, errorSchema } from './schemas.js';

const verification = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  head: z.string().optional(),
  anchoredSeq: z.number().int().optional(),
  brokenAt: z.number().int().optional(),
  reason: z.enum(AUDIT_BREAK_REASONS).optional(),
});

/** The hash-chained audit log and its signed checkpoints: platform admins only. */
export function auditRoutes(app: RegistryApp, ctx: RouteContext): void {
  const tags = ['audit'];
  const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
  // The anchors this process holds in memory count as well as the stored ones: a tail cut
  // off together with its stored checkpoints is still beyond what this replica anchored.
  const verify = (anchors: readonly AuditCheckpoint[]) =>
    verifyAudit(ctx.store, {
      verifier: ctx.checkpoints.verifier,
      anchors: ctx.checkpoints.latest ? [ctx.checkpoints.latest, ...anchors] : anchors,
    });
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
        summary:
          'Recompute the chain against the stored and in-memory signed checkpoints; report the first broken link',
        security: bearerSecurity,
        response: { 200: verification, ...errors },
      },
    },
    async (req) => {
      assertAdmin(await ctx.principal(req));
      return verify([]);
    },
  );
  app.post(
    '/v1/audit/verify',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary:
          'Verify as GET does, also against checkpoints kept outside the database (an archive of GET /v1/audit/checkpoint or of the log stream)',
        security: bearerSecurity,
        body: z.strictObject({ anchors: z.array(auditCheckpointSchema).min(1).max(10_000) }),
        response: { 200: verification, ...errors },
      },
    },
    async (req) => {
      assertAdmin(await ctx.principal(req));
      const forged = req.body.anchors.find((a) => !ctx.checkpoints.verifier.verify(a));
      if (forged) {
        throw new InputError(
          `anchors: the one for seq ${forged.seq} (keyId ${forged.keyId}) is not signed by this registry's audit key; send checkpoints as GET /v1/audit/checkpoint returned them`,
        );
      }
      return verify(req.body.anchors);
    },
  );
  app.get(
    '/v1/audit/checkpoint',
    {
      onRequest: ctx.authenticate,
      schema: {
        tags,
        summary:
          'Sign the current head now (after checking it chains onto the previous checkpoint) and return it, for an archive outside the database',
        security: bearerSecurity,
        response: { 200: auditCheckpointSchema, 404: errorSchema, 409: errorSchema, ...errors },
      },
    },
    async (req, reply) => {
      assertAdmin(await ctx.principal(req));
      const c = await ctx.checkpoints.checkpoint().catch((err: unknown) => {
        if (err instanceof AuditChainBrokenError) throw new ConflictError(err.message);
        throw err;
      });
      if (!c)
        return reply.code(404).send({ error: 'not_found', message: 'the audit log is empty' });
      return c;
    },
  );
}
