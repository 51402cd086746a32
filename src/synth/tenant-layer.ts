import { TenantBundle } from '../../constructs/tenant/tenant-bundle';
import type { EnvironmentModel } from '../model/types';
import { synthChart } from './chart-objects';
import { addManifests, type OutputFiles } from './output';

/** `tenants/<tenant>/…`: one folder a tenant, one Argo CD Application a folder. */
export function tenantLayer(env: EnvironmentModel, out: OutputFiles): void {
  for (const tenant of env.tenants) {
    const manifests = synthChart(
      (app) => new TenantBundle(app, tenant.name, { tenant, environment: env }),
    );
    addManifests(out, `tenants/${tenant.name}`, manifests, tenant.sourceFile);
  }
}
