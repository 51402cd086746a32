import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '@agentic-platform/agent-registry/store/database';
import { generateKeyPairSync } from 'node:crypto';
import {
  AuditSigner,
  CheckpointVerifier,
} from '@agentic-platform/agent-registry/services/audit-signer';
import { auditHash, GENESIS_HASH } from '@agentic-platform/agent-registry/store/sql-registry-store';
import { openStore } from '@agentic-platform/agent-registry/store/open';
import { loadConfig } from '@agentic-platform/agent-registry/config';
import {
  ADMIN,
  DATABASES,
  PG_URL,
  splitRoleDatabases,
  startRegistry,
  type TestRegistry,
} from '../helpers';

interface Row {
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

/**
 * What the attacker did as the table owner: change rows behind the trigger and
 * recompute every hash after them, so the chain alone still links.
 */
async function rewriteAsOwner(owner: SqlDatabase, edit: (rows: Row[]) => Row[]): Promise<void> {
  const rows = edit(await owner.query<Row>('SELECT * FROM audit_log ORDER BY seq'));
  await owner.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
  await owner.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate');
  await owner.exec('TRUNCATE audit_log');
  let prev = GENESIS_HASH;
  let seq = 0;
  for (const r of rows) {
    seq++;
    const entry = {
      seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      ...(r.tenant !== null ? { tenant: r.tenant } : {}),
      subject: r.subject,
      details: JSON.parse(r.details) as Record<string, unknown>,
      prevHash: prev,
    };
    const hash = auditHash(entry);
    await owner.query(
      `INSERT INTO audit_log (seq, at, actor, action, tenant, subject, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [seq, r.at, r.actor, r.action, r.tenant, r.subject, r.details, prev, hash],
    );
    prev = hash;
  }
  await owner.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  await owner.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate');
}

async function dropCheckpointsAsOwner(owner: SqlDatabase, fromSeq: number): Promise<void> {
  await owner.exec('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
  await owner.query('DELETE FROM audit_checkpoints WHERE seq >= $1', [fromSeq]);
  await owner.exec('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
}

describe.each(DATABASES)('the audit log, the service as an insert-only role, on %s', (kind) => {
  let owner: SqlDatabase;
  let r: TestRegistry;
  let admin: Record<string, string>;
  const signer = AuditSigner.ephemeral();
  const verify = async (anchors?: unknown[]) =>
    (
      await r.app.inject(
        anchors
          ? { method: 'POST', url: '/v1/audit/verify', headers: admin, payload: { anchors } }
          : { url: '/v1/audit/verify', headers: admin },
      )
    ).json();
  const createKeys = async (names: string[]) => {
    for (const name of names) {
      const res = await r.app.inject({
        method: 'POST',
        url: '/v1/tenants/acme/keys',
        headers: admin,
        payload: { name, scopes: ['agent:*'] },
      });
      expect(res.statusCode).toBe(201);
    }
  };
  const anchor = async () => {
    const res = await r.app.inject({ url: '/v1/audit/checkpoint', headers: admin });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    const dbs = await splitRoleDatabases(kind);
    owner = dbs.owner;
    r = await startRegistry({ kind, db: dbs.service, auditSigner: signer });
    admin = { authorization: `Bearer ${await r.token(ADMIN)}` };
  });
  afterAll(async () => {
    await r.app.close();
    await owner.close();
  });

  it('lets PostgreSQL itself refuse the service role any change to a logged row', async () => {
    await createKeys(['a', 'b']);
    expect(await r.db.query('SELECT current_user AS u')).toEqual([{ u: 'registry_service' }]);
    // 42501 insufficient_privilege from the privilege check, before any trigger runs.
    for (const sql of [
      "UPDATE audit_log SET actor = 'mallory'",
      'DELETE FROM audit_log WHERE seq = 1',
      'TRUNCATE audit_log',
      "UPDATE audit_checkpoints SET hash = 'x'",
      'DELETE FROM audit_checkpoints',
    ]) {
      await expect(r.db.query(sql), sql).rejects.toThrow(/permission denied for table audit_/);
    }
    // Not the owner: it cannot switch the append-only triggers off either.
    await expect(
      r.db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'),
    ).rejects.toThrow(/must be owner of table audit_log/);
    await expect(r.db.query('DELETE FROM api_keys')).rejects.toThrow(/permission denied/);
  });

  it('works as that role: writes, anchors the head with a signature and verifies', async () => {
    const c = await anchor();
    expect(c).toMatchObject({ seq: 2, keyId: signer.keyId });
    expect(signer.verifier.verify(c)).toBe(true);
    expect(await r.store.listCheckpoints()).toEqual([c]);
    expect(r.logs()).toMatch(/"auditCheckpoint":\{[^}]*"seq":2/);
    expect(await verify()).toMatchObject({ ok: true, entries: 2, anchoredSeq: 2 });
  });

  it('detects an owner who edits a row and recomputes every hash after it', async () => {
    await createKeys(['c']);
    const archived = await anchor();
    expect(archived.seq).toBe(3);
    await rewriteAsOwner(owner, (rows) =>
      rows.map((row) =>
        Number(row.seq) === 2 ? { ...row, details: '{"name":"forged","scopes":["agent:*"]}' } : row,
      ),
    );
    // The chain alone links again: only the signed heads catch the rewrite, from the first
    // checkpoint at or after the edited row (seq 2 was anchored by the previous test).
    expect(await verify()).toEqual({
      ok: false,
      entries: 3,
      brokenAt: 2,
      reason: 'checkpoint_mismatch',
    });
    // And no new checkpoint is signed over the rewritten chain.
    const refused = await r.app.inject({ url: '/v1/audit/checkpoint', headers: admin });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/no longer has the hash checkpoint 3 signed/);
  });

  it('detects reordered rows, even with the hashes recomputed', async () => {
    await rewriteAsOwner(owner, (rows) => [rows[1]!, rows[0]!, rows[2]!]);
    expect(await verify()).toMatchObject({ ok: false, reason: 'checkpoint_mismatch' });
  });
});

describe.each(DATABASES)('a truncated audit tail on %s', (kind) => {
  it('is caught by the anchors outside the table once its stored checkpoints are gone too', async () => {
    const { owner, service } = await splitRoleDatabases(kind);
    const signer = AuditSigner.ephemeral();
    const r = await startRegistry({ kind, db: service, auditSigner: signer });
    const admin = { authorization: `Bearer ${await r.token(ADMIN)}` };
    for (const name of ['a', 'b', 'c']) {
      await r.app.inject({
        method: 'POST',
        url: '/v1/tenants/acme/keys',
        headers: admin,
        payload: { name, scopes: ['agent:*'] },
      });
    }
    const archived = (await r.app.inject({ url: '/v1/audit/checkpoint', headers: admin })).json();
    expect(archived.seq).toBe(3);
    // The owner cuts the last entry and every checkpoint that names it.
    await owner.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await owner.query('DELETE FROM audit_log WHERE seq = 3');
    await owner.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    await dropCheckpointsAsOwner(owner, 3);
    // The replica that anchored seq 3 holds it in memory.
    const live = (await r.app.inject({ url: '/v1/audit/verify', headers: admin })).json();
    expect(live).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: 'truncated' });
    r.store.close = async () => undefined; // the next replica shares the connection
    await r.app.close();

    // A replica started afterwards has no memory of it: the table alone looks whole, which is
    // why the checkpoint is also archived outside the database and handed to verify.
    const fresh = await startRegistry({ kind, db: service, auditSigner: signer });
    const freshAdmin = { authorization: `Bearer ${await fresh.token(ADMIN)}` };
    expect(
      (await fresh.app.inject({ url: '/v1/audit/verify', headers: freshAdmin })).json(),
    ).toMatchObject({ ok: true, entries: 2 });
    const withArchive = await fresh.app.inject({
      method: 'POST',
      url: '/v1/audit/verify',
      headers: freshAdmin,
      payload: { anchors: [archived] },
    });
    expect(withArchive.json()).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: 'truncated' });

    // An anchor this registry's key did not sign is refused, not trusted.
    const forged = AuditSigner.ephemeral().sign({ seq: 9, hash: archived.hash }, new Date());
    const refused = await fresh.app.inject({
      method: 'POST',
      url: '/v1/audit/verify',
      headers: freshAdmin,
      payload: { anchors: [forged] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/seq 9 .* is not signed by this registry's audit key/);
    // A checkpoint the owner plants in the table with another key is reported, not trusted.
    await owner.query(
      'INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
      [forged.seq, forged.hash, forged.at, forged.keyId, forged.signature],
    );
    expect(
      (await fresh.app.inject({ url: '/v1/audit/verify', headers: freshAdmin })).json(),
    ).toEqual({ ok: false, entries: 2, brokenAt: 9, reason: 'bad_checkpoint_signature' });
    await fresh.app.close();
    await owner.close();
  });
});

describe.each(DATABASES.filter((k) => k === 'postgres'))('startup as the service role', () => {
  it('refuses to start while migrations are pending, naming them and what to run', async () => {
    const url = new URL(PG_URL!);
    url.searchParams.set('options', '-c search_path=no_such_schema');
    const config = loadConfig({
      REGISTRY_DATABASE: 'postgres',
      REGISTRY_DATABASE_URL: url.toString(),
      REGISTRY_DATABASE_MIGRATIONS: 'require',
      REGISTRY_AUDIT_SIGNING_KEY_FILE: '/dev/null',
    });
    await expect(openStore(config)).rejects.toThrow(
      /lacks migrations 0001_keys_usage_audit, .*run packages\/agent-registry\/dist\/migrate.js as the schema owner/,
    );
  });
});

describe('AuditSigner', () => {
  it('refuses a signing key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() =>
      AuditSigner.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    ).toThrow(/the audit signing key must be Ed25519, got ec/);
  });

  it('signs checkpoints only its own public key verifies, over every field', () => {
    const signer = AuditSigner.ephemeral();
    const c = signer.sign({ seq: 7, hash: 'a'.repeat(64) }, new Date('2026-01-01T00:00:00Z'));
    expect(signer.verifier.verify(c)).toBe(true);
    expect(signer.verifier.verify({ ...c, seq: 8 })).toBe(false);
    expect(signer.verifier.verify({ ...c, hash: 'b'.repeat(64) })).toBe(false);
    expect(AuditSigner.ephemeral().verifier.verify(c)).toBe(false);
    // An auditor's copy needs only the public key (cert-manager's tls.crt would do too).
    const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(CheckpointVerifier.fromPem([pem]).verify(c)).toBe(true);
  });
});
