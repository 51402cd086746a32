import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPage, mcpServerPage } from '@agentic-platform/agent-registry/routes/schemas';
import { startRegistry, type TestRegistry } from '../helpers';

describe('catalog API', () => {
  let r: TestRegistry;
  beforeAll(async () => {
    r = await startRegistry();
  });
  afterAll(() => r.app.close());

  it('lists the tenants of the dev environment, sorted', async () => {
    const res = await r.app.inject({ url: '/v1/tenants' });
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((t: { name: string }) => t.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('acme');
  });

  it('gets one tenant with its owner groups', async () => {
    const res = await r.app.inject({ url: '/v1/tenants/acme' });
    expect(res.statusCode).toBe(200);
    // The tenant's admins and developers (src/model/identity.ts).
    expect(res.json().owners).toEqual(['/tenants/acme/admins', '/tenants/acme/developers']);
  });

  it('answers 404 with a message for a tenant that is not in the catalog', async () => {
    const res = await r.app.inject({ url: '/v1/tenants/nobody' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'not_found',
      message: 'tenant "nobody" is not in the catalog',
    });
  });

  it('lists agents with their public gateway URL', async () => {
    const res = await r.app.inject({ url: '/v1/agents?tenant=acme' });
    const triage = res.json().items.find((a: { name: string }) => a.name === 'triage');
    expect(triage.route).toEqual({
      path: '/a2a/acme/triage',
      url: `https://${r.catalogData.gateway.publicHost}/a2a/acme/triage`,
    });
  });

  it('filters by tenant and searches text', async () => {
    const byTenant = await r.app.inject({ url: '/v1/mcp-servers?tenant=acme' });
    expect(byTenant.json().items.every((s: { tenant: string }) => s.tenant === 'acme')).toBe(true);
    const search = await r.app.inject({ url: '/v1/agents?q=TRIAGES' });
    expect(search.json().items.map((a: { name: string }) => a.name)).toEqual(['triage']);
  });

  it('pages with an opaque cursor until the list is exhausted', async () => {
    const all = (await r.app.inject({ url: '/v1/models?limit=100' })).json().items;
    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      const res = await r.app.inject({
        url: `/v1/models?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const body = res.json();
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(1);
  });

  it('sends agent and MCP server pages byte for byte as the page schema serializes them', async () => {
    for (const [url, schema] of [
      ['/v1/agents?limit=1', agentPage],
      ['/v1/mcp-servers?limit=1', mcpServerPage],
    ] as const) {
      // Twice: the second answer comes from the entries' cached JSON.
      for (let i = 0; i < 2; i++) {
        const res = await r.app.inject({ url });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        const body = res.json();
        expect(body.items).toHaveLength(1);
        expect(body.nextCursor).toEqual(expect.any(String));
        expect(res.body).toBe(JSON.stringify(schema.parse(body)));
      }
    }
    const last = await r.app.inject({ url: '/v1/agents?limit=100' });
    expect(last.json().nextCursor).toBeUndefined();
    expect(last.body).toBe(JSON.stringify(agentPage.parse(last.json())));
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await r.app.inject({ url: '/v1/agents?cursor=%%%' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/was not issued by this registry/);
  });

  it('refuses an out-of-range limit with a 400 naming the field', async () => {
    const res = await r.app.inject({ url: '/v1/agents?limit=1000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/limit/);
  });

  it.each([
    ['/v1/agents/acme/triage', 'triage'],
    ['/v1/mcp-servers/acme/github-tools', 'github-tools'],
    ['/v1/models/acme/gpt-4o', 'gpt-4o'],
  ])('gets %s', async (url, name) => {
    const res = await r.app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe(name);
  });

  it.each(['/v1/agents/acme/nope', '/v1/mcp-servers/acme/nope', '/v1/models/acme/nope'])(
    'answers 404 for the unknown entry %s',
    async (url) => {
      expect((await r.app.inject({ url })).statusCode).toBe(404);
    },
  );

  it('gives a model a public URL only when it is exposed', async () => {
    const models = (await r.app.inject({ url: '/v1/models?limit=100' })).json().items;
    for (const m of models) expect(m.url !== undefined).toBe(m.exposed);
  });
});
