/**
 * Registry benchmark (not a test): `npm run bench:registry`.
 *
 * Three processes: the registry as its image runs it (`node packages/agent-registry/dist/
 * server.js`, compiled first), a bare Fastify hello-world (bench/registry-hello.ts, the
 * floor), and this one driving both with autocannon. PostgreSQL holds 100,000 API keys; the
 * catalog has 10,000 agents (2,000 tenants × 5), read from per-tenant ConfigMap files the way
 * `npm run registry` reads dist/. Scenarios run interleaved, BENCH_RUNS times (median
 * reported), BENCH_SECONDS each (BENCH_ONLY=<regex> picks scenarios). Then 1,000 keep-alive
 * connections hammer ext-authz for BENCH_FLOOD_SECONDS while a process of its own
 * (bench/registry-probe.ts) asks /healthz and /readyz on the probe port, and /healthz on the
 * public port, on a fresh connection every 250 ms, as the kubelet does. Prints req/s,
 * p50/p99, the share of the floor, the probes' latencies and the server's peak RSS (VmHWM).
 *
 * Needs PostgreSQL: `PG_TEST_PORT=<port> eval "$(.ci/start-postgres.sh)"` sets
 * REGISTRY_TEST_PG_URL; the benchmark works in a schema of its own and drops it after.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
// autocannon ships no types; the result fields used here are documented in its README.
// @ts-expect-error no declaration file
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import {
  CATALOG_CONFIGMAP,
  CATALOG_KEY,
  CATALOG_LABEL,
  CATALOG_LABEL_VALUES,
  DEFAULT_MEMORY_MIB,
  nodeOptionsFor,
  PROBE_PATHS,
  TENANT_LABEL,
  tenantCatalogConfigMap,
} from '@agentic-platform/agent-registry/constants';
import type { TenantCatalog } from '@agentic-platform/agent-registry/catalog/schema';
import { openPostgres } from '@agentic-platform/agent-registry/store/database';
import { migrate } from '@agentic-platform/agent-registry/store/migrations';
import { catalogPartsFromEnvironment } from '../src/registry/catalog/from-environment';
import { buildModel } from '../src/model/build';
import { loadSpecs } from '../src/spec';

const TENANTS = 2_000;
const AGENTS_PER_TENANT = 5;
const KEYS = 100_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = 32;
const FLOOD_CONNECTIONS = 1_000;
/** Long enough for a few dozen probes, 250 ms apart, during the flood. */
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 10);
/** Only the scenarios whose title matches (the floor always runs), e.g. `ext-authz`. */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

