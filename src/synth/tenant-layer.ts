import { TenantBundle } from '../../constructs/tenant/tenant-bundle';
import type { EnvironmentContext, EnvironmentModel, TenantModel } from '../model/types';
import { synthChart } from './chart-objects';
import { addManifests, type OutputFiles } from './output';

/**
 * The only part of an environment a tenant bundle is given: never the environment's tenant
 * list (or its guardrails and exceptions), so a bundle's bytes depend on its own tenant and
 * these facts alone, which is what lets synth cache bundles by exactly those (bundle-cache.ts).
 */
export function bundleContext(env: EnvironmentContext): EnvironmentContext {
  return {
    name: env.name,
    sourceFile: env.sourceFile,
    spec: env.spec,
    gateway: env.gateway,
    telemetry: env.telemetry,
    kagentNamespace: env.kagentNamespace,
  };
}

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
export function tenantLayer(env: EnvironmentModel, out: OutputFiles): void {
  for (const tenant of env.tenants) tenantBundleFiles(env, tenant, out);
}
