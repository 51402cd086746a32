import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyDefaults, evaluateCelRules } from '../../src/check/cel-rules';
import { SchemaSet } from '../../src/check/schemas';
import { validateManifests } from '../../src/check/validate-manifests';
import { ROOT } from '../helpers';

let schemas: SchemaSet;
beforeAll(() => {
  schemas = SchemaSet.load(path.join(ROOT, 'schemas'), '1.33');
});
const check = (obj: unknown) =>
  validateManifests(new Map([['dev/x/y.yaml', stringify(obj)]]), () => schemas).findings.map(
    (f) => f.message,
  );

describe('CRD CEL rules (x-kubernetes-validations)', () => {
  it('refuses an agentgateway backend with two provider blocks', () => {
    const backend = {
      apiVersion: 'agentgateway.dev/v1alpha1',
      kind: 'AgentgatewayBackend',
      metadata: { name: 'b', namespace: 'n' },
      spec: { ai: { provider: { openai: { model: 'a' }, anthropic: { model: 'b' } } } },
    };
    expect(check(backend)).toEqual([
      expect.stringMatching(
        /^spec\.ai\.provider: exactly one of the fields .* must be set \(CEL rule of the CRD\)$/,
      ),
    ]);
  });

  it('refuses a kagent ModelConfig whose provider block disagrees with its provider', () => {
    const mc = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'ModelConfig',
      metadata: { name: 'm', namespace: 'n' },
      spec: { provider: 'OpenAI', model: 'x', anthropic: {} },
    };
    expect(check(mc)).toEqual([
      'spec: provider.anthropic must be nil if the provider is not Anthropic (CEL rule of the CRD)',
    ]);
  });

  it('applies schema defaults before evaluating, as the API server does', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'n' },
      spec: { rules: [{ backendRefs: [{ name: 's', port: 80 }] }] },
    };
    expect(check(route)).toEqual([]);
    expect(check({ ...route, spec: { rules: [{ backendRefs: [{ name: 's' }] }] } })).toEqual([
      expect.stringMatching(/backendRefs\[0\]: Must have port for Service reference/),
    ]);
  });

  it('does not evaluate transition rules, which only run on update', () => {
    const schema = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }],
    };
    expect(evaluateCelRules(schema, { a: 1 })).toEqual([]);
  });

  it('reports a rule it cannot evaluate instead of passing it', () => {
    const schema = {
      type: 'object',
      properties: { u: { type: 'string', 'x-kubernetes-validations': [{ rule: 'isURL(self)' }] } },
    };
    expect(evaluateCelRules(schema, { u: 'http://x' })).toEqual([
      {
        path: 'u',
        rule: 'isURL(self)',
        message: expect.stringMatching(
          /^u: CRD rule could not be evaluated \(.*isURL.*\): isURL\(self\)$/,
        ),
      },
    ]);
  });

  it('treats integer fields as CEL ints', () => {
    const schema = {
      type: 'object',
      properties: {
        n: {
          type: 'integer',
          'x-kubernetes-validations': [
            { rule: 'self > 0 && self == int(self)', message: 'positive' },
          ],
        },
      },
    };
    expect(evaluateCelRules(schema, { n: 3 })).toEqual([]);
    expect(evaluateCelRules(schema, { n: -1 })).toEqual([
      {
        path: 'n',
        rule: 'self > 0 && self == int(self)',
        message: 'n: positive (CEL rule of the CRD)',
      },
    ]);
  });

  it('fills defaults only where a field is absent', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string', default: 'x' }, b: { type: 'string', default: 'y' } },
    };
    expect(applyDefaults(schema, { a: 'set' })).toEqual({ a: 'set', b: 'y' });
  });
});
