import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { SqlDatabase, SqlExecutor } from './database.js';
import { AUDIT_CHAIN_LOCK_ID, KEY_CHANGES_CHANNEL } from './migrations.js';
import type {
  ApiKeyRecord,
  AuditCheckpoint,
  AuditEntry,
  AuditInput,
  RegistryStore,
  ServerVersionRecord,
  TargetKind,
  UsageIncrement,
  UsageRow,
} from './registry-store.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of one audit row: SHA-256 over the canonical JSON of every field but itself. */
export function auditHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        tenant: e.tenant ?? null,
        subject: e.subject,
        details: e.details,
        prevHash: e.prevHash,
      }),
    )
    .digest('hex');
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

interface KeyRow {
  id: string;
  tenant: string;
  name: string;
  secret_hash: string;
  scopes: string[] | string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

function toKey(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    tenant: r.tenant,
    name: r.name,
    secretHash: r.secret_hash,
    scopes: typeof r.scopes === 'string' ? (JSON.parse(r.scopes) as string[]) : r.scopes,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    ...(r.revoked_at ? { revokedAt: iso(r.revoked_at) } : {}),
    ...(r.revoked_by ? { revokedBy: r.revoked_by } : {}),
  };
}

interface AuditRow {
  seq: string | number;
  at: string;
  actor: string;
  action: string;
  tenant: string | null;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function toAudit(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    ...(r.tenant !== null ? { tenant: r.tenant } : {}),
    subject: r.subject,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** RegistryStore on PostgreSQL (a server through pg, or embedded PGlite). */
export class SqlRegistryStore implements RegistryStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends one entry to the chain inside `tx`; the advisory lock serialises writers. */
  private async appendAudit(tx: SqlExecutor, input: AuditInput): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_ID]);
    const last = await tx.query<{ seq: string | number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    const prev = last[0];
    const entry = {
      seq: prev ? Number(prev.seq) + 1 : 1,
      at: this.now().toISOString(),
      actor: input.actor,
      action: input.action,
      ...(input.tenant !== undefined ? { tenant: input.tenant } : {}),
      subject: input.subject,
      // Round-trip through JSON so what is hashed is exactly what is read back.
      details: JSON.parse(canonicalJson(input.details)) as Record<string, unknown>,
      prevHash: prev ? prev.hash : GENESIS_HASH,
    };
    await tx.query(
      `INSERT INTO audit_log (seq, at, actor, action, tenant, subject, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.tenant ?? null,
        entry.subject,
        canonicalJson(entry.details),
        entry.prevHash,
        auditHash(entry),
      ],
    );
  }

  async createKey(key: ApiKeyRecord, audit: AuditInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO api_keys (id, tenant, name, secret_hash, scopes, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
        [
          key.id,
          key.tenant,
          key.name,
          key.secretHash,
          JSON.stringify(key.scopes),
          key.createdBy,
          key.createdAt,
          key.expiresAt,
        ],
      );
      await this.appendAudit(tx, audit);
    });
  }

  async getKey(opts: { id: string }): Promise<ApiKeyRecord | undefined> {
    const rows = await this.db.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [opts.id]);
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  async listKeys(opts: { tenant: string }): Promise<ApiKeyRecord[]> {
    const rows = await this.db.query<KeyRow>(
      'SELECT * FROM api_keys WHERE tenant = $1 ORDER BY created_at, id',
      [opts.tenant],
    );
    return rows.map(toKey);
  }

  async listKeysChangedSince(
    since: Date | undefined,
    visit: (k: ApiKeyRecord) => void,
  ): Promise<void> {
    if (since) {
      const rows = await this.db.query<KeyRow>('SELECT * FROM api_keys WHERE changed_at >= $1', [
        since.toISOString(),
      ]);
      for (const row of rows) visit(toKey(row));
      return;
    }
    // Every key, a page at a time: each query stays far inside the statement timeout at
    // 100,000 keys and more, and each page is garbage once visited (accumulated, the full
    // records of 100,000 keys were the start's peak).
    for (let after = ''; ;) {
      const rows = await this.db.query<KeyRow>(
        'SELECT * FROM api_keys WHERE id > $1 ORDER BY id LIMIT 5000',
        [after],
      );
      for (const row of rows) visit(toKey(row));
      if (rows.length < 5000) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  listenKeyChanges(
    onKey: (id: string) => void,
    onReconnect: () => void,
  ): Promise<() => Promise<void>> {
    return this.db.listen(KEY_CHANGES_CHANNEL, onKey, onReconnect);
  }

  async revokeKey(
    opts: { tenant: string; id: string; at: string; by: string },
    audit: AuditInput,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE api_keys SET revoked_at = $3, revoked_by = $4
         WHERE tenant = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
        [opts.tenant, opts.id, opts.at, opts.by],
      );
      if (rows.length === 0) return false;
      await this.appendAudit(tx, audit);
      return true;
    });
  }

  async countKeys(opts: { now: string }) {
    const rows = await this.db.query<{ active: string; revoked: string; expired: string }>(
      `SELECT
         count(*) FILTER (WHERE revoked_at IS NULL AND expires_at > $1)::text AS active,
         count(*) FILTER (WHERE revoked_at IS NOT NULL)::text AS revoked,
         count(*) FILTER (WHERE revoked_at IS NULL AND expires_at <= $1)::text AS expired
       FROM api_keys`,
      [opts.now],
    );
    const r = rows[0]!;
    return { active: Number(r.active), revoked: Number(r.revoked), expired: Number(r.expired) };
  }

  async addUsage(rows: readonly UsageIncrement[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const r of rows) {
        await tx.query(
          `INSERT INTO usage_daily (day, tenant, key_id, target_kind, target, allowed, denied)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant, day, key_id, target_kind, target) DO UPDATE
           SET allowed = usage_daily.allowed + EXCLUDED.allowed,
               denied = usage_daily.denied + EXCLUDED.denied`,
          [r.day, r.tenant, r.keyId, r.targetKind, r.target, r.allowed, r.denied],
        );
      }
    });
  }

  async listUsage(opts: { tenant: string; from: string; to: string }): Promise<UsageRow[]> {
    const rows = await this.db.query<{
      day: string;
      tenant: string;
      key_id: string;
      target_kind: TargetKind;
      target: string;
      allowed: string | number;
      denied: string | number;
    }>(
      `SELECT * FROM usage_daily WHERE tenant = $1 AND day >= $2 AND day <= $3
       ORDER BY day, key_id, target_kind, target`,
      [opts.tenant, opts.from, opts.to],
    );
    return rows.map((r) => ({
      day: r.day,
      tenant: r.tenant,
      keyId: r.key_id,
      targetKind: r.target_kind,
      target: r.target,
      allowed: Number(r.allowed),
      denied: Number(r.denied),
    }));
  }

  async listAudit(opts: { afterSeq: number; limit: number }): Promise<AuditEntry[]> {
    const rows = await this.db.query<AuditRow>(
      'SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
      [opts.afterSeq, opts.limit],
    );
    return rows.map(toAudit);
  }

  async scanAudit(visit: (entry: AuditEntry) => void, pageSize = 1_000): Promise<void> {
    let after = 0;
    for (;;) {
      const page = await this.listAudit({ afterSeq: after, limit: pageSize });
      for (const e of page) visit(e);
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    const rows = await this.db.query<{ seq: string | number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
  }

  async addCheckpoint(c: AuditCheckpoint): Promise<void> {
    // Replicas anchoring the same head write the same seq: the first one stands.
    await this.db.query(
      `INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (seq) DO NOTHING`,
      [c.seq, c.hash, c.at, c.keyId, c.signature],
    );
  }

  async listCheckpoints(): Promise<AuditCheckpoint[]> {
    const rows = await this.db.query<{
      seq: string | number;
      hash: string;
      at: string;
      key_id: string;
      signature: string;
    }>('SELECT * FROM audit_checkpoints ORDER BY seq');
    return rows.map((r) => ({
      seq: Number(r.seq),
      hash: r.hash,
      at: r.at,
      keyId: r.key_id,
      signature: r.signature,
    }));
  }

  async syncServerVersions(
    docs: readonly { name: string; version: string; document: string; contentHash: string }[],
    at: string,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const d of docs) {
        // First sight publishes the version; a changed document for the same version updates
        // it; an unchanged one is left alone so updatedAt means "the content changed".
        await tx.query(
          `INSERT INTO mcp_server_versions (name, version, document, content_hash, published_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (name, version) DO UPDATE
           SET document = EXCLUDED.document, content_hash = EXCLUDED.content_hash,
               updated_at = EXCLUDED.updated_at
           WHERE mcp_server_versions.content_hash <> EXCLUDED.content_hash`,
          [d.name, d.version, d.document, d.contentHash, at],
        );
      }
    });
  }

  async listServerVersions(): Promise<ServerVersionRecord[]> {
    const rows = await this.db.query<{
      name: string;
      version: string;
      document: string;
      content_hash: string;
      published_at: Date;
      updated_at: Date;
    }>('SELECT * FROM mcp_server_versions ORDER BY name, published_at, version');
    return rows.map((r) => ({
      name: r.name,
      version: r.version,
      document: r.document,
      contentHash: r.content_hash,
      publishedAt: iso(r.published_at),
      updatedAt: iso(r.updated_at),
    }));
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
