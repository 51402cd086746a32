import type { EnvironmentModel, PlatformModel } from '../model/types';
import { compareResources } from './compare';
import { environmentNormalizer } from './environment-identity';
import type { DiffReport } from './report';
import { environmentFiles, readResources } from './resources';
import type { RiskContext } from './risk';

/** Thrown for an environment name no spec defines; names the ones that exist. */
export class UnknownEnvironmentError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`no environment "${name}" in environments/; known: ${known.join(', ')}`);
    this.name = 'UnknownEnvironmentError';
  }
}

export function environmentOf(model: PlatformModel, name: string): EnvironmentModel {
  const env = model.environments.find((e) => e.name === name);
  if (!env)
    throw new UnknownEnvironmentError(
      name,
      model.environments.map((e) => e.name),
    );
  return env;
}

/** Tenant namespace → tenant, so objects placed in a tenant's namespace count as the tenant's. */
export function tenantNamespaces(env: EnvironmentModel | undefined): Map<string, string> {
  return new Map((env?.tenants ?? []).map((t) => [t.namespace, t.name]));
}

export function riskContext(
  env: EnvironmentModel | undefined,
  terraformLifecycle: boolean,
): RiskContext {
  return {
    internalListeners: new Set(env ? [env.gateway.internalListener] : []),
    terraformLifecycle,
  };
}

/**
 * `diff <a> <b>`: the objects of two environments matched by identity, after replacing what
 * identifies each environment (its spec's name, domain, account, region, zones, VPC block) by
 * placeholders, so only real differences remain.
 */
export function diffEnvironments(
  model: PlatformModel,
  files: ReadonlyMap<string, string>,
  leftName: string,
  rightName: string,
): DiffReport {
  const a = environmentOf(model, leftName);
  const b = environmentOf(model, rightName);
  const normalizeLeft = environmentNormalizer(a.spec);
  const normalizeRight = environmentNormalizer(b.spec);
  const result = compareResources(
    readResources(environmentFiles(files, a.name), tenantNamespaces(a)),
    readResources(environmentFiles(files, b.name), tenantNamespaces(b)),
    { normalizeLeft, normalizeRight, risk: riskContext(b, false) },
  );
  return {
    mode: 'environments',
    title: `${a.name} → ${b.name}`,
    comparisons: [
      {
        left: a.name,
        right: b.name,
        ...result,
        normalized: { left: normalizeLeft.identity, right: normalizeRight.identity },
      },
    ],
  };
}
