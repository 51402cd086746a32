import { describe, expect, it } from 'vitest';
import { SANDBOX_RUNTIME_CLASS } from '../../src/model/conventions';
import { environmentShared, tenantFacts } from '../../src/model/environment-shared';
import type { TenantModel } from '../../src/model/types';
import { env, repoModel } from '../helpers';

const model = repoModel();

describe('environmentShared', () => {
  it('holds no tenant list at run time, so an environment part cannot read one', () => {
    const prod = env(model, 'prod');
    const shared = environmentShared(prod);
    expect('tenants' in shared).toBe(false);
    expect(shared.name).toBe('prod');
    expect(shared.guardrails).toBe(prod.guardrails);
  });

  it('is the same object for the same environment (built once a model)', () => {
    expect(environmentShared(env(model, 'dev'))).toBe(environmentShared(env(model, 'dev')));
  });

  it('carries the facts of the environment’s own tenants', () => {
    const prod = env(model, 'prod');
    const facts = environmentShared(prod).tenantFacts;
    expect(facts.count).toBe(prod.tenants.length);
    expect(facts.namespaces).toEqual(prod.tenants.map((t) => t.namespace).sort());
    // initech is dedicated in prod and shared in dev (its override).
    expect(facts.anyDedicated).toBe(true);
    expect(environmentShared(env(model, 'dev')).tenantFacts.anyDedicated).toBe(false);
  });
});

describe('tenantFacts', () => {
  const [acme] = env(model, 'dev').tenants as [TenantModel];
  const variant = (edit: Partial<TenantModel>): TenantModel => ({ ...acme, ...edit });

  it('lists namespaces and waypoints once each, sorted', () => {
    const facts = tenantFacts([
      variant({ namespace: 'b', waypointName: 'w2' }),
      variant({ namespace: 'a', waypointName: 'w2' }),
      variant({ namespace: 'a', waypointName: 'w1' }),
    ]);
    expect(facts.namespaces).toEqual(['a', 'b']);
    expect(facts.waypoints).toEqual(['w1', 'w2']);
    expect(facts.count).toBe(3);
  });

  it('says whether any tenant runs agents, sandboxed or dedicated', () => {
    const none = tenantFacts([
      variant({
        agents: [],
        isolation: 'shared',
        scheduling: { ...acme.scheduling, runtimeClassName: undefined },
      }),
    ]);
    expect(none).toMatchObject({ anyAgents: false, anySandboxed: false, anyDedicated: false });
    const all = tenantFacts([
      variant({
        isolation: 'dedicated',
        scheduling: { ...acme.scheduling, runtimeClassName: SANDBOX_RUNTIME_CLASS },
      }),
    ]);
    expect(all).toMatchObject({ anySandboxed: true, anyDedicated: true });
    expect(all.anyAgents).toBe(acme.agents.length > 0);
  });

  it('is empty for no tenants', () => {
    expect(tenantFacts([])).toEqual({
      count: 0,
      namespaces: [],
      waypoints: [],
      anyAgents: false,
      anySandboxed: false,
      anyDedicated: false,
    });
  });
});
