import { z } from 'zod';
import { MIGRATION_TIMEOUT_MS } from './store/migrations.js';
import { PROBE_PORT, REGISTRY_NAMESPACE, REGISTRY_PORT } from './constants.js';

/** An unset variable and an empty one mean the same: take the default. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const int = (min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max));
const str = () => z.preprocess(unsetIfEmpty, z.string().min(1));

/**
 * Every environment variable the registry reads, with its default. The program validates
 * `process.env` against it at start (`loadConfig`), and the Deployment construct builds its
 * `env` from it (`configEnv`), so a name or a value the program would refuse never reaches
 * a manifest.
 */
export const registryEnvSchema = z.strictObject({
  REGISTRY_HOST: str().default('0.0.0.0'),
  REGISTRY_PORT: int(1, 65_535).default(REGISTRY_PORT),
  /** `/healthz` and `/readyz` for the kubelet, answered by a worker thread (probe-server.ts). */
  REGISTRY_PROBE_PORT: int(1, 65_535).default(PROBE_PORT),
  REGISTRY_LOG_LEVEL: z
    .preprocess(unsetIfEmpty, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']))
    .default('info'),
  /**
   * Where the catalog ConfigMaps come from. `files`: the synthesized manifests under
   * REGISTRY_CATALOG_DIR, reloaded on SIGHUP (`npm run registry`). `kubernetes`: listed and
   * watched in REGISTRY_CATALOG_NAMESPACE through the API, reloaded on every change (the
   * Deployment).
   */
  REGISTRY_CATALOG_SOURCE: z
    .preprocess(unsetIfEmpty, z.enum(['files', 'kubernetes']))
    .default('files'),
  /** The committed dev manifests by default, so `npm run registry` works on a fresh clone. */
  REGISTRY_CATALOG_DIR: str().default('dist/dev/registry'),
  REGISTRY_CATALOG_NAMESPACE: str().default(REGISTRY_NAMESPACE),
  /** `pglite`: embedded, in memory or in REGISTRY_PGLITE_DIR. `postgres`: REGISTRY_DATABASE_URL. */
  REGISTRY_DATABASE: z.preprocess(unsetIfEmpty, z.enum(['pglite', 'postgres'])).default('pglite'),
  /** PGlite data directory; in memory when unset. */
  REGISTRY_PGLITE_DIR: str().optional(),
  /** postgres://user:pass@host:port/db; required when REGISTRY_DATABASE=postgres. A secret. */
  REGISTRY_DATABASE_URL: str().optional(),
  REGISTRY_DATABASE_POOL_MAX: int(1, 100).default(10),
  /**
   * `apply`: the service applies pending migrations at start (PGlite, one role). `require`:
   * the service only checks none is pending and refuses to start otherwise; the owner role
   * applies them first with `migrate.js` (the Deployment's init container), and the service
   * connects as a role that may only insert into the audit tables.
   */
  REGISTRY_DATABASE_MIGRATIONS: z
    .preprocess(unsetIfEmpty, z.enum(['apply', 'require']))
    .default('apply'),
  /**
   * `migrate.js` only: the role the service connects as, given exactly SERVICE_ROLE_GRANTS
   * (store/migrations.ts) after the migrations; unset grants nothing.
   */
  REGISTRY_DATABASE_SERVICE_ROLE: z
    .preprocess(unsetIfEmpty, z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/))
    .optional(),
  /** Server-side statement timeout: a stuck query fails instead of holding a request. */
  REGISTRY_DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5_000),
  /**
   * Statement timeout while migrating (DDL, and the wait for another replica's migration to
   * release the lock): a request's 5 s bound would fail a migration whenever the disk is slow,
   * yet it stays bounded so a stuck migration fails the init container instead of hanging it.
   */
  REGISTRY_DATABASE_MIGRATION_TIMEOUT_MS: int(1_000, 3_600_000).default(MIGRATION_TIMEOUT_MS),
  /** OIDC issuer of bearer tokens; the catalog's (platform Keycloak) when unset. */
  REGISTRY_OIDC_ISSUER: str().optional(),
  /** JWKS the bearer tokens are verified against; the catalog's when unset. */
  REGISTRY_JWKS_URL: str().optional(),
  /** Required `aud` of bearer tokens; not checked when unset. */
  REGISTRY_OIDC_AUDIENCE: str().optional(),
  /** Claim holding the caller's Keycloak group paths. */
  REGISTRY_GROUPS_CLAIM: str().default('groups'),
  /** Realm role (`realm_access.roles`) that may manage every tenant and read the audit log. */
  REGISTRY_ADMIN_ROLE: str().default('platform-admin'),
  REGISTRY_BODY_LIMIT_BYTES: int(1_024, 10_485_760).default(65_536),
  REGISTRY_MAX_HEADER_BYTES: int(1_024, 65_536).default(16_384),
  /** Whole-request deadline (Node `server.requestTimeout`). */
  REGISTRY_REQUEST_TIMEOUT_MS: int(1_000, 300_000).default(15_000),
  REGISTRY_KEEP_ALIVE_TIMEOUT_MS: int(1_000, 300_000).default(65_000),
  /** How long shutdown waits for in-flight requests before exiting anyway. */
  REGISTRY_SHUTDOWN_TIMEOUT_MS: int(1_000, 300_000).default(25_000),
  /** Per API key, per replica: sustained authorization checks a second, and the burst. */
  REGISTRY_KEY_RATE_PER_SECOND: int(1, 100_000).default(50),
  REGISTRY_KEY_RATE_BURST: int(1, 100_000).default(100),
  /**
   * Per client address (the gateway's `x-agent-registry-source`), per replica: failed
   * checks (malformed, unknown or wrong keys, rejected tokens) a second, and the burst.
   * A source over it gets 429 for every check until its budget refills.
   */
  REGISTRY_FAILED_AUTH_RATE_PER_SECOND: int(1, 100_000).default(10),
  REGISTRY_FAILED_AUTH_BURST: int(1, 100_000).default(50),
  /**
   * How often each replica re-reads recently changed keys regardless of notifications: the
   * bound on how long a revoked key keeps working when a notification is lost.
   */
  REGISTRY_KEY_CACHE_REFRESH_MS: int(100, 300_000).default(5_000),
  /** Open connections a replica accepts (Node `server.maxConnections`). */
  REGISTRY_MAX_CONNECTIONS: int(16, 100_000).default(4_096),
  /**
   * Ed25519 private key (PKCS#8 PEM) that signs the audit checkpoints; in the cluster a
   * cert-manager Secret mounted into the pod, never readable from the database. Required on
   * PostgreSQL; on PGlite a key made at start is used when unset (nothing outlives the process).
   */
  REGISTRY_AUDIT_SIGNING_KEY_FILE: str().optional(),
  /** How often the audit chain's head is signed and anchored (when it moved). */
  REGISTRY_AUDIT_CHECKPOINT_MS: int(1_000, 3_600_000).default(60_000),
  REGISTRY_KEY_DEFAULT_TTL_DAYS: int(1, 3_650).default(90),
  REGISTRY_KEY_MAX_TTL_DAYS: int(1, 3_650).default(365),
  /** Usage counters are summed in memory and written this often (and at shutdown). */
  REGISTRY_USAGE_FLUSH_MS: int(100, 60_000).default(1_000),
});

