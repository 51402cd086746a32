import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogFromEnvironment,
  catalogPartsFromEnvironment,
  imageVersion,
  reverseDns,
} from '../../../src/registry/catalog/from-environment';
import { assembleCatalog } from '@agentic-platform/agent-registry/catalog/assemble';
import { catalogPartOf, readCatalogDir } from '@agentic-platform/agent-registry/catalog/load';
import { agentCard } from '@agentic-platform/agent-registry/services/agent-card';
import { serverJson } from '@agentic-platform/agent-registry/services/server-json';
import { devCatalog, devEnvironment } from '../helpers';
import { registryLayer } from '../../../src/registry/deploy/registry-layer';

/** `registryLayer` of the dev environment written to a scratch folder; returns `…/registry`. */
function synthesizedRegistry(): string {
  const root = mkdtempSync(join(tmpdir(), 'catalog-'));
  const out = new Map<string, string>();
  registryLayer(devEnvironment(), out);
  for (const [path, content] of out) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return join(root, 'registry');
}

describe('catalog', () => {
  it('is deterministic and sorted', () => {
    const a = catalogFromEnvironment(devEnvironment());
    expect(JSON.stringify(catalogFromEnvironment(devEnvironment()))).toBe(JSON.stringify(a));
    const keys = a.agents.map((x) => `${x.tenant}/${x.name}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('gives published entries https://<gateway public host><route path>', () => {
    const c = devCatalog();
    const triage = c.agents.find((a) => a.name === 'triage')!;
    expect(triage.route!.url).toBe(
      `https://agents.dev.agents-platform.example.com/a2a/acme/triage`,
    );
    expect(triage.cardUrl).toBe(
      'https://agents.dev.agents-platform.example.com/registry/a2a/acme/triage/.well-known/agent-card.json',
    );
  });

  it('derives MCP registry names and versions', () => {
    expect(reverseDns('agents.dev.example.com')).toBe('com.example.dev.agents');
    expect(imageVersion('ghcr.io/acme/mcp:1.4.2')).toBe('1.4.2');
    expect(imageVersion('localhost:5000/acme/mcp:2.0@sha256:' + 'a'.repeat(64))).toBe('2.0');
    expect(imageVersion('ghcr.io/acme/mcp@sha256:' + 'b'.repeat(64))).toBe('sha256-bbbbbbbbbbbb');
    expect(imageVersion('ghcr.io/acme/mcp')).toBe('0.0.0');
  });

  it('reads the synthesized registry folder back into the catalog the model describes', async () => {
    const dir = synthesizedRegistry();
    expect(await readCatalogDir(dir)).toEqual(devCatalog());
  });

  it('fails naming the folder when it cannot be read', async () => {
    await expect(readCatalogDir('/nonexistent/registry')).rejects.toThrow(
      /cannot read the catalog directory \/nonexistent\/registry \(ENOENT\); set REGISTRY_CATALOG_DIR or run npm run synth/,
    );
  });

  it('fails when no environment part is there', async () => {
    const dir = synthesizedRegistry();
    rmSync(join(dir, 'configmap-agent-registry-catalog.yaml'));
    await expect(readCatalogDir(dir)).rejects.toThrow(
      /no ConfigMap labelled platform.agentic.io\/registry-catalog=environment/,
    );
  });

  it('fails on a tenant part whose tenant label names another tenant, naming the file', async () => {
    const dir = synthesizedRegistry();
    const file = join(dir, 'per-tenant/acme/configmap-agent-registry-catalog-acme.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'platform.agentic.io/tenant: acme',
        'platform.agentic.io/tenant: globex',
      ),
    );
    await expect(readCatalogDir(dir)).rejects.toThrow(
      new RegExp(
        `catalog ${file}: label platform.agentic.io/tenant="globex" does not name the tenant it describes \\(acme\\)`,
      ),
    );
  });

  it('fails on a catalog file that is not YAML, naming it', async () => {
    const dir = synthesizedRegistry();
    const file = join(dir, 'per-tenant/acme/configmap-agent-registry-catalog-acme.yaml');
    writeFileSync(file, 'platform.agentic.io/registry-catalog: [unclosed');
    await expect(readCatalogDir(dir)).rejects.toThrow(/not YAML/);
  });

  it('refuses a part that speaks for another tenant, a tenant given twice, another environment', () => {
    const parts = catalogPartsFromEnvironment(devEnvironment());
    const env = { value: parts.environment, source: 'env' };
    const acme = parts.tenants.find((t) => t.tenant.name === 'acme')!;
    const globex = parts.tenants.find((t) => t.tenant.name === 'globex')!;
    expect(() =>
      assembleCatalog(env, [{ value: { ...acme, agents: globex.agents }, source: 'acme.yaml' }]),
    ).toThrow(/catalog acme.yaml: agents entry globex\/.* names tenant globex inside tenant acme/);
    expect(() =>
      assembleCatalog(env, [
        { value: acme, source: 'a.yaml' },
        { value: acme, source: 'b.yaml' },
      ]),
    ).toThrow(/catalog b.yaml: tenant acme is also defined by a.yaml/);
    expect(() =>
      assembleCatalog(env, [{ value: { ...acme, environment: 'prod' }, source: 'p.yaml' }]),
    ).toThrow(/tenant acme is for environment prod, but env is dev/);
  });

  it('ignores ConfigMaps without the catalog label and refuses an unknown label value', () => {
    expect(catalogPartOf({ kind: 'ConfigMap', metadata: { name: 'x' } }, 'x')).toBeUndefined();
    expect(() =>
      catalogPartOf(
        {
          kind: 'ConfigMap',
          metadata: { labels: { 'platform.agentic.io/registry-catalog': 'all' } },
        },
        'x',
      ),
    ).toThrow(
      /label platform.agentic.io\/registry-catalog="all" is neither "environment" nor "tenant"/,
    );
    expect(() =>
      catalogPartOf(
        {
          kind: 'ConfigMap',
          metadata: { labels: { 'platform.agentic.io/registry-catalog': 'environment' } },
          data: { 'catalog.json': '{ nope' },
        },
        'x',
      ),
    ).toThrow(/catalog x: catalog.json is not JSON/);
    expect(() =>
      catalogPartOf(
        {
          kind: 'ConfigMap',
          metadata: { labels: { 'platform.agentic.io/registry-catalog': 'environment' } },
          data: { 'catalog.json': '{"schemaVersion": 2}' },
        },
        'x',
      ),
    ).toThrow(/catalog x does not match the catalog schema.*schemaVersion/);
    expect(() =>
      catalogPartOf(
        {
          kind: 'ConfigMap',
          metadata: { labels: { 'platform.agentic.io/registry-catalog': 'tenant' } },
        },
        'x',
      ),
    ).toThrow(/catalog x: the ConfigMap has no catalog.json key/);
  });

  it('refuses to build a card or server.json for an unpublished entry', () => {
    const c = devCatalog();
    const agent = { ...c.agents[0]!, route: undefined };
    expect(() => agentCard(c, c.tenants[0]!, agent)).toThrow(/is not published/);
    const server = { ...c.mcpServers[0]!, route: undefined };
    expect(() => serverJson(c, server)).toThrow(/is not published/);
  });
});
