import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { Catalog } from './catalog/schema.js';
import type { RegistryConfig } from './config.js';
import { UnauthorizedError } from './errors.js';
import { errorSchema } from './routes/schemas.js';
import { registerErrorMapper } from './http/error-mapper.js';
import { RegistryMetrics } from './metrics.js';
import { a2aRoutes } from './routes/a2a.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { authorizationRoutes } from './routes/authorization.js';
import { catalogRoutes } from './routes/catalog.js';
import type { RegistryApp, RouteContext } from './routes/context.js';
import { healthRoutes, readiness } from './routes/health.js';
import { mcpRegistryRoutes } from './routes/mcp-registry.js';
import { usageRoutes } from './routes/usage.js';
import { ApiKeyService } from './services/api-keys.js';
import { AuditCheckpointer } from './services/audit.js';
import { AuditSigner } from './services/audit-signer.js';
import { AuthorizationService } from './services/authorization.js';
import { CatalogState } from './services/catalog-state.js';
import { KeyCache } from './services/key-cache.js';
import type { Readiness } from './probe-server.js';
import { McpRegistry } from './services/mcp-registry.js';
import { bearerToken, verifyBearer, type Principal } from './services/principal.js';
import { RateLimiter } from './services/rate-limiter.js';
import { UsageRecorder } from './services/usage-recorder.js';
import type { RegistryStore } from './store/registry-store.js';

export interface RegistryDeps {
  readonly config: RegistryConfig;
  readonly store: RegistryStore;
  /** Reads the catalog (the file, in production); called at start and on every reload. */
  readonly loadCatalog: () => Promise<Catalog>;
  readonly logger: Logger;
  /**
   * Keys bearer tokens are verified with.
   *
   * @default - the JWKS at REGISTRY_JWKS_URL, or the catalog's Keycloak JWKS
   */
  readonly keySet?: JWTVerifyGetKey;
  /** @default - the system clock */
  readonly now?: () => Date;
  /**
   * Signs the audit checkpoints (services/audit-signer.ts).
   *
   * @default - a key made now, in memory (checkpoints verify only while the process runs)
   */
  readonly auditSigner?: AuditSigner;
}

export interface Registry {
  readonly app: RegistryApp;
  readonly catalog: CatalogState;
  /** The API keys the ext-authz check decides from (loaded and listening once built). */
  readonly keys: KeyCache;
  readonly usage: UsageRecorder;
  readonly checkpoints: AuditCheckpointer;
  readonly lifecycle: { closing: boolean };
  /** Catalog loaded, database reachable, not shutting down (what `/readyz` answers). */
  readonly readiness: () => Promise<Readiness>;
}

/**
 * Builds the registry with its dependencies injected; does not listen (server.ts does) and
 * does not load the catalog (the caller does, so it decides when the service is ready).
 * Closing the app flushes usage counters and closes the store.
 */
