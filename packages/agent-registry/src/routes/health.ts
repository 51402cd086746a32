import { z } from 'zod';
import { PROBE_PATHS } from '../constants.js';
import { NotReadyError } from '../errors.js';
import type { RegistryApp, RouteContext } from './context.js';
import { errorSchema } from './schemas.js';

export function healthRoutes(app: RegistryApp, ctx: RouteContext): void {
  app.get(
    PROBE_PATHS.liveness,
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process serves HTTP',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    PROBE_PATHS.readiness,
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: catalog loaded, database reachable, not shutting down',
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorSchema },
      },
    },
    async () => {
      if (ctx.lifecycle.closing) throw new NotReadyError('shutting down');
      if (!ctx.catalog.loaded) throw new NotReadyError('the catalog has not been loaded yet');
      await ctx.store.ping();
      return { status: 'ready' as const };
    },
  );
  app.get(
    PROBE_PATHS.metrics,
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: { 200: z.string() },
      },
    },
    async (_req, reply) => {
      reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
