import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseBaseRealm,
  parseTenantPart,
  tenantPartsFromDir,
  tenantPartsFromKubernetes,
} from '../../src/identity/realm-sources';

const part = (tenant: string) =>
  JSON.stringify({
    tenant,
    group: { name: tenant, path: `/tenants/${tenant}`, realmRoles: [], subGroups: [] },
  });

describe('realm sources', () => {
  it('reads every tenant part of a folder, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parts-'));
    writeFileSync(join(dir, 'b.json'), part('b'));
    writeFileSync(join(dir, 'a.json'), part('a'));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(tenantPartsFromDir(dir).map((p) => p.tenant)).toEqual(['a', 'b']);
  });

  it('names the file of a part that is not JSON', () => {
    expect(() => parseTenantPart('{', '/x/acme.json')).toThrow(/\/x\/acme.json: not JSON/);
  });

  it('refuses a part without a tenant name', () => {
    expect(() => parseTenantPart('{"group":{}}', 'f')).toThrow(/tenant must be a string/);
  });

  it('refuses a group without subGroups, naming where', () => {
    expect(() =>
      parseTenantPart(
        '{"tenant":"a","group":{"name":"a","path":"/tenants/a","realmRoles":[]}}',
        'f',
      ),
    ).toThrow(/f: group: a group needs name, path, realmRoles/);
  });

  it('refuses a base realm without clients or roles', () => {
    expect(() => parseBaseRealm('{"realm":"p","groups":[]}', 'base.json')).toThrow(
      /base.json: a base realm needs realm, groups and clients/,
    );
    expect(() => parseBaseRealm('{"realm":"p","groups":[],"clients":[]}', 'base.json')).toThrow(
      /roles.realm must be a list/,
    );
  });

  it('lists tenant ConfigMaps page by page with the label selector and bearer token', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.headers.authorization} ${req.url}`);
      const url = new URL(req.url!, 'http://x');
      const second = url.searchParams.get('continue') === 'next';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          metadata: second ? {} : { continue: 'next' },
          items: [
            {
              metadata: { name: second ? 'b' : 'a' },
              data: { 'groups.json': part(second ? 'b' : 'a') },
            },
          ],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const parts = await tenantPartsFromKubernetes({
        server: `http://127.0.0.1:${port}`,
        token: 't0k',
        namespace: 'keycloak',
        labelSelector: 'platform.agentic.io/realm-part=tenant',
        key: 'groups.json',
      });
      expect(parts.map((p) => p.tenant)).toEqual(['a', 'b']);
      expect(seen[0]).toBe(
        'Bearer t0k /api/v1/namespaces/keycloak/configmaps?labelSelector=platform.agentic.io%2Frealm-part%3Dtenant&limit=500',
      );
      expect(seen[1]).toContain('continue=next');
    } finally {
      server.close();
    }
  });

  it('names a ConfigMap that lacks the data key, and a refused listing', async () => {
    let status = 200;
    const server = createServer((_req, res) => {
      res.statusCode = status;
      res.end(
        JSON.stringify({ items: [{ metadata: { name: 'keycloak-realm-tenant-x' }, data: {} }] }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const src = {
      server: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      token: 't',
      namespace: 'keycloak',
      labelSelector: 's',
      key: 'groups.json',
    };
    try {
      await expect(tenantPartsFromKubernetes(src)).rejects.toThrow(
        /ConfigMap keycloak\/keycloak-realm-tenant-x has no data key groups.json/,
      );
      status = 403;
      await expect(tenantPartsFromKubernetes(src)).rejects.toThrow(
        /listing ConfigMaps s in keycloak: 403/,
      );
    } finally {
      server.close();
    }
  });
});
