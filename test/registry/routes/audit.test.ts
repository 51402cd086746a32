import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_OWNER, ADMIN, DATABASES, startRegistry, type TestRegistry } from '../helpers';

describe.each(DATABASES)('audit log on %s', (kind) => {
  let r: TestRegistry;
  let admin: Record<string, string>;
  beforeAll(async () => {
    r = await startRegistry({ kind });
    admin = { authorization: `Bearer ${await r.token(ADMIN)}` };
    for (const name of ['a', 'b', 'c']) {
      const created = await r.app.inject({
        method: 'POST',
        url: '/v1/tenants/acme/keys',
        headers: admin,
        payload: { name, scopes: ['agent:*'] },
      });
      if (name === 'b') {
        await r.app.inject({
          method: 'DELETE',
          url: `/v1/tenants/acme/keys/${created.json().key.id}`,
          headers: admin,
        });
      }
    }
  });
  afterAll(() => r.app.close());

  it('records every mutation in order with a chained hash', async () => {
    const res = await r.app.inject({ url: '/v1/audit', headers: admin });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((e: { action: string }) => e.action)).toEqual([
      'api_key.create',
      'api_key.create',
      'api_key.revoke',
      'api_key.create',
    ]);
    expect(items[0].prevHash).toBe('0'.repeat(64));
    expect(items[1].prevHash).toBe(items[0].hash);
    expect(items[0].actor).toBe('root (root)');
  });

  it('pages with after and limit', async () => {
    const page = (await r.app.inject({ url: '/v1/audit?limit=2', headers: admin })).json();
    expect(page.items).toHaveLength(2);
    const next = (
      await r.app.inject({ url: `/v1/audit?after=${page.nextAfter}`, headers: admin })
    ).json();
    expect(next.items[0].seq).toBe(3);
  });

  it('verifies an intact chain', async () => {
    const res = await r.app.inject({ url: '/v1/audit/verify', headers: admin });
    expect(res.json()).toMatchObject({ ok: true, entries: 4 });
  });

  it('is reserved to platform admins', async () => {
    const owner = { authorization: `Bearer ${await r.token(ACME_OWNER)}` };
    expect((await r.app.inject({ url: '/v1/audit', headers: owner })).statusCode).toBe(403);
    expect((await r.app.inject({ url: '/v1/audit/verify', headers: owner })).statusCode).toBe(403);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    await expect(r.db.query("UPDATE audit_log SET actor = 'mallory'")).rejects.toThrow(
      /append-only/,
    );
    await expect(r.db.query('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(r.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('reports the first broken link after a row is edited behind the trigger’s back', async () => {
    // The table owner can disable the trigger; the chain is what catches that.
    await r.db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await r.db.query(`UPDATE audit_log SET details = '{"name":"forged"}' WHERE seq = 2`);
    await r.db.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const res = await r.app.inject({ url: '/v1/audit/verify', headers: admin });
    expect(res.json()).toEqual({ ok: false, entries: 4, brokenAt: 2, reason: 'hash_mismatch' });
  });

  it('reports a deleted row as a sequence gap', async () => {
    await r.db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await r.db.query('DELETE FROM audit_log WHERE seq = 1');
    await r.db.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const res = await r.app.inject({ url: '/v1/audit/verify', headers: admin });
    expect(res.json()).toMatchObject({ ok: false, brokenAt: 1, reason: 'sequence_gap' });
  });
});
