import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers';
import { mcpRegistryValidators } from '../upstream-schemas';

const OFFICIAL = 'io.modelcontextprotocol.registry/official';

describe('MCP registry API v0.1', () => {
  let r: TestRegistry;
  const v = mcpRegistryValidators();
  beforeAll(async () => {
    r = await startRegistry();
  });
  afterAll(() => r.app.close());

  const published = () => r.catalogData.mcpServers.filter((s) => s.route);
  const enc = encodeURIComponent;

  it('lists published servers as a ServerList of valid server.json documents', async () => {
    const res = await r.app.inject({ url: '/v0.1/servers' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(v.serverList(body), JSON.stringify(v.serverList.errors)).toBe(true);
    expect(body.servers).toHaveLength(published().length);
    for (const s of body.servers)
      expect(v.serverJson(s.server), JSON.stringify(v.serverJson.errors)).toBe(true);
    expect(body.metadata.count).toBe(body.servers.length);
  });

  it('points remotes at the tenant route on the gateway', async () => {
    const github = published().find((s) => s.name === 'github-tools')!;
    const res = await r.app.inject({
      url: `/v0.1/servers/${enc(github.registryName)}/versions/latest`,
    });
    expect(res.statusCode).toBe(200);
    expect(v.serverResponse(res.json())).toBe(true);
    expect(res.json().server.remotes[0]).toMatchObject({
      type: 'streamable-http',
      url: `https://${r.catalogData.gateway.publicHost}/mcp/acme/github-tools`,
    });
    expect(res.json().server.version).toBe('1.4.2');
    expect(res.json()._meta[OFFICIAL]).toMatchObject({ status: 'active', isLatest: true });
  });

  it('lists the versions of a server and gets one by exact version', async () => {
    const github = published().find((s) => s.name === 'github-tools')!;
    const list = await r.app.inject({ url: `/v0.1/servers/${enc(github.registryName)}/versions` });
    expect(list.statusCode).toBe(200);
    expect(v.serverList(list.json())).toBe(true);
    const one = await r.app.inject({
      url: `/v0.1/servers/${enc(github.registryName)}/versions/1.4.2`,
    });
    expect(one.json().server.name).toBe(github.registryName);
  });

  it('keeps an earlier version after the catalog moves on, and only the new one is latest', async () => {
    let catalog = structuredClone(r.catalogData);
    const r2 = await startRegistry({ catalog, loadCatalog: async () => catalog });
    catalog = structuredClone(catalog);
    catalog.mcpServers = catalog.mcpServers.map((s) =>
      s.name === 'github-tools' ? { ...s, version: '1.5.0' } : s,
    );
    r2.clock.now = new Date('2026-03-02T00:00:00.000Z');
    await r2.catalog.load();
    const name = enc(catalog.mcpServers.find((s) => s.name === 'github-tools')!.registryName);
    const versions = (await r2.app.inject({ url: `/v0.1/servers/${name}/versions` })).json()
      .servers;
    expect(versions.map((s: { server: { version: string } }) => s.server.version)).toEqual([
      '1.4.2',
      '1.5.0',
    ]);
    const latest = (
      await r2.app.inject({ url: `/v0.1/servers?version=latest&search=github` })
    ).json();
    expect(latest.servers.map((s: { server: { version: string } }) => s.server.version)).toEqual([
      '1.5.0',
    ]);
    const since = (
      await r2.app.inject({ url: `/v0.1/servers?updated_since=2026-03-01T18:00:00Z` })
    ).json();
    expect(since.servers.map((s: { server: { version: string } }) => s.server.version)).toEqual([
      '1.5.0',
    ]);
    await r2.app.close();
  });

  it('pages with limit and cursor', async () => {
    const first = (await r.app.inject({ url: '/v0.1/servers?limit=1' })).json();
    expect(first.servers).toHaveLength(1);
    if (published().length > 1) {
      expect(first.metadata.nextCursor).toBeDefined();
      const second = (
        await r.app.inject({ url: `/v0.1/servers?limit=1&cursor=${first.metadata.nextCursor}` })
      ).json();
      expect(second.servers[0].server.name).not.toBe(first.servers[0].server.name);
    }
  });

  it('searches by name substring', async () => {
    const res = (await r.app.inject({ url: '/v0.1/servers?search=github-tools' })).json();
    expect(res.servers.map((s: { server: { title: string } }) => s.server.title)).toEqual([
      'acme/github-tools',
    ]);
  });

  it('answers 404 for an unknown server or version', async () => {
    expect(
      (await r.app.inject({ url: '/v0.1/servers/com.example%2Fnope/versions' })).statusCode,
    ).toBe(404);
    const github = published().find((s) => s.name === 'github-tools')!;
    const res = await r.app.inject({
      url: `/v0.1/servers/${enc(github.registryName)}/versions/9.9.9`,
    });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a malformed updated_since', async () => {
    expect((await r.app.inject({ url: '/v0.1/servers?updated_since=yesterday' })).statusCode).toBe(
      400,
    );
  });
});