export type RegistryEnvName = keyof typeof registryEnvSchema.shape;
export type RegistryEnv = z.output<typeof registryEnvSchema>;

/** Variables that carry secrets: the construct must set them from a Secret, never a literal. */
export const SECRET_ENV_NAMES: readonly RegistryEnvName[] = ['REGISTRY_DATABASE_URL'];

/** The validated configuration the app is built from. */
export interface RegistryConfig {
  readonly host: string;
  readonly port: number;
  readonly probePort: number;
  readonly logLevel: RegistryEnv['REGISTRY_LOG_LEVEL'];
  readonly catalog:
    | { readonly source: 'files'; readonly dir: string }
    | { readonly source: 'kubernetes'; readonly namespace: string };
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir?: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        readonly poolMax: number;
      };
  readonly migrations: 'apply' | 'require';
  readonly serviceRole?: string;
  readonly statementTimeoutMs: number;
  readonly migrationTimeoutMs: number;
  readonly audit: { readonly signingKeyFile?: string; readonly checkpointMs: number };
  readonly oidc: {
    readonly issuer?: string;
    readonly jwksUrl?: string;
    readonly audience?: string;
    readonly groupsClaim: string;
    readonly adminRole: string;
  };
  readonly bodyLimitBytes: number;
  readonly maxHeaderBytes: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly keyRatePerSecond: number;
  readonly keyRateBurst: number;
  readonly failedAuthRatePerSecond: number;
  readonly failedAuthBurst: number;
  readonly keyCacheRefreshMs: number;
  readonly maxConnections: number;
  readonly keyDefaultTtlDays: number;
  readonly keyMaxTtlDays: number;
  readonly usageFlushMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates the process environment (only the `REGISTRY_` variables) and returns the config,
 * or throws one ConfigError listing every bad variable with its value and what is allowed.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  purpose: 'serve' | 'migrate' = 'serve',
): RegistryConfig {
  const own = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('REGISTRY_') && v !== ''),
  );
  const unknown = Object.keys(own).filter((k) => !(k in registryEnvSchema.shape));
  const parsed = registryEnvSchema.safeParse(own);
  const problems: string[] = unknown.map(
    (k) =>
      `${k} is not a registry setting; known: ${Object.keys(registryEnvSchema.shape).join(', ')}`,
  );
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      const value = SECRET_ENV_NAMES.includes(name as RegistryEnvName) ? '<redacted>' : own[name];
      problems.push(`${name}=${JSON.stringify(value ?? null)}: ${issue.message}`);
    }
  }
  const e = parsed.data;
  if (e && e.REGISTRY_DATABASE === 'postgres' && !e.REGISTRY_DATABASE_URL) {
    problems.push(
      'REGISTRY_DATABASE=postgres needs REGISTRY_DATABASE_URL (postgres://user:password@host:5432/db)',
    );
  }
  if (
    e &&
    purpose === 'serve' &&
    e.REGISTRY_DATABASE === 'postgres' &&
    !e.REGISTRY_AUDIT_SIGNING_KEY_FILE
  ) {
    problems.push(
      'REGISTRY_DATABASE=postgres needs REGISTRY_AUDIT_SIGNING_KEY_FILE (an Ed25519 PKCS#8 PEM private key, e.g. openssl genpkey -algorithm ed25519): the audit checkpoints must outlive the process',
    );
  }
  if (e && purpose === 'migrate' && e.REGISTRY_DATABASE !== 'postgres') {
    problems.push(
      `REGISTRY_DATABASE=${e.REGISTRY_DATABASE}: migrate.js runs on PostgreSQL only (PGlite applies migrations at start)`,
    );
  }
  if (e && e.REGISTRY_DATABASE === 'pglite' && e.REGISTRY_DATABASE_MIGRATIONS === 'require') {
    problems.push(
      'REGISTRY_DATABASE_MIGRATIONS=require needs REGISTRY_DATABASE=postgres: PGlite has one role, which applies the migrations at start',
    );
  }
  if (e && e.REGISTRY_KEY_DEFAULT_TTL_DAYS > e.REGISTRY_KEY_MAX_TTL_DAYS) {
    problems.push(
      `REGISTRY_KEY_DEFAULT_TTL_DAYS=${e.REGISTRY_KEY_DEFAULT_TTL_DAYS} exceeds REGISTRY_KEY_MAX_TTL_DAYS=${e.REGISTRY_KEY_MAX_TTL_DAYS}; lower the default or raise the maximum`,
    );
  }
  if (e && e.REGISTRY_PROBE_PORT === e.REGISTRY_PORT) {
    problems.push(
      `REGISTRY_PROBE_PORT=${e.REGISTRY_PROBE_PORT} is REGISTRY_PORT too; the probes need a port of their own (default ${PROBE_PORT})`,
    );
  }
  if (problems.length > 0 || !e) {
    throw new ConfigError(`invalid registry configuration:\n  ${problems.join('\n  ')}`);
  }
  return {
    host: e.REGISTRY_HOST,
    port: e.REGISTRY_PORT,
    probePort: e.REGISTRY_PROBE_PORT,
    logLevel: e.REGISTRY_LOG_LEVEL,
    catalog:
      e.REGISTRY_CATALOG_SOURCE === 'kubernetes'
        ? { source: 'kubernetes', namespace: e.REGISTRY_CATALOG_NAMESPACE }
        : { source: 'files', dir: e.REGISTRY_CATALOG_DIR },
    database:
      e.REGISTRY_DATABASE === 'postgres'
        ? { kind: 'postgres', url: e.REGISTRY_DATABASE_URL!, poolMax: e.REGISTRY_DATABASE_POOL_MAX }
        : { kind: 'pglite', ...(e.REGISTRY_PGLITE_DIR ? { dataDir: e.REGISTRY_PGLITE_DIR } : {}) },
    migrations: e.REGISTRY_DATABASE_MIGRATIONS,
    ...(e.REGISTRY_DATABASE_SERVICE_ROLE ? { serviceRole: e.REGISTRY_DATABASE_SERVICE_ROLE } : {}),
    statementTimeoutMs: e.REGISTRY_DATABASE_STATEMENT_TIMEOUT_MS,
    migrationTimeoutMs: e.REGISTRY_DATABASE_MIGRATION_TIMEOUT_MS,
    audit: {
      ...(e.REGISTRY_AUDIT_SIGNING_KEY_FILE
        ? { signingKeyFile: e.REGISTRY_AUDIT_SIGNING_KEY_FILE }
        : {}),
      checkpointMs: e.REGISTRY_AUDIT_CHECKPOINT_MS,
    },
    oidc: {
      ...(e.REGISTRY_OIDC_ISSUER ? { issuer: e.REGISTRY_OIDC_ISSUER } : {}),
      ...(e.REGISTRY_JWKS_URL ? { jwksUrl: e.REGISTRY_JWKS_URL } : {}),
      ...(e.REGISTRY_OIDC_AUDIENCE ? { audience: e.REGISTRY_OIDC_AUDIENCE } : {}),
      groupsClaim: e.REGISTRY_GROUPS_CLAIM,
      adminRole: e.REGISTRY_ADMIN_ROLE,
    },
    bodyLimitBytes: e.REGISTRY_BODY_LIMIT_BYTES,
    maxHeaderBytes: e.REGISTRY_MAX_HEADER_BYTES,
    requestTimeoutMs: e.REGISTRY_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.REGISTRY_KEEP_ALIVE_TIMEOUT_MS,
    shutdownTimeoutMs: e.REGISTRY_SHUTDOWN_TIMEOUT_MS,
    keyRatePerSecond: e.REGISTRY_KEY_RATE_PER_SECOND,
    keyRateBurst: e.REGISTRY_KEY_RATE_BURST,
    failedAuthRatePerSecond: e.REGISTRY_FAILED_AUTH_RATE_PER_SECOND,
    failedAuthBurst: e.REGISTRY_FAILED_AUTH_BURST,
    keyCacheRefreshMs: e.REGISTRY_KEY_CACHE_REFRESH_MS,
    maxConnections: e.REGISTRY_MAX_CONNECTIONS,
    keyDefaultTtlDays: e.REGISTRY_KEY_DEFAULT_TTL_DAYS,
    keyMaxTtlDays: e.REGISTRY_KEY_MAX_TTL_DAYS,
    usageFlushMs: e.REGISTRY_USAGE_FLUSH_MS,
  };
}

