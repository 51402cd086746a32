import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addManifests } from '../../../src/synth';
import {
  catalogFromEnvironment,
  imageVersion,
  reverseDns,
} from '../../../src/registry/catalog/from-environment';
import { parseCatalog, readCatalogFile } from '@agentic-platform/agent-registry/catalog/load';
import { agentCard } from '@agentic-platform/agent-registry/services/agent-card';
import { serverJson } from '@agentic-platform/agent-registry/services/server-json';
import { devCatalog, devEnvironment } from '../helpers';
import { registryLayer } from '../../../src/registry/deploy/registry-layer';

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

  it('reads the synthesized ConfigMap YAML and plain JSON alike', async () => {
    const out = new Map<string, string>();
    registryLayer(devEnvironment(), out);
    const yaml = out.get('registry/configmap-agent-registry-catalog.yaml')!;
    expect(parseCatalog(yaml, 'cm')).toEqual(devCatalog());
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(devCatalog()));
    expect(await readCatalogFile(join(dir, 'catalog.json'))).toEqual(devCatalog());
    void addManifests;
  });

  it('fails naming the file when it cannot be read', async () => {
    await expect(readCatalogFile('/nonexistent/catalog.json')).rejects.toThrow(
      /cannot read the catalog \/nonexistent\/catalog.json \(ENOENT\); set REGISTRY_CATALOG_FILE or run npm run synth/,
    );
  });

  it('fails on text that is neither JSON nor YAML', () => {
    expect(() => parseCatalog('{ nope', 'x.json')).toThrow(/catalog x.json is not JSON or YAML/);
  });

  it('fails on a document that is not a catalog, naming the field', () => {
    expect(() => parseCatalog('{"schemaVersion": 2}', 'x.json')).toThrow(/schemaVersion/);
  });

  it('refuses to build a card or server.json for an unpublished entry', () => {
    const c = devCatalog();
    const agent = { ...c.agents[0]!, route: undefined };
    expect(() => agentCard(c, c.tenants[0]!, agent)).toThrow(/is not published/);
    const server = { ...c.mcpServers[0]!, route: undefined };
    expect(() => serverJson(c, server)).toThrow(/is not published/);
  });
});
