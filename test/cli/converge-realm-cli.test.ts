import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TENANT_PART = path.join(
  ROOT,
  'dist/dev/platform/tenant-sync/acme/configmap-keycloak-realm-tenant-acme.yaml',
);

/** A stand-in token endpoint: records what the program sends and refuses it (401). */
const bodies: string[] = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    bodies.push(body);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":"unauthorized_client"}');
  });
});
const work = mkdtempSync(path.join(tmpdir(), 'converge-cli-'));
let url = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cm = parse(readFileSync(TENANT_PART, 'utf8')) as { data: Record<string, string> };
  writeFileSync(path.join(work, 'groups.json'), Object.values(cm.data)[0]!);
  writeFileSync(path.join(work, 'client-secret'), 's3cret-from-file\n');
});
afterAll(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

function converge(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const args = ['tsx', 'src/cli/converge-realm.ts', '--keycloak-url', url, '--realm', 'platform'];
  args.push('--tenant', path.join(work, 'groups.json'));
  return new Promise((resolve) => {
    const p = spawn('npx', args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
    });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('converge-realm admin credentials', () => {
  it('reads the client secret from KEYCLOAK_ADMIN_CLIENT_SECRET_FILE, without its newline', async () => {
    bodies.length = 0;
    const r = await converge({
      KEYCLOAK_ADMIN_CLIENT_ID: 'realm-converge',
      KEYCLOAK_ADMIN_CLIENT_SECRET_FILE: path.join(work, 'client-secret'),
    });
    expect(r.code).toBe(1);
    const form = new URLSearchParams(bodies[0]);
    expect(form.get('client_id')).toBe('realm-converge');
    expect(form.get('client_secret')).toBe('s3cret-from-file');
  }, 60_000);

  it('refuses both the secret and its file', async () => {
    const r = await converge({
      KEYCLOAK_ADMIN_CLIENT_ID: 'realm-converge',
      KEYCLOAK_ADMIN_CLIENT_SECRET: 'x',
      KEYCLOAK_ADMIN_CLIENT_SECRET_FILE: path.join(work, 'client-secret'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/set one of KEYCLOAK_ADMIN_CLIENT_SECRET and .*_FILE, not both/);
  }, 60_000);
});
