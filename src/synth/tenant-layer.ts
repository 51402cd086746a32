import { TenantBundle } from '../../constructs/tenant/tenant-bundle';
import type { EnvironmentModel, TenantModel } from '../model/types';
import { synthChart } from './chart-objects';
import { addManifests, type OutputFiles } from './output';

/** `tenants/<tenant>/…` of one tenant: its bundle, one Argo CD Application. */
export function tenantBundleFiles(
  env: EnvironmentModel,
  tenant: TenantModel,
  out: OutputFiles,
): void {
  const manifests = synthChart(
    (app) => new TenantBundle(app, tenant.name, { tenant, environment: env }),
  );
  addManifests(out, `tenants/${tenant.name}`, manifests, tenant.sourceFile);
}

/** `tenants/<tenant>/…`: one folder a tenant, one Argo CD Application a folder. */
export function tenantLayer(env: EnvironmentModel, out: OutputFiles): void {
  for (const tenant of env.tenants) tenantBundleFiles(env, tenant, out);
}
