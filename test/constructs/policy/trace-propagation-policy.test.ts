import { describe, expect, it } from 'vitest';
import { TracePropagationPolicy } from '../../../constructs/policy/trace-propagation-policy';
import { find, objectsOf } from '../../construct-helpers';

const endpoint = 'http://otel-collector.opentelemetry.svc.cluster.local:4317';
const policy = (otlpEndpoint = endpoint) =>
  find(
    objectsOf((s) => new TracePropagationPolicy(s, 'p', { otlpEndpoint })),
    'MutatingPolicy',
    'traceprop',
  );

describe('TracePropagationPolicy', () => {
  it("selects kagent's agent pods by the labels kagent puts on them", () => {
    expect(policy().spec.matchConstraints.objectSelector).toEqual({
      matchLabels: { app: 'kagent' },
      matchExpressions: [{ key: 'kagent', operator: 'Exists' }],
    });
  });

  it('carries the collector endpoint, W3C propagators and the aiohttp switch', () => {
    const [v] = policy().spec.variables;
    expect(JSON.parse(v.expression)).toEqual([
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: endpoint },
      { name: 'OTEL_PROPAGATORS', value: 'tracecontext,baggage' },
      { name: 'DISABLE_AIOHTTP_TRANSPORT', value: 'True' },
    ]);
  });

  it('changes only the agent runtime container and only variables it lacks', () => {
    const [m] = policy().spec.mutations;
    expect(m.patchType).toBe('ApplyConfiguration');
    expect(m.applyConfiguration.expression).toContain('c.name == "kagent"');
    expect(m.applyConfiguration.expression).toContain(
      '!has(c.env) || !c.env.exists(x, x.name == e.name)',
    );
  });

  it('fails on an endpoint that is not a URL', () => {
    expect(() => policy('otel-collector:4317')).toThrow(/otlpEndpoint must be an http\(s\) URL/);
  });
});
