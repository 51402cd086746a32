import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProbeServer, type Readiness } from '@agentic-platform/agent-registry/probe-server';

const started: ProbeServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

async function start(
  readiness: () => Promise<Readiness>,
  opts: Partial<Parameters<typeof ProbeServer.start>[0]> = {},
): Promise<ProbeServer> {
  const p = await ProbeServer.start({
    host: '127.0.0.1',
    port: 0,
    readiness,
    checkMs: 20,
    heartbeatMs: 20,
    onExit: (err) => {
      throw err;
    },
    ...opts,
  });
  started.push(p);
  return p;
}

async function get(p: ProbeServer, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${p.port}${path}`);
  return { status: res.status, body: await res.json() };
}

/**
 * GETs `path` from a child process while this thread is blocked in execFileSync: the answer
 * can only come from the worker's own event loop.
 */
function getWhileBlocked(p: ProbeServer, path: string): { status: number; body: any } {
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `fetch(process.argv[1]).then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.json() })))`,
      `http://127.0.0.1:${p.port}${path}`,
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  return JSON.parse(out) as { status: number; body: any };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(p: ProbeServer, path: string, status: number): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const r = await get(p, path);
    if (r.status === status) return r.body;
    await sleep(20);
  }
  throw new Error(`${path} never answered ${status}`);
}

describe('probe server (a worker thread on a port of its own)', () => {
  it('answers /healthz and /readyz while the main thread is blocked', async () => {
    const p = await start(async () => 'ready');
    await until(p, '/readyz', 200);
    // execFileSync holds this thread for the child's whole run; the worker answers regardless.
    expect(getWhileBlocked(p, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(getWhileBlocked(p, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('fails liveness when the main event loop stops beating, and recovers when it runs again', async () => {
    const p = await start(async () => 'ready', { stallMs: 200 });
    await until(p, '/healthz', 200);
    const until_ = Date.now() + 600;
    while (Date.now() < until_) {
      // A wedged main loop: no timer of this thread runs, so no heartbeat.
    }
    const stalled = getWhileBlocked(p, '/healthz');
    expect(stalled.status).toBe(503);
    expect(stalled.body.error).toBe('not_live');
    expect(stalled.body.message).toMatch(/main event loop has not run for \d+ ms/);
    // A wedged loop is not ready either, whatever its last decision was.
    expect(getWhileBlocked(p, '/readyz').status).toBe(503);
    expect(await until(p, '/healthz', 200)).toEqual({ status: 'ok' });
  });

  it('is not ready until the main thread decides so, and says why', async () => {
    let state: Readiness = 'starting';
    const p = await start(async () => state);
    expect(await until(p, '/readyz', 503)).toEqual({
      error: 'not_ready',
      message: 'the catalog has not been loaded yet',
    });
    expect((await get(p, '/healthz')).status).toBe(200);
    state = 'ready';
    await until(p, '/readyz', 200);
    state = 'database_unreachable';
    expect((await until(p, '/readyz', 503)).message).toBe('the database did not answer');
  });

  it('counts a readiness check that throws as an unreachable database', async () => {
    const p = await start(async () => {
      throw new Error('connection refused');
    });
    expect((await until(p, '/readyz', 503)).message).toBe('the database did not answer');
  });

  it('fails readiness when no check completes within readinessStaleMs', async () => {
    let hang = false;
    const p = await start(
      () => (hang ? new Promise<Readiness>(() => undefined) : Promise.resolve('ready')),
      { readinessStaleMs: 200 },
    );
    await until(p, '/readyz', 200);
    hang = true;
    expect((await until(p, '/readyz', 503)).message).toMatch(
      /no readiness check completed for \d+ ms/,
    );
    // Liveness is the main loop's, not the database's.
    expect((await get(p, '/healthz')).status).toBe(200);
  });

  it('fails readiness at once on shutdown and keeps it failed, while staying live', async () => {
    const changes: string[] = [];
    const p = await start(async () => 'ready', {
      onChange: (s, prev) => changes.push(`${prev}->${s}`),
    });
    await until(p, '/readyz', 200);
    p.shuttingDown();
    expect(await get(p, '/readyz')).toEqual({
      status: 503,
      body: { error: 'not_ready', message: 'shutting down' },
    });
    await sleep(100);
    expect((await get(p, '/readyz')).status).toBe(503);
    expect((await get(p, '/healthz')).status).toBe(200);
    expect(p.readiness).toBe('shutting_down');
    expect(changes).toEqual(['starting->ready', 'ready->shutting_down']);
  });

  it('serves only the probe paths', async () => {
    const p = await start(async () => 'ready');
    expect(await get(p, '/metrics')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no probe /metrics' },
    });
  });

  it('refuses to start on a port already taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    await expect(start(async () => 'ready', { port })).rejects.toThrow(/EADDRINUSE/);
    taken.close();
  });
});
