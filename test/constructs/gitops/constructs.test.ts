import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AddonApplicationSet } from '../../../constructs/gitops/addon-application-set';
import { BootstrapProject } from '../../../constructs/gitops/bootstrap-project';
import { PlatformProject } from '../../../constructs/gitops/platform-project';
import { RootApplication } from '../../../constructs/gitops/root-application';
import { TenantApplicationSet } from '../../../constructs/gitops/tenant-application-set';
import { TenantProject } from '../../../constructs/gitops/tenant-project';

const REPO = 'https://github.com/example-org/agentic-platform.git';
function synth(build: (chart: Chart) => void) {
  const chart = new Chart(new App(), 'test');
  build(chart);
  return chart.toJson();
}

const ROLE_GROUPS = {
  admin: ['/tenants/acme/admins'],
  developer: ['/tenants/acme/developers'],
  viewer: ['/tenants/acme/viewers'],
};

describe('gitops constructs', () => {
  it('root Application syncs the bootstrap folder only, in the bootstrap project', () => {
    expect(
      synth(
        (c) =>
          new RootApplication(c, 'Root', {
            environment: 'dev',
            repoUrl: REPO,
            targetRevision: 'main',
          }),
      ),
    ).toMatchSnapshot();
  });

  it('bootstrap project admits only Argo CD kinds in the argocd namespace', () => {
    expect(synth((c) => new BootstrapProject(c, 'P', { repoUrl: REPO }))).toMatchSnapshot();
  });

  it('platform project lists its repositories, sorted and deduplicated', () => {
    const [p] = synth((c) => new PlatformProject(c, 'P', { sourceRepos: ['b', REPO, 'b'] }));
    expect(p.spec.sourceRepos).toEqual([REPO, 'b'].sort());
  });

  it('fails when the platform project would read any repository', () => {
    expect(() => synth((c) => new PlatformProject(c, 'P', { sourceRepos: ['*'] }))).toThrow(
      /without wildcards/,
    );
  });

  it('fails when a tenant sync service account has no namespace', () => {
    expect(() =>
      synth(
        (c) =>
          new TenantProject(c, 'T', {
            tenant: 'tenant-acme',
            namespace: 'acme',
            repoUrl: REPO,
            syncServiceAccount: 'acme-sync',
            roleGroups: ROLE_GROUPS,
          }),
      ),
    ).toThrow(/must be "<namespace>:<name>"/);
  });

  it('gives each tenant project role its groups and policies on its own applications only', () => {
    const [p] = synth(
      (c) =>
        new TenantProject(c, 'T', {
          tenant: 'tenant-acme',
          namespace: 'acme',
          repoUrl: REPO,
          syncServiceAccount: 'argocd:tenant-acme-sync',
          roleGroups: ROLE_GROUPS,
        }),
    );
    const roles = Object.fromEntries(
      p.spec.roles.map((r: { name: string; groups: string[]; policies: string[] }) => [r.name, r]),
    );
    expect(roles.developer.groups).toEqual(['/tenants/acme/developers']);
    expect(roles.developer.policies).toEqual([
      'p, proj:tenant-acme:developer, applications, get, tenant-acme/*, allow',
      'p, proj:tenant-acme:developer, applications, sync, tenant-acme/*, allow',
      'p, proj:tenant-acme:developer, logs, get, tenant-acme/*, allow',
    ]);
    expect(roles.viewer.policies).toEqual([
      'p, proj:tenant-acme:viewer, applications, get, tenant-acme/*, allow',
    ]);
    expect(roles.admin.policies).toContain(
      'p, proj:tenant-acme:admin, applications, action/*, tenant-acme/*, allow',
    );
  });

  it('fails when a tenant project role has no group', () => {
    expect(() =>
      synth(
        (c) =>
          new TenantProject(c, 'T', {
            tenant: 'tenant-acme',
            namespace: 'acme',
            repoUrl: REPO,
            syncServiceAccount: 'argocd:tenant-acme-sync',
            roleGroups: { ...ROLE_GROUPS, viewer: [] },
          }),
      ),
    ).toThrow(/roleGroups.viewer is empty/);
  });

  it('fails when the platform part of the tenants has no sync identity folder', () => {
    expect(() =>
      synth(
        (c) =>
          new TenantApplicationSet(c, 'T', {
            environment: 'dev',
            repoUrl: REPO,
            targetRevision: 'main',
            part: 'platform',
          }),
      ),
    ).toThrow(/syncIdentityPath/);
  });

  it('add-on ApplicationSet selects the environment and the enable label', () => {
    expect(
      synth(
        (c) =>
          new AddonApplicationSet(c, 'A', {
            addon: 'cert-manager',
            name: 'cert-manager',
            environment: 'dev',
            namespace: 'cert-manager',
            syncWave: 'operators',
            project: 'platform',
            source: {
              type: 'oci',
              repoUrl: 'oci://quay.io/jetstack/charts/cert-manager',
              version: 'v1.21.1',
            },
            helmValues: { crds: { enabled: true } },
          }),
      ),
    ).toMatchSnapshot();
  });

  it('fails when Helm values hold template syntax the ApplicationSet would render', () => {
    expect(() =>
      synth(
        (c) =>
          new AddonApplicationSet(c, 'A', {
            addon: 'keycloak',
            name: 'keycloak',
            environment: 'dev',
            namespace: 'keycloak',
            syncWave: 'operators',
            project: 'platform',
            source: { type: 'helm', repoUrl: 'https://x', chart: 'x', version: '1' },
            helmValues: { extraEnv: '{{ .Release.Name }}' },
          }),
      ),
    ).toThrow(/extraEnv .* contains "\{\{"/);
  });
});
