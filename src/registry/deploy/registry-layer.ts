import { RegistryBundle } from '../../../constructs/registry/registry-bundle';
import { RegistryTenantBundle } from '../../../constructs/registry/registry-tenant-bundle';
import type { EnvironmentModel } from '../../model/types';
import { synthChart } from '../../synth/chart-objects';
import { addManifests, type OutputFiles } from '../../synth/output';
import { catalogPartsFromEnvironment } from '../catalog/from-environment';

/** Folder of one tenant's registry objects, relative to `dist/<env>/`. */
export const registryTenantFolder = (tenant: string) => `registry/per-tenant/${tenant}`;

/**
 * `registry/…`: the agent registry of one environment (one Argo CD Application,
 * `platform-registry`, which syncs the folder recursively). The environment's objects sit at
 * the top and carry no tenant data; each tenant's catalog part and ext-authz grant sit in
 * `registry/per-tenant/<tenant>/`, one cdk8s App each and headed by the tenant's spec, so adding,
 * changing or removing a tenant touches only that folder. Files are `<kind>-<name>.yaml`.
 */
export function registryLayer(env: EnvironmentModel, out: OutputFiles): void {
  const parts = catalogPartsFromEnvironment(env);
  const manifests = synthChart(
    (app) =>
      new RegistryBundle(app, 'agent-registry', {
        environment: env,
        catalog: parts.environment,
      }),
  );
  addManifests(out, 'registry', manifests, env.sourceFile);
  const specOf = new Map(env.tenants.map((t) => [t.name, t.sourceFile]));
  for (const part of parts.tenants) {
    const tenant = part.tenant.name;
    addManifests(
      out,
      registryTenantFolder(tenant),
      synthChart(
        (app) =>
          new RegistryTenantBundle(app, `agent-registry-${tenant}`, {
            environmentName: env.name,
            catalog: part,
          }),
      ),
      specOf.get(tenant) ?? env.sourceFile,
    );
  }
}
