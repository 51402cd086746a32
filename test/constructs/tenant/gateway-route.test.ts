import { describe, expect, it } from 'vitest';
import { GatewayRoute, type GatewayRouteProps } from '../../../constructs/tenant/gateway-route';
import { find, objectsOf } from '../../construct-helpers';

const props: GatewayRouteProps = {
  namespace: 'acme',
  name: 'a2a-triage',
  pathPrefix: '/a2a/acme/triage',
  gatewayNamespace: 'agentgateway-system',
  gatewayName: 'agentgateway',
  listeners: ['https'],
  target: { kind: 'Service', name: 'triage', port: 8080 },
};

describe('GatewayRoute', () => {
  it('attaches to the named listeners of the central gateway', () => {
    const r = find(
      objectsOf((s) => new GatewayRoute(s, 'r', { ...props, listeners: ['http', 'https'] })),
      'HTTPRoute',
      'a2a-triage',
    );
    expect(r.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'agentgateway-system',
        name: 'agentgateway',
        sectionName: 'http',
      },
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'agentgateway-system',
        name: 'agentgateway',
        sectionName: 'https',
      },
    ]);
  });

  it('removes the listed request headers after the rewrite and carries the given labels', () => {
    const r = find(
      objectsOf(
        (s) =>
          new GatewayRoute(s, 'r', {
            ...props,
            labels: { 'platform.agentic.io/route-auth': 'api-key' },
            removeRequestHeaders: ['authorization', 'x-api-key', 'authorization'],
          }),
      ),
      'HTTPRoute',
      'a2a-triage',
    );
    expect(r.metadata.labels).toEqual({ 'platform.agentic.io/route-auth': 'api-key' });
    expect(r.spec.rules[0].filters.map((f: { type: string }) => f.type)).toEqual([
      'URLRewrite',
      'RequestHeaderModifier',
    ]);
    expect(r.spec.rules[0].filters[1].requestHeaderModifier).toEqual({
      remove: ['authorization', 'x-api-key'],
    });
  });

  it('leaves headers alone by default', () => {
    const r = find(
      objectsOf((s) => new GatewayRoute(s, 'r', props)),
      'HTTPRoute',
      'a2a-triage',
    );
    expect(r.spec.rules[0].filters.map((f: { type: string }) => f.type)).toEqual(['URLRewrite']);
  });

  it('matches the path prefix and strips it before the backend', () => {
    const rule = find(
      objectsOf((s) => new GatewayRoute(s, 'r', props)),
      'HTTPRoute',
      'a2a-triage',
    ).spec.rules[0];
    expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/a2a/acme/triage' } }]);
    expect(rule.filters).toEqual([
      {
        type: 'URLRewrite',
        urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
      },
    ]);
    expect(rule.backendRefs).toEqual([{ kind: 'Service', name: 'triage', port: 8080 }]);
  });

  it('routes models to their agentgateway backend', () => {
    const r = find(
      objectsOf(
        (s) =>
          new GatewayRoute(s, 'r', {
            ...props,
            target: { kind: 'AgentgatewayBackend', name: 'llm-x' },
          }),
      ),
      'HTTPRoute',
      'a2a-triage',
    );
    expect(r.spec.rules[0].backendRefs).toEqual([
      { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: 'llm-x' },
    ]);
  });

  it('names the namespace of a backend in another namespace, and omits its own', () => {
    const refs = (namespace: string) =>
      find(
        objectsOf(
          (s) =>
            new GatewayRoute(s, 'r', {
              ...props,
              target: { kind: 'AgentgatewayBackend', name: 'acme-llm-x', namespace },
            }),
        ),
        'HTTPRoute',
        'a2a-triage',
      ).spec.rules[0].backendRefs;
    expect(refs('agentgateway-system')).toEqual([
      {
        group: 'agentgateway.dev',
        kind: 'AgentgatewayBackend',
        name: 'acme-llm-x',
        namespace: 'agentgateway-system',
      },
    ]);
    expect(refs('acme')).toEqual([
      { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: 'acme-llm-x' },
    ]);
  });

  it.each(['a2a/acme/x', '/a2a/acme/x/'])('throws on the malformed prefix %s', (pathPrefix) => {
    expect(() => objectsOf((s) => new GatewayRoute(s, 'r', { ...props, pathPrefix }))).toThrow(
      /pathPrefix must start with "\/" and not end with one/,
    );
  });

  it('throws when attached to no listener', () => {
    expect(() => objectsOf((s) => new GatewayRoute(s, 'r', { ...props, listeners: [] }))).toThrow(
      /listeners is empty/,
    );
  });
});