export async function buildRegistry(deps: RegistryDeps): Promise<Registry> {
  const { config, store } = deps;
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps RegistryApp's generic simple.
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: { maxHeaderSize: config.maxHeaderBytes },
    // New requests during shutdown get 503 while in-flight ones finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 500 },
  }).withTypeProvider<ZodTypeProvider>();
  // A cap on open connections bounds memory under a connection flood; it sits well above
  // the connections the gateway and the probes need (see README, "Connections").
  app.server.maxConnections = config.maxConnections;
  app.server.headersTimeout = Math.min(config.requestTimeoutMs, 10_000);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorMapper(app);

  const mcp = new McpRegistry(store, now);
  const catalog = new CatalogState(deps.loadCatalog, mcp);
  const usage = new UsageRecorder(store, config.usageFlushMs, (err) =>
    app.log.error({ err }, 'usage flush failed; retrying at the next interval'),
  );
  const metrics = new RegistryMetrics({ store, catalog, mcp, now });
  const lifecycle = { closing: false };
  const keys = new KeyCache(store, {
    refreshMs: config.keyCacheRefreshMs,
    // A key write commits within its statement timeout of stamping changed_at.
    overlapMs: config.statementTimeoutMs + 1_000,
    onError: (err) => app.log.error({ err }, 'key cache refresh failed; serving the keys held'),
    now,
  });
  await keys.start();
  const checkpoints = new AuditCheckpointer(store, deps.auditSigner ?? AuditSigner.ephemeral(), {
    intervalMs: config.audit.checkpointMs,
    now,
    // The log stream is the copy of each anchor that leaves the database's reach.
    onCheckpoint: (c) => app.log.info({ auditCheckpoint: c }, 'audit head anchored'),
    onError: (err) => app.log.error({ err }, 'audit checkpoint failed'),
  });

  const keySets = new Map<string, JWTVerifyGetKey>();
  const verify = (token: string): Promise<Principal> => {
    const identity = catalog.index.catalog.identity;
    const jwksUrl = config.oidc.jwksUrl ?? identity.jwksUrl;
    let keySet = deps.keySet ?? keySets.get(jwksUrl);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000 });
      keySets.set(jwksUrl, keySet);
    }
    return verifyBearer(token, {
      issuer: config.oidc.issuer ?? identity.issuer,
      ...(config.oidc.audience ? { audience: config.oidc.audience } : {}),
      keySet,
      groupsClaim: config.oidc.groupsClaim,
      adminRole: config.oidc.adminRole,
    });
  };
  // One verification a request: the onRequest hook of protected routes runs it before the
  // body and query are validated (a caller without a token learns nothing about the input
  // format), and handlers get the same result.
  const principals = new WeakMap<FastifyRequest, Promise<Principal>>();
  const principal = (req: FastifyRequest): Promise<Principal> => {
    let p = principals.get(req);
    if (!p) {
      const token = bearerToken(req.headers.authorization);
      p = token ? verify(token) : Promise.reject(new UnauthorizedError());
      principals.set(req, p);
    }
    return p;
  };
  const authenticate = async (req: FastifyRequest): Promise<void> => {
    await principal(req);
  };

  const ctx: RouteContext = {
    catalog,
    keys: new ApiKeyService(store, {
      defaultTtlDays: config.keyDefaultTtlDays,
      maxTtlDays: config.keyMaxTtlDays,
      now,
      // This replica sees its own writes at once; the others through the notification.
      written: (id) => keys.reloadKey(id),
    }),
    authz: new AuthorizationService(
      keys,
      new RateLimiter(config.keyRatePerSecond, config.keyRateBurst),
      new RateLimiter(config.failedAuthRatePerSecond, config.failedAuthBurst),
      usage,
      verify,
      now,
    ),
    mcp,
    store,
    usage,
    checkpoints,
    metrics,
    principal,
    authenticate,
    lifecycle,
    now,
  };

  // Every status the framework itself can answer is declared on every route it applies to,
  // so the OpenAPI document lists all of them (before swagger, which reads the schemas).
  app.addHook('onRoute', (route) => {
    const schema = route.schema as
      { response?: Record<string, unknown>; params?: unknown } | undefined;
    if (!schema?.response) return;
    const response = schema.response;
    response[400] ??= errorSchema;
    // find-my-way answers 414 for a path parameter over maxParamLength.
    if (route.url.includes(':') || route.url.includes('*')) response[414] ??= errorSchema;
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Agent registry',
        version: '1.0.0',
        description:
          'Catalog of tenants, agents, MCP servers and models; A2A Agent Cards; MCP registry v0.1 read API; tenant API keys; gateway authorization; usage; audit.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (platform Keycloak)' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // The hooks every request runs take callbacks, not async functions: no promise a request.
  app.addHook('onResponse', (req, reply, done) => {
    ctx.metrics.requestDuration.record(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.addHook('preClose', async () => {
    lifecycle.closing = true;
  });
  // A response finished during shutdown closes its keep-alive connection, so server.close()
  // completes when the in-flight requests do instead of when the clients' sockets idle out.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (lifecycle.closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    await checkpoints.stop();
    await keys.stop();
    await usage.stop();
    await store.close();
  });

  healthRoutes(app, ctx);
  catalogRoutes(app, ctx);
  a2aRoutes(app, ctx);
  mcpRegistryRoutes(app, ctx);
  apiKeyRoutes(app, ctx);
  usageRoutes(app, ctx);
  authorizationRoutes(app, ctx);
  auditRoutes(app, ctx);
  app.get(
    '/openapi.json',
    { schema: { tags: ['operations'], summary: 'This OpenAPI 3.1 document' } },
    async () => app.swagger(),
  );

  usage.start();
  checkpoints.start();
  return {
    app,
    catalog,
    keys,
    usage,
    checkpoints,
    lifecycle,
    readiness: () => readiness(ctx),
  };
}
