import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KeycloakAdmin } from '../../../src/identity/keycloak-admin';
import type { ConvergenceReport } from '../../../src/identity/realm-convergence';
import type { BaseRealm, TenantRealmPart } from '../../../src/identity/realm-representation';
import { PLATFORM_GROUPS, tenantGroups } from '../../../src/model/identity';
import { tenantRealmGroups } from '../../../src/platform/platform-realm';
import { groupTree } from '../../../src/identity/realm-representation';
import { buildRegistry, type Registry } from '@agentic-platform/agent-registry/app';
import { catalogFromEnvironment } from '../../../src/registry/catalog/from-environment';
import { loadConfig } from '@agentic-platform/agent-registry/config';
import { createLogger } from '@agentic-platform/agent-registry/logger';
import { openPglite } from '@agentic-platform/agent-registry/store/database';
import { migrate } from '@agentic-platform/agent-registry/store/migrations';
import { SqlRegistryStore } from '@agentic-platform/agent-registry/store/sql-registry-store';
import { devEnvironment, logSink } from '../../registry/helpers';
import { startKeycloak, type KeycloakServer } from './keycloak-server';
import { claims, login } from './oidc-login';

const run = promisify(execFile);
const DIST = join(process.cwd(), 'dist', 'dev');
const REALM = 'platform';

/** The synthesized base realm and tenant parts of dist/dev, as the cluster gets them. */
function synthesized(): { baseJson: string; base: BaseRealm; tenants: TenantRealmPart[] } {
  const cm = parse(
    readFileSync(join(DIST, 'platform/keycloak/configmap-keycloak-realm-platform.yaml'), 'utf8'),
  ) as { data: Record<string, string> };
  const baseJson = cm.data[`${REALM}.json`]!;
  const sync = join(DIST, 'platform/tenant-sync');
  const tenants = readdirSync(sync).map((t) => {
    const part = parse(
      readFileSync(join(sync, t, `configmap-keycloak-realm-tenant-${t}.yaml`), 'utf8'),
    ) as { data: Record<string, string> };
    return JSON.parse(part.data['groups.json']!) as TenantRealmPart;
  });
  return { baseJson, base: JSON.parse(baseJson) as BaseRealm, tenants };
}

/** A generated tenant's part, built by the same functions synthesis uses. */
function generatedTenant(name: string): TenantRealmPart {
  const groups = tenantRealmGroups({ name, groups: tenantGroups(name, []) });
  return { tenant: name, group: groupTree(`/tenants/${name}`, groups) };
}

const GENERATED = Array.from({ length: 12 }, (_, i) => `gen-${String(i).padStart(2, '0')}`);

