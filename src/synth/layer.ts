import type { EnvironmentContext, EnvironmentModel, TenantModel } from '../model/types';
import type { OutputFiles } from './output';

/** A layer writes its part of one environment's output. Pure: model in, files out. */
export interface Layer {
  (env: EnvironmentModel, out: OutputFiles): void;
  /** Set when the layer's objects split into the environment's own and each tenant's. */
  readonly parts?: LayerParts;
}

/** One tenant's objects of a layer, built from that tenant and `bundleContext` alone. */
export type TenantPart = (env: EnvironmentContext, tenant: TenantModel, out: OutputFiles) => void;

export interface LayerParts {
  /** The objects that belong to no one tenant; absent when every object belongs to one. */
  readonly environment?: (env: EnvironmentModel, out: OutputFiles) => void;
  /**
   * One tenant's objects (its AppProject, its tenant-sync folder, its catalog part...). Synth
   * builds them with the tenant's bundle and caches them with it, so a change to one tenant
   * rebuilds that tenant's objects only.
   */
  readonly tenant: TenantPart;
}

/**
 * A layer made of an environment part and a part for each tenant; called as a whole, it
 * writes both, the tenants' in the environment's order.
 */
export function splitLayer(parts: LayerParts): Layer {
  const layer = (env: EnvironmentModel, out: OutputFiles) => {
    parts.environment?.(env, out);
    const context = bundleContext(env);
    for (const tenant of env.tenants) parts.tenant(context, tenant, out);
  };
  return Object.assign(layer, { parts });
}

/**
 * The only part of an environment a tenant's objects are built from: never the environment's
 * tenant list (or its guardrails and exceptions), so their bytes depend on their own tenant
 * and these facts alone, which is what lets synth cache them by exactly those
 * (bundle-cache.ts).
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
