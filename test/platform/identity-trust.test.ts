import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type {
  BaseRealm,
  RealmGroup,
  TenantRealmPart,
} from '../../src/identity/realm-representation';
import { flattenGroups } from '../../src/identity/realm-representation';
import { ROOT } from '../helpers';

/**
 * The chain that makes a tenant RoleBinding bind real people, followed across the layers of
 * each committed environment: EKS trusts the realm's issuer for the `kubernetes` client, reads
 * the claim the client's mapper writes (full paths), prefixes groups; every tenant RoleBinding
 * names `<prefix><group>` for a group the tenant's realm part declares.
 */
const ENVS = ['dev', 'staging', 'prod'];
const read = (env: string, rel: string) => readFileSync(join(ROOT, 'dist', env, rel), 'utf8');
const yaml = (env: string, rel: string) =>
  parse(read(env, rel).replace(/^#.*\n/, '')) as Record<string, any>;

describe.each(ENVS)('identity trust chain in dist/%s', (env) => {
  const tf = JSON.parse(read(env, 'terraform/cdk.tf.json'));
  const idps = Object.values(tf.resource.aws_eks_identity_provider_config ?? {}) as {
    oidc: { issuer_url: string; client_id: string; groups_claim: string; groups_prefix: string };
  }[];
  const base = JSON.parse(
    yaml(env, 'platform/keycloak/configmap-keycloak-realm-platform.yaml').data['platform.json'],
  ) as BaseRealm;
  const tenants = readdirSync(join(ROOT, 'dist', env, 'tenants'));

  it('associates exactly one OIDC provider: the platform realm, for a client the realm defines', () => {
    expect(idps).toHaveLength(1);
    const oidc = idps[0]!.oidc;
    const argo = yaml(env, 'bootstrap/applicationset-addon-argo-cd.yaml');
    const values =
      argo.spec.template.spec.source?.helm?.valuesObject ??
      argo.spec.template.spec.sources?.[0]?.helm?.valuesObject;
    expect(values.configs.cm['oidc.config']).toContain(`issuer: ${oidc.issuer_url}`);
    expect(oidc.issuer_url.endsWith(`/realms/${base.realm}`)).toBe(true);
    const client = base.clients.find((c) => c.clientId === oidc.client_id);
    expect(client, `realm has no client ${oidc.client_id}`).toBeDefined();
    const groups = client!.protocolMappers.find(
      (m) => m.protocolMapper === 'oidc-group-membership-mapper',
    );
    expect(groups?.config['claim.name']).toBe(oidc.groups_claim);
    expect(groups?.config['full.path']).toBe('true');
    expect(groups?.config['id.token.claim']).toBe('true');
    expect(oidc.groups_prefix).not.toBe('');
  });

  it.each(tenants)('binds tenant %s only to prefixed groups its realm part declares', (t) => {
    const prefix = idps[0]!.oidc.groups_prefix;
    const part = JSON.parse(
      yaml(env, `platform/tenant-sync/${t}/configmap-keycloak-realm-tenant-${t}.yaml`).data[
        'groups.json'
      ],
    ) as TenantRealmPart;
    const declared = new Set(flattenGroups(part.group as RealmGroup).map((g) => g.path));
    const bindings = readdirSync(join(ROOT, 'dist', env, 'tenants', t)).filter((f) =>
      f.startsWith('rolebinding-'),
    );
    expect(bindings.length).toBeGreaterThan(0);
    for (const f of bindings) {
      const rb = yaml(env, `tenants/${t}/${f}`);
      for (const s of rb.subjects.filter((x: { kind: string }) => x.kind === 'Group')) {
        expect(s.name.startsWith(prefix), `${f}: ${s.name}`).toBe(true);
        expect(declared.has(s.name.slice(prefix.length)), `${f}: ${s.name}`).toBe(true);
      }
    }
  });
});
