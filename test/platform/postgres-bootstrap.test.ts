import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './synth-fixture';

/**
 * The PostgreSQL bootstrap's effect on a real PostgreSQL: the script and SQL exactly as
 * dist/dev/platform/postgres carries them, run the way its Job runs them (its command, its
 * environment, its mounted files), by a non-superuser master with CREATEROLE and CREATEDB, as
 * on RDS. CI provides the server (.ci/start-postgres.sh prints PG_TEST_ADMIN_URL); locally
 * without one the suite is skipped, and in CI a missing server fails it.
 */
const ADMIN_URL = process.env.PG_TEST_ADMIN_URL;
if (!ADMIN_URL && process.env.CI)
  throw new Error('PG_TEST_ADMIN_URL is not set: eval "$(.ci/start-postgres.sh)" first');

const FOLDER = path.join(ROOT, 'dist/dev/platform/postgres');
const doc = (file: string) => parse(readFileSync(path.join(FOLDER, file), 'utf8'));
const job = doc('job-postgres-bootstrap.yaml');
const script = doc('configmap-postgres-bootstrap-script.yaml');
const container = job.spec.template.spec.containers[0];
const jobEnv = new Map<string, string>(
  container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
);
const mountOf = (volume: string): string =>
  container.volumeMounts.find((m: { name: string }) => m.name === volume).mountPath;
const roles = jobEnv.get('BOOTSTRAP_ROLES')!.split(' ');

describe.skipIf(!ADMIN_URL)('PostgreSQL bootstrap on a real PostgreSQL', () => {
  const admin = new URL(ADMIN_URL ?? 'postgres://unset');
  const port = admin.port || '5432';
  const master = { user: 'platform_admin_test', password: `m-${process.pid}-'"\\$x` };
  const passwords: Record<string, string> = {
    keycloak: `kc-${process.pid}-'"\\ $(date)`,
    langfuse: `lf-${process.pid}-;--`,
  };
  let dir: string;

  const sql = async (query: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      return (await c.query(query)).rows;
    } finally {
      await c.end();
    }
  };
  const dropAll = async () => {
    for (const r of roles) {
      await sql(`DROP DATABASE IF EXISTS ${r}`);
      await sql(`DROP ROLE IF EXISTS ${r}`);
    }
    await sql(`DROP ROLE IF EXISTS ${master.user}`);
  };

  /** The Job's files: each volume at its mount path, under a temporary root. */
  const mounted = (volume: string) => path.join(dir, mountOf(volume));
  const writeFiles = (volume: string, files: Record<string, string>) => {
    mkdirSync(mounted(volume), { recursive: true });
    for (const [name, content] of Object.entries(files))
      writeFileSync(path.join(mounted(volume), name), content);
  };

  /** Runs the Job's command with the Job's environment, its paths moved under `dir`. */
  const runJob = () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const [k, v] of jobEnv) env[k] = k.endsWith('_DIR') ? path.join(dir, v) : v;
    // The only change: this local server has no TLS, RDS requires it (the Job sets `require`).
    env.PGSSLMODE = 'disable';
    const [shell, file] = container.command as [string, string];
    return execFileSync(shell, [path.join(dir, file)], { env, encoding: 'utf8' });
  };

  const connect = async (role: string, database: string, password = passwords[role]!) => {
    const c = new pg.Client({
      host: '127.0.0.1',
      port: Number(port),
      user: role,
      password,
      database,
    });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    await dropAll();
    // The RDS master: no superuser, CREATEROLE and CREATEDB (what rds_superuser brings).
    await sql(
      `CREATE ROLE ${master.user} LOGIN CREATEROLE CREATEDB PASSWORD '${master.password.replaceAll("'", "''")}'`,
    );
    dir = mkdtempSync(path.join(tmpdir(), 'postgres-bootstrap-'));
    writeFiles('script', script.data);
    writeFiles('master', { username: master.user, password: master.password });
    writeFiles('endpoint', { host: '127.0.0.1', port });
    writeFiles('roles', passwords);
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await dropAll();
  });

  it('creates both roles and databases, and a second run changes nothing and succeeds', async () => {
    expect(roles).toEqual(['keycloak', 'langfuse']);
    const first = runJob();
    expect(first).toMatch(/role and database keycloak ready/);
    const state = () =>
      sql(
        `SELECT r.rolname, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
                r.rolcanlogin, d.datname, pg_get_userbyid(d.datdba) AS owner, d.datacl::text AS acl
           FROM pg_roles r JOIN pg_database d ON d.datname = r.rolname
          WHERE r.rolname IN ('keycloak', 'langfuse') ORDER BY 1`,
      );
    const after = await state();
    expect(after).toEqual(
      roles.map((r) => ({
        rolname: r,
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        rolcanlogin: true,
        datname: r,
        owner: r,
        // Only the owner's own privileges: nothing for PUBLIC (no `=c/…` entry).
        acl: `{${r}=CTc/${r}}`,
      })),
    );
    runJob();
    expect(await state()).toEqual(after);
  });

  it('lets each role create tables in its own database and not connect to the other', async () => {
    for (const [own, other] of [
      ['keycloak', 'langfuse'],
      ['langfuse', 'keycloak'],
    ] as const) {
      const c = await connect(own, own);
      await c.query('CREATE TABLE IF NOT EXISTS bootstrap_probe (id int)');
      await c.query('INSERT INTO bootstrap_probe VALUES (1)');
      expect((await c.query('SELECT count(*)::int AS n FROM bootstrap_probe')).rows[0].n).toBe(1);
      await c.end();
      await expect(connect(own, other)).rejects.toThrow(
        new RegExp(`permission denied for database "?${other}"?`),
      );
    }
  });

  it('applies a changed password at the next run', async () => {
    passwords.langfuse = `rotated-${process.pid}`;
    writeFiles('roles', { langfuse: passwords.langfuse });
    await expect(connect('langfuse', 'langfuse')).rejects.toThrow(/password authentication/);
    runJob();
    await (await connect('langfuse', 'langfuse')).end();
  });

  it('refuses a role that has an attribute only a superuser can remove', async () => {
    await sql('ALTER ROLE langfuse BYPASSRLS');
    expect(() => runJob()).toThrow(/role langfuse has SUPERUSER, REPLICATION or BYPASSRLS/);
    await sql('ALTER ROLE langfuse NOBYPASSRLS');
  });

  it('fails, naming the file, when a role has no password', () => {
    rmSync(path.join(mounted('roles'), 'keycloak'));
    expect(() => runJob()).toThrow(/no password for role keycloak in .*postgres-roles\/keycloak/);
    writeFiles('roles', { keycloak: passwords.keycloak! });
  });
});