/**
 * A connection URL that authenticates with a client certificate (no password): node-postgres
 * reads `sslcert`, `sslkey` and `sslrootcert` as files (pg-connection-string), and
 * `verify-full` checks the server's certificate against that CA and `host`.
 */
export function certificateDatabaseUrl(opts: {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly role: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}): string {
  const url = new URL(`postgres://${opts.host}:${opts.port}/${encodeURIComponent(opts.database)}`);
  url.username = opts.role;
  url.searchParams.set('sslmode', 'verify-full');
  url.searchParams.set('sslcert', opts.certFile);
  url.searchParams.set('sslkey', opts.keyFile);
  url.searchParams.set('sslrootcert', opts.caFile);
  return url.toString();
}

/** Whether a value of a secret variable actually carries one (a URL with a password does). */
function carriesSecret(name: RegistryEnvName, value: string): boolean {
  if (name !== 'REGISTRY_DATABASE_URL') return true;
  try {
    return new URL(value).password !== '';
  } catch {
    return true;
  }
}

/** A literal env entry of a container. */
export interface EnvVarLiteral {
  readonly name: RegistryEnvName;
  readonly value: string;
}

/**
 * The container `env` for the given settings, sorted by name. Each value is validated with
 * the same schema the program uses; secret variables are refused (reference a Secret).
 */
export function configEnv(
  values: Partial<Record<RegistryEnvName, string | number>>,
): EnvVarLiteral[] {
  const out: EnvVarLiteral[] = [];
  for (const [name, raw] of Object.entries(values) as [RegistryEnvName, string | number][]) {
    const field = registryEnvSchema.shape[name];
    if (!field) {
      throw new ConfigError(
        `configEnv: ${name} is not a registry setting; use one of ${Object.keys(registryEnvSchema.shape).join(', ')}`,
      );
    }
    if (SECRET_ENV_NAMES.includes(name) && carriesSecret(name, String(raw))) {
      throw new ConfigError(
        `configEnv: ${name} carries a secret; set it with valueFrom.secretKeyRef, not a literal (a database URL without a password, authenticating by certificate, may be literal)`,
      );
    }
    const parsed = field.safeParse(String(raw));
    if (!parsed.success) {
      throw new ConfigError(
        `configEnv: ${name}=${JSON.stringify(raw)} is refused by the registry: ${parsed.error.issues[0]?.message}`,
      );
    }
    out.push({ name, value: String(raw) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
