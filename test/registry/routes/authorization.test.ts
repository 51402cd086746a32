import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME_OWNER,
  ADMIN,
  DATABASES,
  GLOBEX_OWNER,
  startRegistry,
  type TestRegistry,
} from '../helpers';

describe.each(DATABASES)('gateway authorization and usage on %s', (kind) => {
  let r: TestRegistry;
  let triageKey: string;
  let triageKeyId: string;
  let globexKey: string;
  /** POST /v1/tenants/{tenant}/keys as the platform admin (or `claims`). */
  const createKey = async (
    tenant: string,
    payload: { name: string; scopes: string[]; ttlDays?: number },
    claims = ADMIN,
  ) =>
    r.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenant}/keys`,
      headers: { authorization: `Bearer ${await r.token(claims)}` },
      payload,
    });
  beforeAll(async () => {
    r = await startRegistry({
      kind,
      env: { REGISTRY_KEY_RATE_BURST: '5', REGISTRY_KEY_RATE_PER_SECOND: '1' },
    });
    const mk = async (tenant: string, scopes: string[]) =>
      (await createKey(tenant, { name: 'k', scopes })).json();
    const a = await mk('acme', ['agent:triage']);
    triageKey = a.secret;
    triageKeyId = a.key.id;
    globexKey = (await mk('globex', ['agent:*'])).secret;
  });
  afterAll(() => r.app.close());

  const check = (path: string, headers: Record<string, string>) =>
    r.app.inject({ method: 'POST', url: `/ext-authz${path}`, headers });

  it('allows a key on an agent in its scope and tells the gateway who called', async () => {
    const res = await check('/a2a/acme/triage/v1/message:send', {
      authorization: `Bearer ${triageKey}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-agent-registry-tenant']).toBe('acme');
    expect(res.headers['x-agent-registry-key-id']).toBe(triageKeyId);
  });

  it('writes no request log lines for a check (the gateway logs each call), unlike other routes', async () => {
    // A key of its own: the usage test below counts the checks made with triageKey.
    const k = (await createKey('acme', { name: 'logging', scopes: ['agent:triage'] })).json();
    const before = r.logs().length;
    expect((await check('/a2a/acme/triage/x', { 'x-api-key': k.secret })).statusCode).toBe(200);
    await r.app.inject({ method: 'GET', url: '/v1/agents?limit=1' });
    const lines = r
      .logs()
      .slice(before)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; req?: { url: string } });
    const requestLines = lines.filter((l) => l.msg === 'incoming request').map((l) => l.req?.url);
    expect(requestLines).toEqual(['/v1/agents?limit=1']);
  });

  it('still logs a failed check, with its request id', async () => {
    const before = r.logs().length;
    const get = r.keys.get.bind(r.keys);
    r.keys.get = () => {
      throw new Error('key cache corrupted');
    };
    try {
      const res = await check('/a2a/acme/triage/x', { 'x-api-key': triageKey });
      expect(res.statusCode).toBe(500);
    } finally {
      r.keys.get = get;
    }
    const lines = r
      .logs()
      .slice(before)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; reqId?: string; err?: { message: string } });
    expect(lines).toMatchObject([
      {
        msg: 'request failed',
        reqId: expect.stringMatching(/^req-/),
        err: { message: 'key cache corrupted' },
      },
    ]);
  });

  it('accepts the key in x-api-key as well', async () => {
    expect((await check('/a2a/acme/triage', { 'x-api-key': triageKey })).statusCode).toBe(200);
  });

  it('denies a key outside its scope', async () => {
    const res = await check('/mcp/acme/github-tools/mcp', { authorization: `Bearer ${triageKey}` });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ allow: false, reason: 'out_of_scope' });
  });

  it('denies a key of another tenant (cross-tenant)', async () => {
    const res = await check('/a2a/acme/triage', { authorization: `Bearer ${globexKey}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().reason).toBe('cross_tenant');
  });

  it.each([
    [{}, 401, 'no_credentials'],
    [{ authorization: 'Bearer not-a-jwt' }, 401, 'invalid_token'],
    [{ authorization: 'Bearer agr_nothing' }, 401, 'malformed_key'],
    [{ 'x-api-key': 'agr_short' }, 401, 'malformed_key'],
    [{ 'x-api-key': `agr_000000000000_${'A'.repeat(43)}` }, 403, 'unknown_key'],
  ])('denies %j with %i %s', async (headers, status, reason) => {
    const res = await check('/a2a/acme/triage', headers as Record<string, string>);
    expect(res.statusCode).toBe(status);
    expect(res.json().reason).toBe(reason);
  });

  it('denies a wrong secret for an existing key id', async () => {
    const forged =
      triageKey.slice(0, 18) + (triageKey[18] === 'A' ? 'B' : 'A') + triageKey.slice(19);
    const res = await check('/a2a/acme/triage', { 'x-api-key': forged });
    expect(res.json().reason).toBe('invalid_key');
  });

  it('checks an exposed model with a model-scoped key, and counts it as model usage', async () => {
    const headers = { authorization: `Bearer ${await r.token(ADMIN)}` };
    const k = (await createKey('globex', { name: 'llm', scopes: ['model:claude-sonnet'] })).json();
    const path = '/llm/globex/claude-sonnet/v1/chat/completions';
    const ok = await check(path, { 'x-api-key': k.secret });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-agent-registry-tenant']).toBe('globex');
    // agent:* does not reach models, and a model key does not reach agents.
    expect((await check(path, { 'x-api-key': globexKey })).json().reason).toBe('out_of_scope');
    expect(
      (await check('/a2a/research/research-assistant', { 'x-api-key': k.secret })).json().reason,
    ).toBe('out_of_scope');
    const usage = await r.app.inject({
      url: '/v1/tenants/globex/usage?from=2026-03-01&to=2026-03-01',
      headers,
    });
    expect(
      usage
        .json()
        .rows.find(
          (x: { keyId: string; targetKind: string }) =>
            x.keyId === k.key.id && x.targetKind === 'model',
        ),
    ).toMatchObject({
      targetKind: 'model',
      target: 'claude-sonnet',
      allowed: 1,
    });
  });

  it('refuses a model scope for a model that is not exposed', async () => {
    const res = await createKey('acme', { name: 'llm', scopes: ['model:gpt-4o'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/model:gpt-4o.*exposed models only/);
  });

  it('denies paths that are not a published agent, MCP server or exposed model', async () => {
    for (const p of ['/llm/acme/gpt-4o', '/a2a/acme/nope', '/elsewhere']) {
      expect((await check(p, { 'x-api-key': triageKey })).json().reason).toBe('unknown_route');
    }
  });

  it('lets an owner call the tenant’s own agent with an OIDC token, and no one else', async () => {
    const owner = await check('/a2a/acme/triage', {
      authorization: `Bearer ${await r.token(ACME_OWNER)}`,
    });
    expect(owner.statusCode).toBe(200);
    const other = await check('/a2a/acme/triage', {
      authorization: `Bearer ${await r.token(GLOBEX_OWNER)}`,
    });
    expect(other.json().reason).toBe('not_owner');
  });

  it('denies expired and revoked keys', async () => {
    const headers = { authorization: `Bearer ${await r.token(ADMIN)}` };
    const k = (await createKey('acme', { name: 'short', scopes: ['agent:*'], ttlDays: 1 })).json();
    const saved = r.clock.now;
    r.clock.now = new Date(saved.getTime() + 2 * 86_400_000);
    expect((await check('/a2a/acme/triage', { 'x-api-key': k.secret })).json().reason).toBe(
      'expired',
    );
    r.clock.now = saved;
    await r.app.inject({ method: 'DELETE', url: `/v1/tenants/acme/keys/${k.key.id}`, headers });
    expect((await check('/a2a/acme/triage', { 'x-api-key': k.secret })).json().reason).toBe(
      'revoked',
    );
  });

  it('rate-limits a key with 429 once its burst is spent', async () => {
    const k = (await createKey('acme', { name: 'rl', scopes: ['agent:*'] })).json();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++)
      codes.push((await check('/a2a/acme/triage', { 'x-api-key': k.secret })).statusCode);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes).toContain(429);
  });

  it('counts allowed and denied checks per day, key and agent, for owners only', async () => {
    const url = '/v1/tenants/acme/usage?from=2026-03-01&to=2026-03-01';
    const res = await r.app.inject({
      url,
      headers: { authorization: `Bearer ${await r.token(ACME_OWNER)}` },
    });
    expect(res.statusCode).toBe(200);
    const row = res
      .json()
      .rows.find(
        (x: { keyId: string; target: string }) => x.keyId === triageKeyId && x.target === 'triage',
      );
    expect(row).toMatchObject({ day: '2026-03-01', targetKind: 'agent', allowed: 2 });
    const foreign = await r.app.inject({
      url,
      headers: { authorization: `Bearer ${await r.token(GLOBEX_OWNER)}` },
    });
    expect(foreign.statusCode).toBe(403);
    const swapped = await r.app.inject({
      url: '/v1/tenants/acme/usage?from=2026-03-02&to=2026-03-01',
      headers: { authorization: `Bearer ${await r.token(ACME_OWNER)}` },
    });
    expect(swapped.statusCode).toBe(400);
  });

  it('counts a check on the UTC day it was made, also across midnight', async () => {
    const k = (await createKey('acme', { name: 'midnight', scopes: ['agent:*'] })).json();
    const saved = r.clock.now;
    try {
      r.clock.now = new Date('2026-03-01T23:59:59.900Z');
      expect((await check('/a2a/acme/triage', { 'x-api-key': k.secret })).statusCode).toBe(200);
      r.clock.now = new Date('2026-03-02T00:00:00.100Z');
      expect((await check('/a2a/acme/triage', { 'x-api-key': k.secret })).statusCode).toBe(200);
      expect((await check('/a2a/acme/triage', { 'x-api-key': k.secret })).statusCode).toBe(200);
    } finally {
      r.clock.now = saved;
    }
    const res = await r.app.inject({
      url: '/v1/tenants/acme/usage?from=2026-03-01&to=2026-03-02',
      headers: { authorization: `Bearer ${await r.token(ACME_OWNER)}` },
    });
    const rows = res
      .json()
      .rows.filter((x: { keyId: string }) => x.keyId === k.key.id)
      .map((x: { day: string; allowed: number }) => [x.day, x.allowed]);
    expect(rows.sort()).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 2],
    ]);
  });

  it.each([
    ['x-api-key', 513],
    ['x-agent-registry-source', 65],
    ['authorization', 8193],
  ])('answers 400 invalid_input, not 500, for a %s header over its limit', async (name, n) => {
    const res = await check('/a2a/acme/triage', { [name]: 'k'.repeat(n) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_input',
      message: `header ${name} must be a string of at most ${n - 1} characters`,
    });
  });
});
