import { RegistryBundle } from '../../../constructs/registry/registry-bundle';
import { RegistryTenantBundle } from '../../../constructs/registry/registry-tenant-bundle';
import { synthChart } from '../../synth/chart-objects';
import { splitLayer, type Layer } from '../../synth/layer';
import { addManifests } from '../../synth/output';
import { environmentCatalog, tenantCatalog } from '../catalog/from-environment';

/** Folder of one tenant's registry objects, relative to `dist/<env>/`. */
export const registryTenantFolder = (tenant: string) => `registry/per-tenant/${tenant}`;

/**
 * `registry/…`: the agent registry of one environment (one Argo CD Application,
 * `platform-registry`, which syncs the folder recursively). The environment's objects sit at
 * the top and carry no tenant data; each tenant's catalog part and ext-authz grant sit in
 * `registry/per-tenant/<tenant>/`, one cdk8s App each and headed by the tenant's spec, so adding,
 * changing or removing a tenant touches only that folder. Files are `<kind>-<name>.yaml`.
 */
export const registryLayer: Layer = splitLayer({
  environment: (env, out) => {
    const manifests = synthChart(
      (app) =>
        new RegistryBundle(app, 'agent-registry', {
          environment: env,
          catalog: environmentCatalog(env),
        }),
    );
    addManifests(out, 'registry', manifests, env.sourceFile);
  },
  tenant: (env, t, out) => {
    addManifests(
      out,
      registryTenantFolder(t.name),
      synthChart(
        (app) =>
          new RegistryTenantBundle(app, `agent-registry-${t.name}`, {
            environmentName: env.name,
            catalog: tenantCatalog(env, t),
          }),
      ),
      t.sourceFile,
    );
  },
});
