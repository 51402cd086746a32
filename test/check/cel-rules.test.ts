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

  it('evaluates a rule on a field the schema defaults below a node without rules', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: { n: { type: 'integer', default: 0 } },
          'x-kubernetes-validations': [{ rule: 'self.n > 0', message: 'n must be positive' }],
        },
      },
    };
    expect(evaluateCelRules(schema, {})).toEqual([
      {
        path: 'spec',
        rule: 'self.n > 0',
        message: 'spec: n must be positive (CEL rule of the CRD)',
      },
    ]);
    expect(evaluateCelRules(schema, { spec: { n: 2 } })).toEqual([]);
  });

  it('evaluates the rules below a rule on the values they are at', () => {
    const schema = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'size(self) == 2', message: 'two fields' }],
      properties: {
        a: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self == 1', message: 'a' }] },
        b: {
          type: 'array',
          items: {
            type: 'number',
            'x-kubernetes-validations': [{ rule: 'self == 2.5', message: 'b' }],
          },
        },
      },
    };
    expect(evaluateCelRules(schema, { a: 1, b: [2.5, 2.5] })).toEqual([]);
    expect(evaluateCelRules(schema, { a: 2, b: [2.5, 3.5] }).map((f) => f.message)).toEqual([
      'a: a (CEL rule of the CRD)',
      'b[1]: b (CEL rule of the CRD)',
    ]);
  });

  it('applies defaults below a rule once, for the rule and the rules under it', () => {
    const schema = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.p.port == 80', message: 'root sees the default' }],
      properties: {
        p: {
          type: 'object',
          default: {},
          properties: { port: { type: 'integer', default: 80 } },
          'x-kubernetes-validations': [{ rule: 'has(self.port)', message: 'p sees the default' }],
        },
      },
    };
    expect(evaluateCelRules(schema, {})).toEqual([]);
    expect(evaluateCelRules(schema, { p: { port: 81 } }).map((f) => f.message)).toEqual([
      '(root): root sees the default (CEL rule of the CRD)',
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
