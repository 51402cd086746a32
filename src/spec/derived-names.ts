import {
  tenantApplicationName,
  tenantProjectName,
} from '../../constructs/gitops/tenant-application-set';
import { gatewayLlmName, ROUTE_PREFIX } from '../model/conventions';
import type { EnvironmentSpec } from './environment';
import { formatPath, type SpecIssue } from './errors';
import type { Located } from './source';
import type { TenantSpec } from './tenant';

/** Name of the Kyverno PolicyException of one exception, owned by a tenant or environment. */
export function policyExceptionName(owner: string, policy: string): string {
  return `${owner}-${policy}`;
}

interface Claim {
  readonly located: Located<unknown>;
  readonly path: readonly PropertyKey[];
}

/**
 * Names that differ as specs can collide once derived: tenant `acme-platform`'s Application
 * `tenant-acme-platform` is also tenant `acme`'s platform part; two exceptions of one tenant for
 * one policy make one PolicyException. Every object name that lives outside a tenant's own
 * namespace, and every public route path, is claimed here per environment; a second claim
 * is an issue in each file involved, naming the other file, line and field, so the author of
 * either side sees it.
 */
export function checkDerivedNames(
  environments: readonly Located<EnvironmentSpec>[],
  tenants: readonly Located<TenantSpec>[],
  issues: SpecIssue[],
): void {
  // One issue per (file, field, name), listing every environment it collides in.
  const found = new Map<string, { issue: SpecIssue; envs: string[]; message: string }>();
  const raise = (own: Claim, other: Claim, what: string, env: string) => {
    const where = other.located.lineOf(other.path);
    const message = `derives ${what}, as ${other.located.file}${where === undefined ? '' : `:${where}`} ${formatPath(other.path)} does; rename one of them`;
    const key = `${own.located.file}\0${formatPath(own.path)}\0${message}`;
    const hit = found.get(key);
    if (hit) {
      if (!hit.envs.includes(env)) hit.envs.push(env);
      return;
    }
    found.set(key, {
      issue: {
        file: own.located.file,
        path: formatPath(own.path),
        line: own.located.lineOf(own.path),
        message,
      },
      envs: [env],
      message,
    });
  };

  for (const env of environments) {
    const claims = new Map<string, Claim>();
    const claim = (kind: string, name: string, located: Located<unknown>, path: PropertyKey[]) => {
      const what = `${kind} "${name}"`;
      const first = claims.get(what);
      const mine = { located, path };
      if (!first) {
        claims.set(what, mine);
        return;
      }
      raise(mine, first, what, env.spec.name);
      if (first.located !== located) raise(first, mine, what, env.spec.name);
    };
    env.spec.guardrails.exceptions.forEach((e, i) =>
      claim('PolicyException', policyExceptionName(env.spec.name, e.policy), env, [
        'guardrails',
        'exceptions',
        i,
        'policy',
      ]),
    );
    for (const t of tenants) {
      const { spec } = t;
      if (!spec.environments.includes(env.spec.name)) continue;
      claim('Namespace', spec.name, t, ['name']);
      claim('AppProject', tenantProjectName(spec.name), t, ['name']);
      claim('Application', tenantApplicationName(spec.name, 'tenant'), t, ['name']);
      claim('Application', tenantApplicationName(spec.name, 'platform'), t, ['name']);
      spec.policyExceptions.forEach((e, i) =>
        claim('PolicyException', policyExceptionName(spec.name, e.policy), t, [
          'policyExceptions',
          i,
          'policy',
        ]),
      );
      spec.agents.forEach((a, i) => {
        if (a.expose)
          claim('route path', `${ROUTE_PREFIX.a2a}/${a.alias ?? spec.name}/${a.name}`, t, [
            'agents',
            i,
            a.alias ? 'alias' : 'name',
          ]);
      });
      spec.mcpServers.forEach((s, i) => {
        if (s.expose)
          claim('route path', `${ROUTE_PREFIX.mcp}/${spec.name}/${s.name}`, t, [
            'mcpServers',
            i,
            'name',
          ]);
      });
      spec.models.forEach((m, i) => {
        // Platform-key backends of every tenant share the gateway namespace.
        if (m.credential.source === 'platform')
          claim(
            'gateway-namespace backend',
            `${env.spec.gateway.namespace}/${gatewayLlmName(spec.name, m.name)}`,
            t,
            ['models', i, 'name'],
          );
        if (m.expose)
          claim('route path', `${ROUTE_PREFIX.llm}/${spec.name}/${m.name}`, t, [
            'models',
            i,
            'name',
          ]);
      });
    }
  }
  for (const { issue, envs, message } of found.values())
    issues.push({ ...issue, message: `${message} (environment ${envs.join(', ')})` });
}
