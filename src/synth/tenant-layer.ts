import { TenantBundle } from '../../constructs/tenant/tenant-bundle';
import type { EnvironmentContext, TenantModel } from '../model/types';
import { synthChart } from './chart-objects';
import { bundleContext, splitLayer, type Layer } from './layer';
import { addManifests, type OutputFiles } from './output';

/** `tenants/<tenant>/…` of one tenant: its bundle, one Argo CD Application. */
export function tenantBundleFiles(
  env: EnvironmentContext,
  tenant: TenantModel,
  out: OutputFiles,
): void {
  // Picked again: a caller holding the whole environment model still hands over only this.
  const environment = bundleContext(env);
  const manifests = synthChart(
    (app) => new TenantBundle(app, tenant.name, { tenant, environment }),
  );
  addManifests(out, `tenants/${tenant.name}`, manifests, tenant.sourceFile);
}

/** `tenants/<tenant>/…`: one folder a tenant, one Argo CD Application a folder. */
export const tenantLayer: Layer = splitLayer({ tenant: tenantBundleFiles });
