import { describe, expect, it } from 'vitest';
import { ADMIN, startRegistry } from '../helpers';

describe('health, readiness and metrics', () => {
  it('is live at once but not ready until the catalog is loaded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = await startRegistry({
      load: false,
      loadCatalog: async () => {
        await gate;
        return (await import('../helpers')).devCatalog();
      },
    });
    expect((await r.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const loading = r.catalog.load();
    const notReady = await r.app.inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().message).toMatch(/catalog has not been loaded/);
    expect((await r.app.inject({ url: '/v1/agents' })).statusCode).toBe(503);
    release();
    await loading;
    expect((await r.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await r.app.close();
  });

  it('is not ready, with 503 and a reason, while the database does not answer', async () => {
    const r = await startRegistry();
    expect(await r.readiness()).toBe('ready');
    r.store.ping = async () => {
      throw new Error('connection terminated');
    };
    const res = await r.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: 'not_ready', message: 'the database did not answer' });
    expect(await r.readiness()).toBe('database_unreachable');
    await r.app.close();
  });

  it('keeps serving the previous catalog when a reload fails', async () => {
    let fail = false;
    const r = await startRegistry({
      loadCatalog: async () => {
        if (fail) throw new Error('catalog file vanished');
        return (await import('../helpers')).devCatalog();
      },
    });
    fail = true;
    await expect(r.catalog.load()).rejects.toThrow(/vanished/);
    expect((await r.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await r.app.close();
  });

  it('exposes latency, auth decisions, keys and catalog size', async () => {
    const r = await startRegistry();
    await r.app.inject({
      method: 'POST',
      url: '/v1/tenants/acme/keys',
      headers: { authorization: `Bearer ${await r.token(ADMIN)}` },
      payload: { name: 'm', scopes: ['agent:*'] },
    });
    await r.app.inject({ url: '/ext-authz/a2a/acme/triage' });
    const res = await r.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(
      /agent_registry_http_request_duration_seconds_bucket\{.*route="\/v1\/tenants\/:tenant\/keys"/,
    );
    expect(res.body).toMatch(
      /agent_registry_auth_decisions_total\{decision="deny",reason="no_credentials"\} 1/,
    );
    expect(res.body).toMatch(
      /agent_registry_http_request_duration_seconds_count\{method="POST",route="\/v1\/tenants\/:tenant\/keys",status="201"\} 1/,
    );
    expect(res.body).toMatch(/agent_registry_api_keys\{state="active"\} 1/);
    expect(res.body).toMatch(
      new RegExp(
        `agent_registry_catalog_entries\\{kind="agents"\\} ${r.catalogData.agents.length}`,
      ),
    );
    await r.app.close();
  });

  it('counts each gateway decision once, across scrapes, by outcome and reason', async () => {
    const r = await startRegistry();
    const key = await r.app.inject({
      method: 'POST',
      url: '/v1/tenants/acme/keys',
      headers: { authorization: `Bearer ${await r.token(ADMIN)}` },
      payload: { name: 'm', scopes: ['agent:triage'] },
    });
    const secret = key.json().secret as string;
    const check = (path: string) =>
      r.app.inject({ url: `/ext-authz${path}`, headers: { 'x-api-key': secret } });
    await check('/a2a/acme/triage/x');
    await check('/a2a/acme/triage/y');
    await check('/mcp/acme/github-tools/mcp');
    const decisions = async () =>
      (await r.app.inject({ url: '/metrics' })).body
        .split('\n')
        .filter((l) => l.startsWith('agent_registry_auth_decisions_total{'));
    const first = await decisions();
    expect(first).toEqual([
      'agent_registry_auth_decisions_total{decision="allow",reason="ok"} 2',
      'agent_registry_auth_decisions_total{decision="deny",reason="out_of_scope"} 1',
    ]);
    expect(await decisions()).toEqual(first);
    await check('/a2a/acme/triage/z');
    expect(await decisions()).toContain(
      'agent_registry_auth_decisions_total{decision="allow",reason="ok"} 3',
    );
    await r.app.close();
  });

  it('reports not ready once shutdown has begun', async () => {
    const r = await startRegistry();
    let during: number | undefined;
    r.app.addHook('onClose', async () => {
      during = r.lifecycle.closing ? 503 : 200;
    });
    await r.app.close();
    expect(during).toBe(503);
  });

  it('finishes an in-flight write during shutdown and keeps it', async () => {
    const r = await startRegistry({ kind: 'pglite' });
    const address = await r.app.listen({ port: 0, host: '127.0.0.1' });
    const token = await r.token(ADMIN);
    const original = r.store.createKey.bind(r.store);
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    r.store.createKey = async (...args) => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return original(...args);
    };
    const pending = fetch(`${address}/v1/tenants/acme/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'late', scopes: ['agent:*'] }),
    });
    await inside;
    // Keep the database open past close() to look at what was committed.
    r.store.close = async () => undefined;
    const closing = r.app.close();
    const res = await pending;
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: { id: string } };
    await closing;
    const rows = await r.db.query('SELECT id FROM api_keys WHERE id = $1', [key.id]);
    expect(rows).toHaveLength(1);
    await r.db.close();
  });
});
