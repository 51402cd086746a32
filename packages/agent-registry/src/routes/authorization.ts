import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { AUTHZ_HEADERS, AUTHZ_PATH_PREFIX } from '../constants.js';
import { InputError } from '../errors.js';
import { lazyRequestLoggerFactory } from '../http/lazy-request-logger.js';
import { KEY_PREFIX } from '../services/api-keys.js';
import { bearerToken } from '../services/principal.js';
import type { RegistryApp, RouteContext } from './context.js';
import { errorSchema } from './schemas.js';

/** The most each credential header may carry (`headers` below documents the same). */
const HEADER_LIMITS: readonly (readonly [name: string, max: number])[] = [
  ['authorization', 8192],
  [AUTHZ_HEADERS.apiKey, 512],
  [AUTHZ_HEADERS.source, 64],
];

/**
 * The gateway calls this route once per request it forwards, so its input and output skip
 * zod: the three header limits are checked by hand (a too-long one is 400 `invalid_input`,
 * like every other route's bad input), and the reply, built here from literals, is written
 * with JSON.stringify. The zod schemas stay for the OpenAPI document.
 */
const checkHeaders: FastifySchemaCompiler<unknown> = ({ httpPart }) =>
  httpPart !== 'headers'
    ? () => true
    : (headers) => {
        const h = headers as Record<string, unknown>;
        for (const [name, max] of HEADER_LIMITS) {
          const v = h[name];
          if (v !== undefined && (typeof v !== 'string' || v.length > max)) {
            return {
              error: new InputError(`header ${name} must be a string of at most ${max} characters`),
            };
          }
        }
        return { value: headers };
      };

const decisionSchema = z
  .object({
    allow: z.boolean(),
    reason: z.string().optional(),
    tenant: z.string().optional(),
    keyId: z.string().optional(),
  })
  .meta({ id: 'AuthzDecision' });

/**
 * agentgateway's HTTP ext-authz (AgentgatewayPolicy `traffic.extAuth.http`, v1.4.1): the
 * gateway sends the client's method, `Authorization` and `x-api-key` (the headers listed in
 * `allowedRequestHeaders`), the client address (`addRequestHeaders`) and the URI
 * `/ext-authz` + `request.path`, the raw path without query (crates/agentgateway/src/http/
 * ext_authz.rs `check_http`, cel/types.rs `RequestRef.path` = `uri().path()`). 200 lets the
 * request through, anything else is a denial.
 */
export function authorizationRoutes(app: RegistryApp, ctx: RouteContext): void {
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${AUTHZ_PATH_PREFIX}/*`,
    // Called once for every request the gateway admits: its own access log records each one,
    // and the usage rows count them, so Fastify's two info lines a request (the largest cost
    // left on this path after the check itself) are not written here. Warnings still are.
    logLevel: 'warn',
    // ...and the request's child logger is built only if a warning is written.
    childLoggerFactory: lazyRequestLoggerFactory,
    validatorCompiler: checkHeaders,
    serializerCompiler: () => (data) => JSON.stringify(data),
    schema: {
      tags: ['gateway'],
      summary: 'External authorization check for a request to an agent, MCP server or model',
      headers: z.looseObject({
        authorization: z.string().max(HEADER_LIMITS[0]![1]).optional(),
        [AUTHZ_HEADERS.apiKey]: z.string().max(HEADER_LIMITS[1]![1]).optional(),
        [AUTHZ_HEADERS.source]: z.string().max(HEADER_LIMITS[2]![1]).optional(),
      }),
      response: {
        200: decisionSchema,
        // A denial (`ambiguous_path`), or a header over its limit.
        400: z.union([decisionSchema, errorSchema]),
        401: decisionSchema,
        403: decisionSchema,
        429: decisionSchema,
      },
    },
    handler: async (req, reply) => {
      // The raw URL, never the router's decoded wildcard: `%2e%2e` and `%2f` must be seen
      // as sent to be refused.
      const path = req.url.slice(AUTHZ_PATH_PREFIX.length);
      const bearer = bearerToken(req.headers.authorization);
      const headerKey = req.headers[AUTHZ_HEADERS.apiKey];
      const source = req.headers[AUTHZ_HEADERS.source];
      const apiKey =
        typeof headerKey === 'string'
          ? headerKey
          : bearer?.startsWith(KEY_PREFIX)
            ? bearer
            : undefined;
      const decision = await ctx.authz.check(ctx.catalog.index, {
        path,
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...(apiKey === undefined && bearer !== undefined ? { bearer } : {}),
        ...(typeof source === 'string' ? { source } : {}),
      });
      ctx.metrics.decided(decision.allow ? 'ok' : decision.reason);
      if (!decision.allow) {
        if (decision.status === 429) reply.header('retry-after', '1');
        return reply.code(decision.status).send({ allow: false, reason: decision.reason });
      }
      reply
        .header(AUTHZ_HEADERS.tenant, decision.tenant)
        .header(AUTHZ_HEADERS.keyId, decision.keyId);
      return { allow: true, tenant: decision.tenant, keyId: decision.keyId };
    },
  });
}
