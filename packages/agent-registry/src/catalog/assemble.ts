import { InputError } from '../errors.js';
import type { Catalog, EnvironmentCatalog, TenantCatalog } from './schema.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A catalog part and where it was read from, for error messages. */
export interface CatalogPart<T> {
  readonly value: T;
  readonly source: string;
}

/**
 * The environment's catalog from its environment part and its tenant parts, in tenant-name
 * order, so the result does not depend on the order the parts were listed or watched in.
 * Refuses a part of another environment, a tenant given twice and an entry that names a
 * tenant other than the part it is in (a ConfigMap could otherwise speak for another tenant).
 */
export function assembleCatalog(
  environment: CatalogPart<EnvironmentCatalog>,
  tenants: readonly CatalogPart<TenantCatalog>[],
): Catalog {
  const env = environment.value;
  const seen = new Map<string, string>();
  for (const { value: t, source } of tenants) {
    if (t.environment !== env.environment) {
      throw new InputError(
        `catalog ${source}: tenant ${t.tenant.name} is for environment ${t.environment}, but ${environment.source} is ${env.environment}; remove the stray object or fix its environment`,
      );
    }
    const before = seen.get(t.tenant.name);
    if (before) {
      throw new InputError(
        `catalog ${source}: tenant ${t.tenant.name} is also defined by ${before}; each tenant has exactly one catalog object`,
      );
    }
    seen.set(t.tenant.name, source);
    for (const kind of ['agents', 'mcpServers', 'models'] as const) {
      for (const entry of t[kind]) {
        if (entry.tenant !== t.tenant.name) {
          throw new InputError(
            `catalog ${source}: ${kind} entry ${entry.tenant}/${entry.name} names tenant ${entry.tenant} inside tenant ${t.tenant.name}'s catalog`,
          );
        }
      }
    }
  }
  const parts = [...tenants].map((p) => p.value).sort((a, b) => cmp(a.tenant.name, b.tenant.name));
  const byName = <T extends { name: string }>(xs: readonly T[]) =>
    [...xs].sort((a, b) => cmp(a.name, b.name));
  return {
    ...env,
    tenants: parts.map((p) => p.tenant),
    agents: parts.flatMap((p) => byName(p.agents)),
    mcpServers: parts.flatMap((p) => byName(p.mcpServers)),
    models: parts.flatMap((p) => byName(p.models)),
  };
}
