import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
  cpSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Keycloak (the quarkus distribution .ci/install-keycloak.sh caches) on loopback, in
 * dev mode with an in-memory database, importing the given realm files at start.
 *
 * Each server gets its own home: a copy of `bin/kc.sh` and `conf/`, its own `data/` (the
 * import folder is `<home>/data/import`, fixed by Keycloak) and links to the shared `lib/`,
 * `themes/` and `providers/`, so two suites never share state.
 */
export interface KeycloakServer {
  readonly url: string;
  /** Bootstrap admin: a service-account client of the master realm. */
  readonly admin: {
    readonly realm: 'master';
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /** Seconds from spawn to the first successful health check. */
  readonly startSeconds: number;
  readonly log: () => string;
  stop(): Promise<void>;
}

export const KEYCLOAK_VERSION = '26.5.6';

export function keycloakHome(): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return (
    process.env.KEYCLOAK_HOME ?? join(cache, 'agentic-platform', `keycloak-${KEYCLOAK_VERSION}`)
  );
}

export function javaHome(): string {
  return process.env.KEYCLOAK_JAVA_HOME ?? '/usr/lib/jvm/temurin-25-jdk-amd64';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startKeycloak(realms: Record<string, string>): Promise<KeycloakServer> {
  const home = keycloakHome();
  if (!existsSync(join(home, 'bin', 'kc.sh'))) {
    throw new Error(
      `Keycloak ${KEYCLOAK_VERSION} is not installed at ${home}; run .ci/install-keycloak.sh (or set KEYCLOAK_HOME)`,
    );
  }
  const run = mkdtempSync(join(tmpdir(), 'keycloak-'));
  mkdirSync(join(run, 'bin'));
  copyFileSync(join(home, 'bin', 'kc.sh'), join(run, 'bin', 'kc.sh'));
  cpSync(join(home, 'conf'), join(run, 'conf'), { recursive: true });
  for (const d of ['lib', 'themes', 'providers']) symlinkSync(join(home, d), join(run, d));
  mkdirSync(join(run, 'data', 'import'), { recursive: true });
  for (const [file, json] of Object.entries(realms))
    writeFileSync(join(run, 'data', 'import', file), json);

  const [port, managementPort] = [await freePort(), await freePort()];
  const admin = {
    realm: 'master' as const,
    clientId: 'suite-admin',
    clientSecret: `s-${process.pid}-${port}`,
  };
  const out: string[] = [];
  const started = Date.now();
  const child: ChildProcess = spawn(
    'bash',
    [
      join(run, 'bin', 'kc.sh'),
      'start-dev',
      '--http-host=127.0.0.1',
      `--http-port=${port}`,
      `--http-management-port=${managementPort}`,
      '--db=dev-mem',
      '--health-enabled=true',
      '--import-realm',
    ],
    {
      cwd: run,
      env: {
        ...process.env,
        JAVA_HOME: javaHome(),
        KC_BOOTSTRAP_ADMIN_CLIENT_ID: admin.clientId,
        KC_BOOTSTRAP_ADMIN_CLIENT_SECRET: admin.clientSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stdout!.on('data', (b: Buffer) => out.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => out.push(b.toString()));
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));

  const stop = async () => {
    if (exited === null && child.pid) {
      // The whole process group: kc.sh and the JVM it forks.
      process.kill(-child.pid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (exited === null && Date.now() < deadline) await sleep(200);
      if (exited === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(run, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(
        `Keycloak exited with ${exited} before it was ready:\n${out.join('').slice(-4000)}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Keycloak was not ready after 300 s:\n${out.join('').slice(-4000)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${managementPort}/health/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  return { url, admin, startSeconds: (Date.now() - started) / 1000, log: () => out.join(''), stop };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
