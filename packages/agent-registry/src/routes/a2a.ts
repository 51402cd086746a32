import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { agentCard } from '../services/agent-card.js';
import type { RegistryApp, RouteContext } from './context.js';
import { errorSchema } from './schemas.js';

const agentCardSchema = z
  .looseObject({
    name: z.string(),
    description: z.string(),
    supportedInterfaces: z.array(
      z.object({ url: z.string(), protocolBinding: z.string(), protocolVersion: z.string() }),
    ),
    version: z.string(),
    capabilities: z.looseObject({}),
    defaultInputModes: z.array(z.string()),
    defaultOutputModes: z.array(z.string()),
    skills: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  })
  .meta({ id: 'AgentCard', description: 'A2A v1.0 AgentCard (ProtoJSON)' });

/** A2A discovery: the card of each published agent, at its gateway path plus the well-known suffix. */
export function a2aRoutes(app: RegistryApp, ctx: RouteContext): void {
  app.get(
    '/a2a/:segment/:agent/.well-known/agent-card.json',
    {
      schema: {
        tags: ['a2a'],
        summary: 'Agent Card of a published agent',
        params: z.strictObject({
          segment: z.string().min(1).max(63),
          agent: z.string().min(1).max(63),
        }),
        response: {
          200: agentCardSchema,
          304: z.null().describe('Not modified (If-None-Match)'),
          404: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const index = ctx.catalog.index;
      const path = `/a2a/${req.params.segment}/${req.params.agent}`;
      const agent = index.agentByPath(path);
      if (!agent) throw new NotFoundError(`no published agent at ${path}`);
      // The version is a content digest of the card's source, so it doubles as the ETag.
      const etag = `"${agent.version}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=60');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send(null);
      return agentCard(index.catalog, index.tenant(agent.tenant), agent);
    },
  );
}
