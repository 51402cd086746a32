import { z } from 'zod';
import { PROBE_PATHS } from '../constants.js';
import { NotReadyError } from '../errors.js';
import type { Readiness } from '../probe-server.js';
import type { RegistryApp, RouteContext } from './context.js';
import { errorSchema } from './schemas.js';

/**
 * Whether the replica should get traffic: catalog loaded, database reachable, not shutting
 * down. `/readyz` on this port answers it per request; the probe port's worker answers the
 * main thread's latest decision (probe-server.ts).
 */
export async function readiness(
  ctx: Pick<RouteContext, 'lifecycle' | 'catalog' | 'store'>,
): Promise<Readiness> {
  if (ctx.lifecycle.closing) return 'shutting_down';
  if (!ctx.catalog.loaded) return 'starting';
  try {
    await ctx.store.ping();
  } catch {
    return 'database_unreachable';
  }
  return 'ready';
}

const NOT_READY: Record<Exclude<Readiness, 'ready'>, string> = {
  starting: 'the catalog has not been loaded yet',
  shutting_down: 'shutting down',
  database_unreachable: 'the database did not answer',
};

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
      const state = await readiness(ctx);
      if (state !== 'ready') throw new NotReadyError(NOT_READY[state]);
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
