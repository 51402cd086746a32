import type { SqlDatabase, SqlExecutor } from './database.js';

/** Advisory lock ids, fixed so every replica contends for the same lock. */
export const MIGRATION_LOCK_ID = 7_262_001;
export const AUDIT_CHAIN_LOCK_ID = 7_262_002;

/** NOTIFY channel of key writes; the payload is the key id. */
export const KEY_CHANGES_CHANNEL = 'registry_api_keys';

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/**
 * The schema, as append-only migrations. The same SQL runs on PGlite and PostgreSQL; never
 * edit a released migration, add a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_keys_usage_audit',
    sql: `
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  name text NOT NULL,
  -- SHA-256 of the whole key, hex. The key itself is shown once and never stored.
  secret_hash text NOT NULL,
  scopes jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by text
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created_at, id);

CREATE TABLE usage_daily (
  day text NOT NULL,
  tenant text NOT NULL,
  key_id text NOT NULL,
  target_kind text NOT NULL,
  target text NOT NULL,
  allowed bigint NOT NULL DEFAULT 0,
  denied bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, day, key_id, target_kind, target)
);

CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  tenant text,
  subject text NOT NULL,
  -- Canonical JSON, stored as text so the hashed bytes are exactly what is read back.
  details text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);

-- Append-only, enforced by the database: the service has no code path that changes a row,
-- and neither does anyone else short of disabling the trigger, which the hash chain reveals.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE mcp_server_versions (
  name text NOT NULL,
  version text NOT NULL,
  document text NOT NULL,
  content_hash text NOT NULL,
  published_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (name, version)
);
`,
  },
  {
    // Keys are served from memory (services/key-cache.ts): every write stamps changed_at and
    // notifies the replicas at commit; changed_at also drives the periodic catch-up.
    id: '0002_api_key_changes',
    sql: `
ALTER TABLE api_keys ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX api_keys_by_change ON api_keys (changed_at);
CREATE FUNCTION api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_at := clock_timestamp();
  PERFORM pg_notify('${KEY_CHANGES_CHANNEL}', NEW.id);
  RETURN NEW;
END
$$;
CREATE TRIGGER api_keys_changed BEFORE INSERT OR UPDATE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_changed();
`,
  },
  {
    // Signed checkpoints of the audit chain's head (services/audit-checkpoints.ts): the key
    // that signs them lives outside the database, so whoever can rewrite audit_log (its
    // owner) cannot produce a checkpoint over the rewritten chain. Append-only like the log.
    id: '0003_audit_checkpoints',
    sql: `
CREATE TABLE audit_checkpoints (
  seq bigint PRIMARY KEY,
  hash text NOT NULL,
  at text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
`,
  },
];

/**
 * What the service's own database role may do, table by table; the owner (migrations) may do
 * everything. The audit tables are SELECT and INSERT only, so the role the service runs as
 * cannot change or remove a logged row (PostgreSQL refuses it before any trigger runs), and,
 * not owning them, cannot disable their triggers either. Keys are revoked by UPDATE, never
 * deleted.
 */
export const SERVICE_ROLE_GRANTS: Readonly<Record<string, readonly string[]>> = {
  schema_migrations: ['SELECT'],
  api_keys: ['SELECT', 'INSERT', 'UPDATE'],
  usage_daily: ['SELECT', 'INSERT', 'UPDATE'],
  audit_log: ['SELECT', 'INSERT'],
  audit_checkpoints: ['SELECT', 'INSERT'],
  mcp_server_versions: ['SELECT', 'INSERT', 'UPDATE'],
};

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Gives `role` exactly SERVICE_ROLE_GRANTS on the current schema's tables (everything else it
 * held on them is revoked first), in one transaction. Run by the owner after `migrate`, every
 * time, so a table added by a later migration is granted with the release that adds it.
 */
export async function grantServiceRole(db: SqlDatabase, role: string): Promise<void> {
  const r = quoteIdent(role);
  await db.transaction(async (tx) => {
    const [schema] = await tx.query<{ s: string }>('SELECT current_schema() AS s');
    await tx.exec(`GRANT USAGE ON SCHEMA ${quoteIdent(schema!.s)} TO ${r}`);
    for (const [table, privileges] of Object.entries(SERVICE_ROLE_GRANTS)) {
      await tx.exec(`REVOKE ALL ON ${quoteIdent(table)} FROM ${r}`);
      await tx.exec(`GRANT ${privileges.join(', ')} ON ${quoteIdent(table)} TO ${r}`);
    }
  });
}

/** The migrations not yet applied (the service, not owning the schema, refuses to start then). */
export async function pendingMigrations(
  db: SqlExecutor,
  migrations = MIGRATIONS,
): Promise<string[]> {
  const exists = await db.query<{ t: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (!exists[0]?.t) return migrations.map((m) => m.id);
  const done = new Set(
    (await db.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id),
  );
  return migrations.filter((m) => !done.has(m.id)).map((m) => m.id);
}

/** REGISTRY_DATABASE_MIGRATION_TIMEOUT_MS's default: five minutes a statement. */
export const MIGRATION_TIMEOUT_MS = 300_000;

/**
 * Applies the pending migrations under a session advisory lock, so replicas starting
 * together apply each migration exactly once; each migration commits atomically. Every
 * statement of it, the lock wait included, runs under `timeoutMs` instead of the pool's
 * request timeout; the connection gets the pool's back before it is released.
 */
export async function migrate(
  db: SqlDatabase,
  migrations = MIGRATIONS,
  timeoutMs = MIGRATION_TIMEOUT_MS,
): Promise<string[]> {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new Error(
      `migrate: timeoutMs must be a positive integer of milliseconds, got ${timeoutMs}`,
    );
  }
  return db.session(async (s) => {
    await s.exec(`SET statement_timeout = ${timeoutMs}`);
    try {
      return await migrateLocked(s, migrations);
    } finally {
      await s.exec('RESET statement_timeout');
    }
  });
}

async function migrateLocked(s: SqlExecutor, migrations: readonly Migration[]): Promise<string[]> {
  await s.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
  try {
    await s.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await s.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await s.exec(
        `BEGIN;\n${m.sql}\nINSERT INTO schema_migrations (id) VALUES ('${m.id.replace(/'/g, "''")}');\nCOMMIT;`,
      );
      applied.push(m.id);
    }
    return applied;
  } catch (err) {
    await s.exec('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await s.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
  }
}
