/**
 * Registry benchmark (not a test): `npm run bench:registry`.
 *
 * Serves a catalog of 10,000 synthetic agents on loopback and measures, with autocannon for
 * a bounded time each, a bare Fastify hello-world (the floor), catalog list and get, an
 * Agent Card, and key-checked gateway authorization calls (PGlite key lookup, scope check,
 * usage counting). Prints requests/s, p50/p99 latency and the process RSS.
 */
import os from 'node:os';
import Fastify from 'fastify';
// autocannon ships no types; the result fields used here are documented in its README.
// @ts-expect-error no declaration file
import autocannon from 'autocannon';
import { buildRegistry } from '@agentic-platform/agent-registry/app';
import { catalogFromEnvironment } from '../src/registry/catalog/from-environment';
import type { Catalog } from '@agentic-platform/agent-registry/catalog/schema';
import { loadConfig } from '@agentic-platform/agent-registry/config';
import { createLogger } from '@agentic-platform/agent-registry/logger';
import { generateKey, sha256Hex } from '@agentic-platform/agent-registry/services/api-keys';
import { openStore } from '@agentic-platform/agent-registry/store/open';
import { buildModel } from '../src/model/build';
import { loadSpecs } from '../src/spec';

const AGENTS = 10_000;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 32;

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

function syntheticCatalog(): Catalog {
  const env = buildModel(loadSpecs(process.cwd())).environments.find((e) => e.name === 'dev')!;
  const base = catalogFromEnvironment(env);
  const template = base.agents.find((a) => a.route)!;
  const agents = Array.from({ length: AGENTS }, (_, i) => {
    const name = `agent-${String(i).padStart(5, '0')}`;
    const path = `/a2a/${template.tenant}/${name}`;
    return {
      ...template,
      name,
      description: `Synthetic agent ${i} for the registry benchmark`,
      route: { path, url: `${base.gateway.baseUrl}${path}` },
      cardUrl: `${base.registryUrl}${path}/.well-known/agent-card.json`,
    };
  });
  return {
    ...base,
    agents: [...base.agents, ...agents].sort((a, b) =>
      `${a.tenant}/${a.name}` < `${b.tenant}/${b.name}` ? -1 : 1,
    ),
  };
}

async function run(title: string, url: string, headers: Record<string, string> = {}) {
  const r = (await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers,
  })) as Result;
  return {
    scenario: title,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    'non-2xx': r.non2xx,
    errors: r.errors,
    'RSS MiB': Math.round(process.memoryUsage().rss / 1048576),
  };
}

async function main() {
  const hello = Fastify();
  hello.get('/', async () => ({ hello: 'world' }));
  const helloUrl = await hello.listen({ host: '127.0.0.1', port: 0 });

  const catalog = syntheticCatalog();
  const config = loadConfig({
    REGISTRY_LOG_LEVEL: 'warn',
    REGISTRY_KEY_RATE_PER_SECOND: '100000',
    REGISTRY_KEY_RATE_BURST: '100000',
  });
  const { store } = await openStore(config);
  const registry = await buildRegistry({
    config,
    store,
    logger: createLogger('warn'),
    loadCatalog: async () => catalog,
  });
  await registry.catalog.load();
  const url = await registry.app.listen({ host: '127.0.0.1', port: 0 });

  const { id, secret } = generateKey();
  const now = new Date();
  await store.createKey(
    {
      id,
      tenant: 'acme',
      name: 'bench',
      secretHash: sha256Hex(secret),
      scopes: ['agent:*'],
      createdBy: 'bench',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    },
    { actor: 'bench', action: 'api_key.create', tenant: 'acme', subject: id, details: {} },
  );

  const rows = [];
  rows.push(await run('fastify hello-world (floor)', `${helloUrl}/`));
  rows.push(
    await run(
      'catalog list /v1/agents?limit=30',
      `${url}/v1/agents?limit=30&cursor=${Buffer.from('acme/agent-05000').toString('base64url')}`,
    ),
  );
  rows.push(await run('catalog search /v1/agents?q=…', `${url}/v1/agents?q=agent%209999&limit=30`));
  rows.push(
    await run('catalog get /v1/agents/acme/agent-05000', `${url}/v1/agents/acme/agent-05000`),
  );
  rows.push(await run('agent card', `${url}/a2a/acme/agent-05000/.well-known/agent-card.json`));
  rows.push(
    await run(
      'ext-authz with API key (allow)',
      `${url}/ext-authz/a2a/acme/agent-05000/v1/message:send`,
      { 'x-api-key': secret },
    ),
  );

  console.log(
    `agent registry benchmark: ${AGENTS} synthetic agents (+ dev catalog), ${CONNECTIONS} connections, ${DURATION_S}s each, loopback`,
  );
  console.log(
    `machine: ${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, database PGlite (in memory)`,
  );
  console.table(rows);
  await registry.app.close();
  await hello.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
