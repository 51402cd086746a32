import { describe, expect, it } from 'vitest';
import { GuardrailPolicy } from '../../../constructs/policy/guardrail-policy';
import type { ObjectGuardrail } from '../../../src/spec/guardrail';
import { find, objectsOf } from '../../construct-helpers';
import { env, repoModel } from '../../helpers';

const registries = env(repoModel(), 'dev').guardrails.find(
  (g) => g.id === 'images-allowed-registries',
) as ObjectGuardrail;
const policy = (g: ObjectGuardrail) =>
  find(
    objectsOf((s) => new GuardrailPolicy(s, 'p', { guardrail: g, action: 'Deny' })),
    'ValidatingPolicy',
    g.id,
  );

describe('GuardrailPolicy', () => {
  it("emits the environment's image registries as the allowed variable, the list CI evaluates", () => {
    const allowed = policy(registries).spec.variables.find((v: any) => v.name === 'allowed');
    expect(JSON.parse(allowed.expression)).toEqual(env(repoModel(), 'dev').imageRegistries);
  });

  it('matches pods, their ephemeral-container subresource and every pod controller', () => {
    const rules = policy(registries).spec.matchConstraints.resourceRules;
    expect(rules.map((r: any) => [r.apiGroups[0], r.resources])).toEqual([
      ['', ['pods', 'pods/ephemeralcontainers']],
      ['apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']],
      ['batch', ['jobs', 'cronjobs']],
      ['kagent.dev', ['mcpservers']],
    ]);
    expect(policy(registries).spec.matchConstraints.namespaceSelector).toBeUndefined();
  });

  it('carries a validation messageExpression, and omits the key where a guardrail has none', () => {
    expect(policy(registries).spec.validations[0].messageExpression).toBe(
      registries.validations[0]!.messageExpression,
    );
    const plain = { ...registries, validations: [{ expression: 'true', message: 'm' }] };
    expect(policy(plain).spec.validations[0]).toEqual({ expression: 'true', message: 'm' });
  });

  it('refuses a CI-only guardrail', () => {
    expect(() => policy({ ...registries, ciOnly: 'controllers create it in the cluster' })).toThrow(
      /images-allowed-registries: the guardrail is CI-only/,
    );
  });
});
