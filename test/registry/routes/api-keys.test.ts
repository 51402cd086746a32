import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME_OWNER,
  ADMIN,
  DATABASES,
  GLOBEX_OWNER,
  startRegistry,
  type TestRegistry,
} from '../helpers';

describe.each(DATABASES)('tenant API keys on %s', (kind) => {
  let r: TestRegistry;
  beforeAll(async () => {
    r = await startRegistry({ kind });
  });
  afterAll(() => r.app.close());

  const auth = async (claims: Parameters<TestRegistry['token']>[0]) => ({
    authorization: `Bearer ${await r.token(claims)}`,
  });
  const create = async (
    claims: Parameters<TestRegistry['token']>[0],
    body: object,
    tenant = 'acme',
  ) =>
    r.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenant}/keys`,
      headers: await auth(claims),
      payload: body,
    });

  it('creates a key for an owner and shows the secret exactly once', async () => {
    const res = await create(ACME_OWNER, { name: 'ci', scopes: ['agent:triage'] });
    expect(res.statusCode).toBe(201);
    const { key, secret } = res.json();
    expect(secret).toMatch(/^agr_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(key.prefix)).toBe(true);
    expect(res.headers['cache-control']).toBe('no-store');
    const list = await r.app.inject({
      url: '/v1/tenants/acme/keys',
      headers: await auth(ACME_OWNER),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain('secretHash');
    expect(list.json().items.map((k: { id: string }) => k.id)).toContain(key.id);
  });

  it('stores only the SHA-256 of the key and never logs it', async () => {
    const { secret, key } = (await create(ACME_OWNER, { name: 'hash', scopes: ['mcp:*'] })).json();
    const rows = await r.db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [
      key.id,
    ]);
    const dump = JSON.stringify(rows) + JSON.stringify(await r.db.query('SELECT * FROM audit_log'));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(17));
    const { createHash } = await import('node:crypto');
    expect(rows[0]!.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    await r.app.inject({
      url: '/ext-authz/a2a/acme/triage',
      headers: { authorization: `Bearer ${secret}` },
    });
    await r.app.inject({ url: '/ext-authz/a2a/acme/triage', headers: { 'x-api-key': secret } });
    expect(r.logs()).not.toContain(secret.slice(17));
    expect(r.logs()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('lets a platform admin manage any tenant', async () => {
    const res = await create(ADMIN, { name: 'ops', scopes: ['agent:*'] }, 'globex');
    expect(res.statusCode).toBe(201);
  });

  it('refuses another tenant’s owner with 403 and writes nothing', async () => {
    const before = await r.db.query('SELECT id FROM api_keys');
    const res = await create(GLOBEX_OWNER, { name: 'x', scopes: ['agent:triage'] });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/not in an owner group of tenant acme/);
    expect(await r.db.query('SELECT id FROM api_keys')).toEqual(before);
    const list = await r.app.inject({
      url: '/v1/tenants/acme/keys',
      headers: await auth(GLOBEX_OWNER),
    });
    expect(list.statusCode).toBe(403);
  });

  it('refuses a missing, forged or expired bearer token with 401', async () => {
    const none = await r.app.inject({ url: '/v1/tenants/acme/keys' });
    expect(none.statusCode).toBe(401);
    const forged = await r.app.inject({
      url: '/v1/tenants/acme/keys',
      headers: await auth({ ...ACME_OWNER, iss: 'https://evil.example.com' }),
    });
    expect(forged.statusCode).toBe(401);
    const expired = await r.app.inject({
      url: '/v1/tenants/acme/keys',
      headers: await auth({ ...ACME_OWNER, expiresIn: 1_577_836_800 }),
    });
    expect(expired.statusCode).toBe(401);
  });

  it('refuses scopes that name nothing the tenant publishes', async () => {
    const res = await create(ACME_OWNER, { name: 'x', scopes: ['agent:research-assistant'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(
      /agent:research-assistant name nothing published by tenant acme/,
    );
  });

  it('refuses an expiry in the past or beyond the maximum lifetime', async () => {
    const past = await create(ACME_OWNER, {
      name: 'x',
      scopes: ['agent:*'],
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().message).toMatch(/is in the past/);
    const far = await create(ACME_OWNER, { name: 'x', scopes: ['agent:*'], ttlDays: 3000 });
    expect(far.statusCode).toBe(400);
    expect(far.json().message).toMatch(/maximum key lifetime/);
  });

  it('refuses a body larger than the limit with 413', async () => {
    const res = await create(ACME_OWNER, { name: 'x'.repeat(100_000), scopes: ['agent:*'] });
    expect(res.statusCode).toBe(413);
  });

  it('revokes a key once; a second revoke is a conflict, another tenant’s key is not found', async () => {
    const { key } = (await create(ACME_OWNER, { name: 'rev', scopes: ['agent:*'] })).json();
    const url = `/v1/tenants/acme/keys/${key.id}`;
    const first = await r.app.inject({ method: 'DELETE', url, headers: await auth(ACME_OWNER) });
    expect(first.statusCode).toBe(200);
    expect(first.json().revokedAt).toBe(r.clock.now.toISOString());
    const second = await r.app.inject({ method: 'DELETE', url, headers: await auth(ACME_OWNER) });
    expect(second.statusCode).toBe(409);
    const globexKey = (await create(ADMIN, { name: 'g', scopes: ['agent:*'] }, 'globex')).json()
      .key;
    const cross = await r.app.inject({
      method: 'DELETE',
      url: `/v1/tenants/acme/keys/${globexKey.id}`,
      headers: await auth(ACME_OWNER),
    });
    expect(cross.statusCode).toBe(404);
    const stillActive = await r.store.getKey({ id: globexKey.id });
    expect(stillActive?.revokedAt).toBeUndefined();
  });
});
