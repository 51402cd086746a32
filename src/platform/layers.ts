import { Chart } from 'cdk8s';
import { chartRepositories } from '../../constructs/addons/charts';
import { BootstrapProject } from '../../constructs/gitops/bootstrap-project';
import { PlatformProject } from '../../constructs/gitops/platform-project';
import { RootApplication } from '../../constructs/gitops/root-application';
import {
  TenantApplicationSet,
  tenantProjectName,
} from '../../constructs/gitops/tenant-application-set';
import { TenantProject } from '../../constructs/gitops/tenant-project';
import type { EnvironmentShared } from '../model/types';
import type { Manifest } from '../synth/manifest';
import { synthChart } from '../synth/chart-objects';
import { splitLayer, type Layer } from '../synth/layer';
import { addManifests } from '../synth/output';
import { addAddons } from './addons';
import {
  addPlatformFolders,
  platformManifests,
  TENANT_SYNC_FOLDER,
  tenantSyncManifests,
  tenantSyncServiceAccount,
} from './platform-manifests';

/** The root Application and its AppProject: written to bootstrap/ and applied by Terraform alike. */
function addRoot(chart: Chart, env: EnvironmentShared): void {
  const { repoUrl, targetRevision } = env.spec.gitops;
  new RootApplication(chart, 'Root', { environment: env.name, repoUrl, targetRevision });
  new BootstrapProject(chart, 'BootstrapProject', { repoUrl });
}

/**
 * The root Application and the bootstrap AppProject as plain manifests. The cluster stack
 * creates exactly these (GitOps Bridge), and the root Application then manages the same
 * objects from git, so Terraform and Argo CD never disagree about them.
 */
export function bootstrapRootManifests(env: EnvironmentShared): {
  application: Manifest;
  project: Manifest;
} {
  const manifests = synthChart((app) => {
    const chart = new Chart(app, `root-${env.name}`, { disableResourceNameHashes: true });
    addRoot(chart, env);
    return chart;
  });
  const application = manifests.find((m) => m.kind === 'Application');
  const project = manifests.find((m) => m.kind === 'AppProject');
  if (!application || !project)
    throw new Error(`root manifests of ${env.name}: expected one Application and one AppProject`);
  return { application, project };
}

/**
 * `bootstrap/`: what the root Application syncs. AppProjects (bootstrap, platform, one per
 * tenant), the root Application itself, the add-on ApplicationSets (cluster generator over the
 * GitOps Bridge Secret), the platform-folder ApplicationSets and the two tenant
 * ApplicationSets (git directory generator over `tenants/*`).
 */
export const bootstrapLayer: Layer = splitLayer({
  environment: (env, out) => {
    const { repoUrl, targetRevision } = env.spec.gitops;
    const manifests = synthChart((app) => {
      const chart = new Chart(app, `bootstrap-${env.name}`, { disableResourceNameHashes: true });
      addRoot(chart, env);
      new PlatformProject(chart, 'PlatformProject', {
        sourceRepos: [repoUrl, ...chartRepositories()],
      });
      addAddons(chart, env);
      addPlatformFolders(chart, env);
      new TenantApplicationSet(chart, 'Tenants', {
        environment: env.name,
        repoUrl,
        targetRevision,
        part: 'tenant',
      });
      new TenantApplicationSet(chart, 'TenantsPlatform', {
        environment: env.name,
        repoUrl,
        targetRevision,
        part: 'platform',
        syncIdentityPath: `dist/${env.name}/${TENANT_SYNC_FOLDER}/{{.path.basename}}`,
      });
      return chart;
    });
    addManifests(out, 'bootstrap', manifests, env.sourceFile);
  },
  // The tenant's AppProject, with its roles and their groups.
  tenant: (env, t, out) => {
    const manifests = synthChart((app) => {
      const chart = new Chart(app, `bootstrap-${env.name}-${t.name}`, {
        disableResourceNameHashes: true,
      });
      new TenantProject(chart, `Project-${t.name}`, {
        tenant: tenantProjectName(t.name),
        namespace: t.namespace,
        repoUrl: env.spec.gitops.repoUrl,
        syncServiceAccount: tenantSyncServiceAccount(t.name),
        roleGroups: t.groups,
      });
      return chart;
    });
    addManifests(out, 'bootstrap', manifests, env.sourceFile);
  },
});

/**
 * `platform/<folder>/`: platform-owned manifests, one Application a folder; and
 * `platform/tenant-sync/<tenant>/`, what the platform keeps in a tenant's namespace and in
 * Keycloak for it, one folder a tenant.
 */
export const platformLayer: Layer = splitLayer({
  environment: (env, out) => {
    for (const [folder, manifests] of platformManifests(env)) {
      addManifests(out, folder, manifests, env.sourceFile);
    }
  },
  tenant: (env, t, out) => {
    addManifests(
      out,
      `${TENANT_SYNC_FOLDER}/${t.name}`,
      tenantSyncManifests(env, t),
      env.sourceFile,
    );
  },
});
