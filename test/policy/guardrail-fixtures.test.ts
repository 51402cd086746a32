import { describe, expect, it } from 'vitest';
import {
  celConverter,
  evaluateBundle,
  evaluateObject,
  toCel,
} from '../../src/policy/evaluate-guardrails';
import type { GuardrailSpec } from '../../src/spec/guardrail';
import { env, repoModel } from '../helpers';

// Guardrails as the dev environment resolves them (parameters such as $(gatewayNamespace) filled in).
const guardrails = env(repoModel(), 'dev').guardrails;

const cases = guardrails.flatMap((g: GuardrailSpec) =>
  (['pass', 'fail'] as const).flatMap((kind) =>
    (g.fixtures[kind] as unknown[]).map((fixture, i) => ({ id: g.id, g, kind, i, fixture })),
  ),
);

describe('guardrail fixtures', () => {
  it('covers every guardrail category the platform promises', () => {
    expect(new Set(guardrails.map((g) => g.category))).toEqual(
      new Set(['workload-security', 'tenant-isolation', 'secrets', 'gitops']),
    );
    expect(guardrails.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('$id: $kind fixture $i is judged $kind', ({ g, kind, fixture }) => {
    const f = fixture as any;
    const result =
      g.scope === 'object'
        ? evaluateObject(g, f.object, f.namespaceObject)
        : evaluateBundle(g, f.namespace, f.objects);
    expect(result.matched).toBe(true);
    expect(result.errors).toEqual([]);
    if (kind === 'pass') expect(result.violations).toEqual([]);
    else expect(result.violations.length).toBeGreaterThan(0);
  });

  it('judges every fixture the same with one converter shared by all guardrails', () => {
    const cel = celConverter();
    for (const { g, fixture } of cases) {
      const f = fixture as any;
      const [shared, own] =
        g.scope === 'object'
          ? [
              evaluateObject(g, f.object, f.namespaceObject, cel),
              evaluateObject(g, f.object, f.namespaceObject),
            ]
          : [
              evaluateBundle(g, f.namespace, f.objects, cel),
              evaluateBundle(g, f.namespace, f.objects),
            ];
      expect(shared).toEqual(own);
    }
  });

  it('converts each object once with a shared converter, inside arrays too', () => {
    const cel = celConverter();
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' }, spec: { n: 3 } };
    const first = cel(ns);
    expect(first).toEqual(toCel(ns));
    expect(cel(ns)).toBe(first);
    expect((cel([ns]) as unknown[])[0]).toBe(first);
    expect(celConverter()(ns)).not.toBe(first);
  });

  it('does not apply tenant-scoped guardrails outside tenant namespaces', () => {
    const g = guardrails.find((x) => x.id === 'no-nodeport-loadbalancer')!;
    if (g.scope !== 'object') throw new Error('expected an object guardrail');
    const lb = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'gw', namespace: 'agentgateway-system' },
      spec: { type: 'LoadBalancer' },
    };
    expect(
      evaluateObject(g, lb, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'agentgateway-system' },
      }).matched,
    ).toBe(false);
  });

  it('reports an expression that cannot be evaluated as an error, never a pass', () => {
    const g = {
      ...guardrails.find((x) => x.id === 'images-pinned')!,
      validations: [{ expression: 'object.spec.nothing.here', message: 'm' }],
    } as GuardrailSpec;
    if (g.scope !== 'object') throw new Error('expected an object guardrail');
    const r = evaluateObject(g, (g.fixtures.pass[0] as any).object);
    expect(r.errors.length).toBe(1);
  });
});
