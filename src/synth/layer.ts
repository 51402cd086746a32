import { environmentShared } from '../model/environment-shared';
import type {
  EnvironmentContext,
  EnvironmentModel,
  EnvironmentShared,
  TenantModel,
} from '../model/types';
import type { OutputFiles } from './output';

/**
 * A layer writes its part of one environment's output. Pure: model in, files out. Called as
 * a whole it writes both of its parts; synth builds (and caches) each part on its own.
 */
export interface Layer {
  (env: EnvironmentModel, out: OutputFiles): void;
  readonly parts: LayerParts;
}

/**
 * The objects of a layer that belong to no one tenant, built from the environment without
 * its tenant list (`environmentShared`): synth caches them by exactly that.
 */
export type EnvironmentPart = (env: EnvironmentShared, out: OutputFiles) => void;

/** One tenant's objects of a layer, built from that tenant and `bundleContext` alone. */
export type TenantPart = (env: EnvironmentContext, tenant: TenantModel, out: OutputFiles) => void;

export interface LayerParts {
  /** The objects that belong to no one tenant; absent when every object belongs to one. */
  readonly environment?: EnvironmentPart;
  /**
   * One tenant's objects (its AppProject, its tenant-sync folder, its catalog part...). Synth
   * builds them with the tenant's bundle and caches them with it, so a change to one tenant
   * rebuilds that tenant's objects only.
   */
  readonly tenant?: TenantPart;
}

/**
 * A layer made of an environment part and a part for each tenant (either may be absent);
 * called as a whole, it writes both, the tenants' in the environment's order.
 */
export function splitLayer(parts: LayerParts): Layer {
  const layer = (env: EnvironmentModel, out: OutputFiles) => {
    parts.environment?.(environmentShared(env), out);
    if (!parts.tenant) return;
    const context = bundleContext(env);
    for (const tenant of env.tenants) parts.tenant(context, tenant, out);
  };
  return Object.assign(layer, { parts });
}

/** A layer whose every object belongs to the environment (Terraform, the policies). */
export function environmentLayer(environment: EnvironmentPart): Layer {
  return splitLayer({ environment });
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