const tenantName = (i: number) => `t${String(i).padStart(4, '0')}`;
const keyId = (i: number) => i.toString(16).padStart(12, '0');
/** Deterministic secrets, so the driver knows them without a round trip. */
const secretOf = (i: number) => `agr_${keyId(i)}_${'k'.repeat(31)}${keyId(i)}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function writeCatalog(dir: string): void {
  const env = buildModel(loadSpecs(process.cwd())).environments.find((e) => e.name === 'dev')!;
  const parts = catalogPartsFromEnvironment(env);
  const template = parts.tenants.flatMap((t) => t.agents).find((a) => a.route)!;
  const tmplTenant = parts.tenants[0]!.tenant;
  const cm = (name: string, labels: Record<string, string>, value: unknown) =>
    stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'agent-registry', labels },
      data: { [CATALOG_KEY]: JSON.stringify(value) },
    });
  writeFileSync(
    join(dir, `configmap-${CATALOG_CONFIGMAP}.yaml`),
    cm(CATALOG_CONFIGMAP, { [CATALOG_LABEL]: CATALOG_LABEL_VALUES.environment }, parts.environment),
  );
  for (let t = 0; t < TENANTS; t++) {
    const name = tenantName(t);
    const part: TenantCatalog = {
      schemaVersion: 1,
      environment: env.name,
      tenant: {
        ...tmplTenant,
        name,
        namespace: name,
        displayName: name,
        owners: [`/tenants/${name}/owners`],
      },
      agents: Array.from({ length: AGENTS_PER_TENANT }, (_, j) => {
        const path = `/a2a/${name}/agent-${j}`;
        return {
          ...template,
          tenant: name,
          name: `agent-${j}`,
          description: `Synthetic agent ${j} of ${name}`,
          route: { path, url: `${parts.environment.gateway.baseUrl}${path}` },
          cardUrl: `${parts.environment.registryUrl}${path}/.well-known/agent-card.json`,
        };
      }),
      mcpServers: [],
      models: [],
    };
    const folder = join(dir, 'per-tenant', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, `configmap-${tenantCatalogConfigMap(name)}.yaml`),
      cm(
        tenantCatalogConfigMap(name),
        { [CATALOG_LABEL]: CATALOG_LABEL_VALUES.tenant, [TENANT_LABEL]: name },
        part,
      ),
    );
  }
}

async function seedKeys(url: string): Promise<void> {
  const db = openPostgres({ url, poolMax: 1, statementTimeoutMs: 600_000 });
  await migrate(db);
  // One statement: ids, secrets and hashes computed by PostgreSQL (sha256() since 11).
  await db.query(
    `INSERT INTO api_keys (id, tenant, name, secret_hash, scopes, created_by, created_at, expires_at)
     SELECT lpad(to_hex(i), 12, '0'),
            't' || lpad((i % $2)::text, 4, '0'),
            'bench-' || i,
            encode(sha256(convert_to('agr_' || lpad(to_hex(i), 12, '0') || '_' || repeat('k', 31) || lpad(to_hex(i), 12, '0'), 'UTF8')), 'hex'),
            '["agent:*"]'::jsonb, 'bench', now(), now() + interval '1 day'
     FROM generate_series(1, $1) AS i`,
    [KEYS, TENANTS],
  );
  // Stamped an hour ago: a server started seconds after the seed would otherwise re-read all
  // 100,000 keys in its first catch-up refreshes (changed within refresh + overlap), while the
  // scenarios run. The trigger stamps every write, so it is off for this one statement.
  await db.exec(`ALTER TABLE api_keys DISABLE TRIGGER api_keys_changed;
    UPDATE api_keys SET changed_at = now() - interval '1 hour';
    ALTER TABLE api_keys ENABLE TRIGGER api_keys_changed;`);
  await db.close();
}

function waitFor(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`${url}: the process exited`));
      get(url, (res) => {
        res.resume();
        if (res.statusCode === 200) return resolve();
        retry();
      }).on('error', retry);
    };
    const retry = () =>
      Date.now() > deadline ? reject(new Error(`${url} not ready`)) : setTimeout(attempt, 250);
    attempt();
  });
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function cannon(
  url: string,
  headers: Record<string, string>,
  connections = CONNECTIONS,
  duration = SECONDS,
): Promise<Result> {
  return (await autocannon({ url, connections, duration, headers })) as Result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stat = (xs: number[]) =>
  `p50 ${Math.round(median(xs))}, max ${Math.round(Math.max(...xs))} (${xs.length} probes)`;

/**
 * Probes `urls` from a process of its own (bench/registry-probe.ts) while `during` runs;
 * resolves to each URL's probe times in ms.
 */
async function probed<T>(urls: string[], during: () => Promise<T>): Promise<[T, number[][]]> {
  const prober = spawn(process.execPath, ['--import', 'tsx', 'bench/registry-probe.ts', ...urls], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  prober.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve) => prober.stdout!.once('data', () => resolve()));
  const result = await during();
  const exited = new Promise<void>((resolve) => prober.once('exit', () => resolve()));
  prober.kill('SIGTERM');
  await exited;
  const times = JSON.parse(out.slice(out.indexOf('\n') + 1)) as Record<string, number[]>;
  return [result, urls.map((u) => times[u]!)];
}

async function main(): Promise<void> {
  const pgUrl = process.env.REGISTRY_TEST_PG_URL;
  if (!pgUrl) {
    throw new Error(
      'bench:registry needs PostgreSQL: PG_TEST_PORT=<free port> eval "$(.ci/start-postgres.sh)" sets REGISTRY_TEST_PG_URL',
    );
  }
  const schema = `bench_${process.pid}`;
  const admin = openPostgres({ url: pgUrl, poolMax: 1, statementTimeoutMs: 60_000 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dir = mkdtempSync(join(os.tmpdir(), 'registry-bench-'));
  const children: ChildProcess[] = [];
  try {
    console.error('bench: compiling the registry, writing the catalog, seeding the keys');
    execFileSync('npm', ['run', '--silent', 'build', '-w', '@agentic-platform/agent-registry'], {
      stdio: 'inherit',
    });
    writeCatalog(dir);
    // The checkpoint signing key the Deployment mounts from cert-manager's Secret.
    const signingKey = join(dir, 'audit-signing-key.pem');
    writeFileSync(
      signingKey,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    await seedKeys(url.toString());

    const port = await freePort();
    const probePort = await freePort();
    // BENCH_NODE_ARGS: flags node refuses in NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const startServer = (script: string, env: Record<string, string>) => {
      const child = spawn(process.execPath, [...nodeArgs, script], {
        env: {
          PATH: process.env.PATH,
          REGISTRY_HOST: '127.0.0.1',
          REGISTRY_LOG_LEVEL: 'warn',
          REGISTRY_DATABASE: 'postgres',
          REGISTRY_DATABASE_URL: url.toString(),
          REGISTRY_CATALOG_DIR: dir,
          // The heap cap the Deployment gives a container of the default memory.
          NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? nodeOptionsFor(DEFAULT_MEMORY_MIB),
          REGISTRY_AUDIT_SIGNING_KEY_FILE: signingKey,
          // The per-key limit would otherwise be the figure measured.
          REGISTRY_KEY_RATE_PER_SECOND: '100000',
          REGISTRY_KEY_RATE_BURST: '100000',
          ...env,
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.push(child);
      return child;
    };
    const server = startServer('packages/agent-registry/dist/server.js', {
      REGISTRY_PORT: String(port),
      REGISTRY_PROBE_PORT: String(probePort),
    });
    const base = `http://127.0.0.1:${port}`;
    const probeBase = `http://127.0.0.1:${probePort}`;
    await waitFor(`${probeBase}${PROBE_PATHS.readiness}`, server);
    // What loading the catalog and the keys alone costs, before any request.
    const peakAtReady = peakRssMiB(server.pid!);
    // BENCH_BASELINE=<another build's dist/server.js>: the same scenarios against it, in the
    // same run (it predates the probe port, so it gets none).
    const baselinePort = await freePort();
    const baseline = process.env.BENCH_BASELINE
      ? startServer(process.env.BENCH_BASELINE, {
          REGISTRY_PORT: String(baselinePort),
          ...(process.env.BENCH_BASELINE_NODE_OPTIONS
            ? { NODE_OPTIONS: process.env.BENCH_BASELINE_NODE_OPTIONS }
            : {}),
        })
      : undefined;
    const baselineBase = `http://127.0.0.1:${baselinePort}`;
    if (baseline) await waitFor(`${baselineBase}${PROBE_PATHS.readiness}`, baseline);

    const hello = spawn(process.execPath, ['--import', 'tsx', 'bench/registry-hello.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(hello);
    const helloUrl = await new Promise<string>((resolve) =>
      hello.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
    );

    const key = 4_242;
    const tenant = tenantName(key % TENANTS);
    const scenarios: [string, string, Record<string, string>][] = [
      ['bare Fastify hello-world (floor)', `${helloUrl}/`, {}],
      [
        'catalog list /v1/agents?limit=30',
        `${base}/v1/agents?limit=30&cursor=${Buffer.from(`${tenantName(1000)}/agent-0`).toString('base64url')}`,
        {},
      ],
      ['catalog get /v1/agents/{t}/{name}', `${base}/v1/agents/${tenant}/agent-3`, {}],
      ['Agent Card', `${base}/a2a/${tenant}/agent-3/.well-known/agent-card.json`, {}],
      [
        'ext-authz, API key (allow)',
        `${base}/ext-authz/a2a/${tenant}/agent-3/v1/message:send`,
        { 'x-api-key': secretOf(key), 'x-agent-registry-source': '203.0.113.1' },
      ],
    ];
    if (baseline) {
      for (const [title, u, headers] of scenarios.slice(1)) {
        scenarios.push([`${title} [baseline]`, u.replace(base, baselineBase), headers]);
      }
    }
    const results = new Map<string, Result[]>();
    const chosen = scenarios.filter(([title], i) => i === 0 || !ONLY || ONLY.test(title));
    for (let run = 0; run < RUNS; run++) {
      for (const [title, u, headers] of chosen) {
        const r = await cannon(u, headers);
        if (r.non2xx > 0 || r.errors > 0) {
          throw new Error(
            `${title}: ${r.non2xx} non-2xx, ${r.errors} errors; the scenario is broken`,
          );
        }
        results.set(title, [...(results.get(title) ?? []), r]);
      }
    }
    const floor = median(results.get(scenarios[0]![0])!.map((r) => r.requests.average));
    const rows = chosen.map(([title]) => {
      const rs = results.get(title)!;
      const rps = median(rs.map((r) => r.requests.average));
      return {
        scenario: title,
        'req/s': Math.round(rps),
        'p50 ms': median(rs.map((r) => r.latency.p50)),
        'p99 ms': median(rs.map((r) => r.latency.p99)),
        'of floor': `${Math.round((rps / floor) * 100)}%`,
      };
    });
    const peakAfterScenarios = peakRssMiB(server.pid!);

    // 1,000 keep-alive connections on ext-authz, and the kubelet's probe beside them.
    const [f, probeTimes] = await probed(
      [
        `${probeBase}${PROBE_PATHS.liveness}`,
        `${probeBase}${PROBE_PATHS.readiness}`,
        // The same path on the public listener, behind the 1,000 connections' requests.
        `${base}${PROBE_PATHS.liveness}`,
      ],
      () => cannon(scenarios[4]![1], scenarios[4]![2], FLOOD_CONNECTIONS, FLOOD_SECONDS),
    );
    const [live, ready, publicLive] = [probeTimes[0]!, probeTimes[1]!, probeTimes[2]!];
    const peakAfterFlood = peakRssMiB(server.pid!);
    let baselineFlood: string | undefined;
    if (baseline) {
      const peak = peakRssMiB(baseline.pid!);
      const [bf, [bLive]] = await probed([`${baselineBase}${PROBE_PATHS.liveness}`], () =>
        cannon(
          scenarios[4]![1].replace(base, baselineBase),
          scenarios[4]![2],
          FLOOD_CONNECTIONS,
          FLOOD_SECONDS,
        ),
      );
      baselineFlood = `baseline at ${FLOOD_CONNECTIONS} connections: ${Math.round(bf.requests.average)} req/s, p50 ${bf.latency.p50} ms, p99 ${bf.latency.p99} ms, ${bf.errors} errors; /healthz (its only port) ${stat(bLive!)}; peak RSS ${peak} MiB after the scenarios, ${peakRssMiB(baseline.pid!)} MiB after the flood`;
    }

    const cpus = os.cpus();
    console.log(
      `agent registry benchmark: ${TENANTS * AGENTS_PER_TENANT} agents (${TENANTS} tenants), ${KEYS} keys on PostgreSQL, ${CONNECTIONS} connections, ${SECONDS} s a scenario, median of ${RUNS} interleaved runs; server, floor and driver in three processes`,
    );
    console.log(
      `machine: ${cpus[0]?.model ?? 'unknown'} x${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.table(rows);
    console.table([
      {
        scenario: `ext-authz, ${FLOOD_CONNECTIONS} connections`,
        'req/s': Math.round(f.requests.average),
        'p50 ms': f.latency.p50,
        'p99 ms': f.latency.p99,
        'non-2xx': f.non2xx,
        errors: f.errors,
      },
    ]);
    // Probe port: the worker thread; public port: behind the 1,000 connections.
    console.table([
      {
        'probe port /healthz ms': stat(live),
        'probe port /readyz ms': stat(ready),
        'public port /healthz ms': stat(publicLive),
      },
    ]);
    console.log(
      `server peak RSS (VmHWM): ${peakAtReady} MiB once ready, ${peakAfterScenarios} MiB after the scenarios, ${peakAfterFlood} MiB after ${FLOOD_CONNECTIONS} connections`,
    );
    if (baselineFlood) console.log(baselineFlood);
  } finally {
    // The server flushes usage at shutdown: its schema goes only after it has exited.
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
