import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { RealmConvergence } from '../../../constructs/platform/realm-convergence';
import { TenantRealmConvergence } from '../../../constructs/platform/tenant-realm-convergence';

function synth(build: (chart: Chart) => void) {
  const chart = new Chart(new App(), 'test');
  build(chart);
  return chart.toJson();
}
const common = {
  namespace: 'keycloak',
  programFile: 'converge-realm.mjs',
  keycloakUrl: 'http://keycloak-keycloakx-http.keycloak.svc:80',
  adminClientId: 'realm-converge',
  adminSecret: { name: 'keycloak-admin', key: 'clientSecret' },
  image: 'docker.io/library/node:20.19-bookworm-slim',
  placement: { nodeSelector: { workload: 'platform' }, tolerations: [] },
};
const full = (schedule?: string) =>
  synth(
    (c) =>
      new RealmConvergence(c, 'R', {
        ...common,
        name: 'realm-converge',
        program: 'console.log(1)\n',
        baseConfigMap: 'keycloak-realm-platform',
        baseKey: 'platform.json',
        tenantSelector: 'platform.agentic.io/realm-part=tenant',
        tenantKey: 'groups.json',
        tenantRoot: '/tenants',
        ...(schedule ? { schedule } : {}),
      }),
  );
const byKind = (objs: Record<string, any>[], kind: string) => objs.find((o) => o.kind === kind)!;

describe('RealmConvergence', () => {
  it('runs the bundled program as a PostSync hook Job and a CronJob reading the tenant ConfigMaps', () => {
    const objs = full();
    const job = byKind(objs, 'Job');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual([
      'node',
      '/opt/converge/converge-realm.mjs',
      '--keycloak-url',
      common.keycloakUrl,
      '--base',
      '/opt/realm/base/platform.json',
      '--tenant-root',
      '/tenants',
      '--tenants-namespace',
      'keycloak',
      '--tenants-selector',
      'platform.agentic.io/realm-part=tenant',
      '--tenants-key',
      'groups.json',
    ]);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    expect(byKind(objs, 'CronJob').spec.schedule).toBe('*/15 * * * *');
    expect(byKind(objs, 'ConfigMap').data['converge-realm.mjs']).toBe('console.log(1)\n');
    expect(byKind(objs, 'Role').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
    ]);
  });

  it('fails for a schedule that is not a cron expression', () => {
    expect(() => full('every 15 minutes')).toThrow(
      /schedule "every 15 minutes" is not a five-field cron/,
    );
  });
});

describe('TenantRealmConvergence', () => {
  it('converges one tenant from its mounted ConfigMap, without Kubernetes API access', () => {
    const [job] = synth(
      (c) =>
        new TenantRealmConvergence(c, 'T', {
          ...common,
          tenant: 'acme',
          name: 'realm-converge-acme',
          tenantConfigMap: 'keycloak-realm-tenant-acme',
          tenantKey: 'groups.json',
          realm: 'platform',
          tenantRoot: '/tenants',
          programConfigMap: 'realm-converge-program',
        }),
    );
    const pod = job.spec.template.spec;
    expect(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe(
      'BeforeHookCreation,HookSucceeded',
    );
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].command.slice(-6)).toEqual([
      '--realm',
      'platform',
      '--tenant-root',
      '/tenants',
      '--tenant',
      '/opt/realm/tenant/groups.json',
    ]);
    expect(
      pod.volumes.map(
        (v: { configMap?: { name: string }; secret?: { secretName: string } }) =>
          v.configMap?.name ?? v.secret?.secretName,
      ),
    ).toEqual(['realm-converge-program', common.adminSecret.name, 'keycloak-realm-tenant-acme']);
  });

  // checkov CKV_K8S_15/35/40: fixed in the pod every convergence Job shares, so no accepted
  // finding is added per tenant.
  it('runs as a high UID, pulls its image every time and reads the admin secret from a file', () => {
    const [job] = synth(
      (c) =>
        new TenantRealmConvergence(c, 'T', {
          ...common,
          tenant: 'acme',
          name: 'realm-converge-acme',
          tenantConfigMap: 'keycloak-realm-tenant-acme',
          tenantKey: 'groups.json',
          realm: 'platform',
          tenantRoot: '/tenants',
          programConfigMap: 'realm-converge-program',
        }),
    );
    const pod = job.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
    });
    const c = pod.containers[0];
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.env.some((e: { valueFrom?: unknown }) => e.valueFrom)).toBe(false);
    expect(c.env).toContainEqual({
      name: 'KEYCLOAK_ADMIN_CLIENT_SECRET_FILE',
      value: '/var/run/secrets/keycloak-admin/client-secret',
    });
    expect(c.volumeMounts).toContainEqual({
      name: 'admin-secret',
      mountPath: '/var/run/secrets/keycloak-admin',
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({
      name: 'admin-secret',
      secret: {
        secretName: common.adminSecret.name,
        items: [{ key: common.adminSecret.key, path: 'client-secret' }],
        defaultMode: 0o440,
      },
    });
  });
});
