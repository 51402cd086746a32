import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegistryMetrics } from '../metrics.js';
import type { ApiKeyService } from '../services/api-keys.js';
import type { AuditCheckpointer } from '../services/audit.js';
import type { AuthorizationService } from '../services/authorization.js';
import type { CatalogState } from '../services/catalog-state.js';
import type { McpRegistry } from '../services/mcp-registry.js';
import type { Principal } from '../services/principal.js';
import type { UsageRecorder } from '../services/usage-recorder.js';
import type { RegistryStore } from '../store/registry-store.js';

export type RegistryApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route modules get: services, never the database. */
export interface RouteContext {
  readonly catalog: CatalogState;
  readonly keys: ApiKeyService;
  readonly authz: AuthorizationService;
  readonly mcp: McpRegistry;
  readonly store: RegistryStore;
  readonly usage: UsageRecorder;
  readonly checkpoints: AuditCheckpointer;
  readonly metrics: RegistryMetrics;
  /** The verified caller of a management request; 401 without a valid bearer token. */
  readonly principal: (req: FastifyRequest) => Promise<Principal>;
  /** onRequest hook of protected routes: 401 before anything else about the request. */
  readonly authenticate: (req: FastifyRequest) => Promise<void>;
  readonly lifecycle: { closing: boolean };
  readonly now: () => Date;
}
