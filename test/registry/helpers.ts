import { Writable } from 'node:stream';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { buildModel } from '../../src/model/build';
import type { EnvironmentModel } from '../../src/model/types';
import { buildRegistry, type Registry } from '@agentic-platform/agent-registry/app';
import { catalogFromEnvironment } from '../../src/registry/catalog/from-environment';
import type { Catalog } from '@agentic-platform/agent-registry/catalog/schema';
import { loadConfig, type RegistryConfig } from '@agentic-platform/agent-registry/config';
import { createLogger } from '@agentic-platform/agent-registry/logger';
import type { AuditSigner } from '@agentic-platform/agent-registry/services/audit-signer';
import {
  openPglite,
  openPostgres,
  type SqlDatabase,
} from '@agentic-platform/agent-registry/store/database';
import { grantServiceRole, migrate } from '@agentic-platform/agent-registry/store/migrations';
import { SqlRegistryStore } from '@agentic-platform/agent-registry/store/sql-registry-store';
import { loadSpecs } from '../../src/spec';

let devEnv: EnvironmentModel | undefined;
/** The dev environment of this repository's own specs. */
export function devEnvironment(): EnvironmentModel {
  devEnv ??= buildModel(loadSpecs(process.cwd())).environments.find((e) => e.name === 'dev')!;
  return devEnv;
}

export const devCatalog = (): Catalog => catalogFromEnvironment(devEnvironment());

/** An OIDC issuer for tests: an RSA key, its JWKS, and a token minter. */
export async function testIssuer(issuer: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  const token = (claims: {
    sub: string;
    groups?: string[];
    roles?: string[];
    iss?: string;
    expiresIn?: string | number;
  }) =>
    new SignJWT({
      groups: claims.groups ?? [],
      realm_access: { roles: claims.roles ?? [] },
      preferred_username: claims.sub,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test' })
      .setSubject(claims.sub)
      .setIssuer(claims.iss ?? issuer)
      .setIssuedAt()
      .setExpirationTime(claims.expiresIn ?? '5m')
      .sign(privateKey);
  return { jwks, keySet: createLocalJWKSet(jwks), token };
}

/** Captures pino output as text. */
export function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { stream, text: () => lines.join('') };
}

export type DatabaseKind = 'pglite' | 'postgres';

/** The PostgreSQL server CI provides; see packages/agent-registry/README.md. */
export const PG_URL = process.env.REGISTRY_TEST_PG_URL;

/**
 * A fresh database: in-memory PGlite, or a new schema on the CI PostgreSQL server, whose
 * pool has `pool` (default: 4 connections, a 10 s statement timeout).
 */
export async function freshDatabase(
  kind: DatabaseKind,
  pool: { poolMax?: number; statementTimeoutMs?: number } = {},
): Promise<SqlDatabase> {
  if (kind === 'pglite') return openPglite();
  if (!PG_URL) throw new Error('REGISTRY_TEST_PG_URL is not set');
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = openPostgres({ url: PG_URL, poolMax: 1, statementTimeoutMs: 10_000 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return openPostgres({
    url: url.toString(),
    poolMax: pool.poolMax ?? 4,
    statementTimeoutMs: pool.statementTimeoutMs ?? 10_000,
  });
}

/** The role the service runs as on the CI server (created by .ci/start-postgres.sh). */
export const PG_SERVICE_URL = process.env.REGISTRY_TEST_PG_SERVICE_URL;
export const SERVICE_ROLE = 'registry_service';

/**
 * The production split of roles: the owner applies the migrations and grants SERVICE_ROLE
 * what it needs; `service` is a connection as that role. On PostgreSQL the service logs in
 * as its own role; PGlite has one connection, so the service side is `SET ROLE` on it and
 * the owner side resets it around each statement.
 */
export async function splitRoleDatabases(
  kind: DatabaseKind,
): Promise<{ owner: SqlDatabase; service: SqlDatabase }> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    await db.exec(`CREATE ROLE ${SERVICE_ROLE}`);
    await grantServiceRole(db, SERVICE_ROLE);
    await db.exec(`SET ROLE ${SERVICE_ROLE}`);
    const asOwner = async <T>(fn: () => Promise<T>): Promise<T> => {
      await db.exec('RESET ROLE');
      try {
        return await fn();
      } finally {
        await db.exec(`SET ROLE ${SERVICE_ROLE}`);
      }
    };
    const owner: SqlDatabase = {
      ...db,
      query: (text, params) => asOwner(() => db.query(text, params)),
      exec: (text) => asOwner(() => db.exec(text)),
      close: async () => undefined,
    };
    return { owner, service: db };
  }
  if (!PG_URL || !PG_SERVICE_URL) {
    throw new Error('REGISTRY_TEST_PG_URL and REGISTRY_TEST_PG_SERVICE_URL must both be set');
  }
  const owner = await freshDatabase('postgres');
  await migrate(owner);
  await grantServiceRole(owner, SERVICE_ROLE);
  const [{ s: schema }] = (await owner.query<{ s: string }>('SELECT current_schema() AS s')) as [
    { s: string },
  ];
  const url = new URL(PG_SERVICE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const service = openPostgres({ url: url.toString(), poolMax: 4, statementTimeoutMs: 10_000 });
  return { owner, service };
}

/** Every database the integration suites run on: PGlite always, PostgreSQL when CI gives one. */
export const DATABASES: DatabaseKind[] = PG_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestRegistry extends Registry {
  readonly db: SqlDatabase;
  readonly store: SqlRegistryStore;
  readonly logs: () => string;
  readonly token: Awaited<ReturnType<typeof testIssuer>>['token'];
  readonly catalogData: Catalog;
  readonly config: RegistryConfig;
  readonly clock: { now: Date };
}

export async function startRegistry(
  opts: {
    kind?: DatabaseKind;
    catalog?: Catalog;
    env?: Record<string, string>;
    loadCatalog?: () => Promise<Catalog>;
    load?: boolean;
    /** A database prepared by the caller (e.g. splitRoleDatabases' service side), migrated. */
    db?: SqlDatabase;
    auditSigner?: AuditSigner;
  } = {},
): Promise<TestRegistry> {
  const catalogData = opts.catalog ?? devCatalog();
  const config = loadConfig({ REGISTRY_LOG_LEVEL: 'debug', ...opts.env });
  const db = opts.db ?? (await freshDatabase(opts.kind ?? 'pglite'));
  if (!opts.db) await migrate(db);
  const clock = { now: new Date('2026-03-01T12:00:00.000Z') };
  const now = () => new Date(clock.now);
  const store = new SqlRegistryStore(db, now);
  const sink = logSink();
  const issuer = await testIssuer(catalogData.identity.issuer);
  const registry = await buildRegistry({
    config,
    store,
    logger: createLogger('debug', sink.stream),
    loadCatalog: opts.loadCatalog ?? (async () => catalogData),
    keySet: issuer.keySet,
    now,
    ...(opts.auditSigner ? { auditSigner: opts.auditSigner } : {}),
  });
  if (opts.load ?? true) await registry.catalog.load();
  return {
    ...registry,
    db,
    store,
    logs: sink.text,
    token: issuer.token,
    catalogData,
    config,
    clock,
  };
}

export const ACME_OWNER = { sub: 'alice', groups: ['/tenants/acme/developers'] };
export const GLOBEX_OWNER = { sub: 'bob', groups: ['/tenants/globex/developers'] };
export const ADMIN = { sub: 'root', roles: ['platform-admin'] };
