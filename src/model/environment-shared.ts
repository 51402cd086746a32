import { SANDBOX_RUNTIME_CLASS } from './conventions';
import type { EnvironmentModel, EnvironmentShared, TenantFacts } from './types';

const SHARED = new WeakMap<EnvironmentModel, EnvironmentShared>();

/**
 * `env` without its tenant list, with the facts its own objects read (`TenantFacts`). A new
 * object, not a typed view: a layer's environment part that reached for `tenants` anyway
 * finds nothing there, instead of reading a list its cache key does not cover. One a model
 * (the model is immutable).
 */
export function environmentShared(env: EnvironmentModel): EnvironmentShared {
  let shared = SHARED.get(env);
  if (!shared) {
    const { tenants, ...rest } = env;
    shared = { ...rest, tenantFacts: tenantFacts(tenants) };
    SHARED.set(env, shared);
  }
  return shared;
}

/** The facts of `tenants` (see `TenantFacts`). */
export function tenantFacts(tenants: EnvironmentModel['tenants']): TenantFacts {
  return {
    count: tenants.length,
    namespaces: [...new Set(tenants.map((t) => t.namespace))].sort(),
    waypoints: [...new Set(tenants.map((t) => t.waypointName))].sort(),
    anyAgents: tenants.some((t) => t.agents.length > 0),
    anySandboxed: tenants.some((t) => t.scheduling.runtimeClassName === SANDBOX_RUNTIME_CLASS),
    anyDedicated: tenants.some((t) => t.isolation === 'dedicated'),
  };
}
