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
          }),
      ),
    ).toThrow(/must be "<namespace>:<name>"/);
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