describe('identity against a real Keycloak 26.5.6', () => {
  let kc: KeycloakServer;
  let admin: KeycloakAdmin;
  let work: string;
  const real = synthesized();
  const initial = [...real.tenants, ...GENERATED.map(generatedTenant)];

  /**
   * Runs the convergence program exactly as the Job does: the bundled bytes of dist/'s
   * program ConfigMap, on plain Node, the admin secret read from a mounted file.
   */
  async function program(args: string[]): Promise<ConvergenceReport> {
    const secretFile = join(work, 'client-secret');
    writeFileSync(secretFile, `${kc.admin.clientSecret}\n`, { mode: 0o440 });
    const { stdout } = await run('node', [join(work, 'converge-realm.mjs'), ...args], {
      env: {
        ...process.env,
        KEYCLOAK_ADMIN_CLIENT_ID: kc.admin.clientId,
        KEYCLOAK_ADMIN_CLIENT_SECRET_FILE: secretFile,
      },
    });
    return JSON.parse(stdout) as ConvergenceReport;
  }

  /** A full run with these tenant parts (as the tenant ConfigMaps would list). */
  async function converge(tenants: TenantRealmPart[]): Promise<ConvergenceReport> {
    const dir = mkdtempSync(join(work, 'tenants-'));
    for (const t of tenants) writeFileSync(join(dir, `${t.tenant}.json`), JSON.stringify(t));
    return program([
      '--keycloak-url',
      kc.url,
      '--base',
      join(work, 'base.json'),
      '--tenants-dir',
      dir,
    ]);
  }

  const group = (path: string) => admin.groupByPath(REALM, path);
  const issuer = () => `${kc.url}/realms/${REALM}`;
  const registryRedirect = () =>
    `${real.base.clients.find((c) => c.clientId === 'agent-registry')!.rootUrl}/callback`;

  async function createUser(username: string, groups: string[]): Promise<string> {
    return (await admin.call<string>('POST', `/${REALM}/users`, {
      username,
      enabled: true,
      email: `${username}@example.com`,
      emailVerified: true,
      firstName: username,
      lastName: 'Suite',
      credentials: [{ type: 'password', value: `pw-${username}`, temporary: false }],
      groups,
    }))!;
  }
  async function userGroups(id: string): Promise<string[]> {
    const list = (await admin.call<{ path: string }[]>('GET', `/${REALM}/users/${id}/groups`))!;
    return list.map((g) => g.path).sort();
  }
  async function clientSecret(clientId: string): Promise<string> {
    const c = (await admin.clientByClientId(REALM, clientId))!;
    return (await admin.call<{ value: string }>('GET', `/${REALM}/clients/${c.id}/client-secret`))!
      .value;
  }
  async function tokenFor(username: string, clientId: string): Promise<string> {
    const rootUrl = real.base.clients.find((c) => c.clientId === clientId)!.rootUrl;
    return (
      await login({
        issuer: issuer(),
        clientId,
        clientSecret: await clientSecret(clientId),
        redirectUri: clientId === 'agent-registry' ? registryRedirect() : `${rootUrl}/callback`,
        username,
        password: `pw-${username}`,
      })
    ).access_token;
  }

  let aliceId = '';
  let carolId = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'identity-suite-'));
    writeFileSync(join(work, 'base.json'), real.baseJson);
    const programCm = parse(
      readFileSync(join(DIST, 'platform/keycloak/configmap-realm-converge-program.yaml'), 'utf8'),
    ) as { data: Record<string, string> };
    writeFileSync(join(work, 'converge-realm.mjs'), programCm.data['converge-realm.mjs']!);
    kc = await startKeycloak({ [`${REALM}.json`]: real.baseJson });
    process.stdout.write(`keycloak ready in ${kc.startSeconds.toFixed(1)} s at ${kc.url}\n`);
    admin = new KeycloakAdmin(kc.url, kc.admin);
  }, 330_000);

  afterAll(async () => {
    await kc?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('imports the synthesized base realm at start: platform groups as a hierarchy, an empty tenant root', async () => {
    expect(await admin.realmExists(REALM)).toBe(true);
    const admins = await group(PLATFORM_GROUPS.admin);
    expect(admins?.path).toBe('/platform/admins');
    expect((await admin.groupRealmRoles(REALM, admins!.id)).map((r) => r.name)).toEqual([
      'platform-admin',
    ]);
    const root = (await group('/tenants'))!;
    expect(await admin.children(REALM, root.id)).toEqual([]);
    const registry = (await admin.clientByClientId(REALM, 'agent-registry'))!;
    const mappers = await admin.clientMappers(REALM, registry.id);
    expect(mappers.find((m) => m.name === 'groups')?.config).toMatchObject({ 'full.path': 'true' });
  });

  it('converges N tenants onto the running realm, then a second run changes nothing', async () => {
    const first = await converge(initial);
    expect(first.realmCreated).toBe(false);
    expect(first.created).toContain('/tenants/acme/developers');
    expect(first.created).toContain('/tenants/globex/leads');
    expect(first.created).toHaveLength(initial.length * 4 + 1); // globex has leads too
    const dev = (await group('/tenants/acme/developers'))!;
    expect((await admin.groupRealmRoles(REALM, dev.id)).map((r) => r.name)).toEqual([
      'tenant-developer',
    ]);
    const again = await converge(initial);
    expect(again).toMatchObject({ created: [], deleted: [], kept: [], roleChanges: [] });
    expect(again.clientsUpdated).toEqual([]);
  });

  it('adds a tenant and removes others without losing users, credentials or memberships', async () => {
    aliceId = await createUser('alice', ['/tenants/acme/developers']);
    carolId = await createUser('carol', ['/tenants/gen-03/viewers']);
    await createUser('root', [PLATFORM_GROUPS.admin]);
    const next = [
      ...initial.filter((t) => t.tenant !== 'initech' && t.tenant !== 'gen-03'),
      generatedTenant('newco'),
    ];
    const report = await converge(next);
    expect(report.created.sort()).toEqual([
      '/tenants/newco',
      '/tenants/newco/admins',
      '/tenants/newco/developers',
      '/tenants/newco/viewers',
    ]);
    // initech had no members: removed. gen-03 has carol: kept, and disarmed.
    expect(report.deleted).toEqual(['/tenants/initech']);
    expect(report.kept).toEqual([{ path: '/tenants/gen-03', members: 1 }]);
    expect(await group('/tenants/initech')).toBeUndefined();
    const kept = (await group('/tenants/gen-03/viewers'))!;
    expect(await admin.groupRealmRoles(REALM, kept.id)).toEqual([]);
    expect(await group('/tenants/newco/developers')).toBeDefined();

    expect(await userGroups(aliceId)).toEqual(['/tenants/acme/developers']);
    expect(await userGroups(carolId)).toEqual(['/tenants/gen-03/viewers']);
    // alice's password still signs her in.
    const token = claims(await tokenFor('alice', 'agent-registry'));
    expect(token.groups).toEqual(['/tenants/acme/developers']);
  });

  it('a tenant-only run (the tenant Application hook) converges that tenant and no other', async () => {
    const part = generatedTenant('solo');
    const file = join(work, 'solo.json');
    writeFileSync(file, JSON.stringify(part));
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'src/cli/converge-realm.ts',
        '--keycloak-url',
        kc.url,
        '--realm',
        REALM,
        '--tenant',
        file,
      ],
      {
        env: {
          ...process.env,
          KEYCLOAK_ADMIN_CLIENT_ID: kc.admin.clientId,
          KEYCLOAK_ADMIN_CLIENT_SECRET: kc.admin.clientSecret,
        },
      },
    );
    const report = JSON.parse(stdout) as ConvergenceReport;
    expect(report.created).toHaveLength(4);
    expect(report.deleted).toEqual([]);
    expect(await group('/tenants/gen-03')).toBeDefined();
  });

  it('fails, naming the group and role, when a tenant declares a role the realm lacks', async () => {
    const bad = generatedTenant('bad');
    const part = {
      ...bad,
      group: {
        ...bad.group,
        subGroups: [{ ...bad.group.subGroups[0]!, realmRoles: ['no-such-role'] }],
      },
    };
    const file = join(work, 'bad.json');
    writeFileSync(file, JSON.stringify(part));
    await expect(
      program(['--keycloak-url', kc.url, '--realm', REALM, '--tenant', file]),
    ).rejects.toThrow(/group \/tenants\/bad\/admins declares realm role "no-such-role"/);
  });

  it('fails before calling Keycloak when a tenant part holds another subtree', async () => {
    const file = join(work, 'wrong.json');
    writeFileSync(file, JSON.stringify({ ...generatedTenant('x'), tenant: 'y' }));
    await expect(
      program(['--keycloak-url', kc.url, '--realm', REALM, '--tenant', file]),
    ).rejects.toThrow(/a tenant part must hold exactly its subtree \/tenants\/y/);
    expect(await group('/tenants/x')).toBeUndefined();
  });

  it('issues tokens with full group paths, realm roles and the client as audience', async () => {
    const alice = claims(await tokenFor('alice', 'agent-registry'));
    expect(alice.groups).toEqual(['/tenants/acme/developers']);
    expect((alice.realm_access as { roles: string[] }).roles).toContain('tenant-developer');
    expect([alice.aud].flat()).toContain('agent-registry');
    const root = claims(await tokenFor('root', 'agent-registry'));
    expect(root.groups).toEqual(['/platform/admins']);
    expect((root.realm_access as { roles: string[] }).roles).toContain('platform-admin');
    const grafana = claims(await tokenFor('alice', 'grafana'));
    expect([grafana.aud].flat()).toContain('grafana');
    expect([grafana.aud].flat()).not.toContain('agent-registry');
  });

  describe('the registry with real tokens', () => {
    let registry: Registry;
    beforeAll(async () => {
      const db = await openPglite();
      await migrate(db);
      const catalog = catalogFromEnvironment(devEnvironment());
      registry = await buildRegistry({
        config: loadConfig({
          REGISTRY_LOG_LEVEL: 'warn',
          REGISTRY_OIDC_ISSUER: issuer(),
          REGISTRY_JWKS_URL: `${issuer()}/protocol/openid-connect/certs`,
          REGISTRY_OIDC_AUDIENCE: 'agent-registry',
        }),
        store: new SqlRegistryStore(db),
        logger: createLogger('warn', logSink().stream),
        loadCatalog: async () => catalog,
      });
      await registry.catalog.load();
    });
    afterAll(async () => registry?.app.close());

    const createKey = async (tenant: string, token: string) =>
      registry.app.inject({
        method: 'POST',
        url: `/v1/tenants/${tenant}/keys`,
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'suite', scopes: ['agent:*'] },
      });

    it('lets an owner manage its tenant', async () => {
      const res = await createKey('acme', await tokenFor('alice', 'agent-registry'));
      expect(res.statusCode, res.body).toBe(201);
    });
    it("forbids an owner another tenant's keys", async () => {
      const res = await createKey('globex', await tokenFor('alice', 'agent-registry'));
      expect(res.statusCode, res.body).toBe(403);
    });
    it('lets a platform admin manage any tenant', async () => {
      const res = await createKey('globex', await tokenFor('root', 'agent-registry'));
      expect(res.statusCode, res.body).toBe(201);
    });
    it('refuses a token issued to another client (401)', async () => {
      const res = await createKey('acme', await tokenFor('alice', 'grafana'));
      expect(res.statusCode, res.body).toBe(401);
    });
  });
});
