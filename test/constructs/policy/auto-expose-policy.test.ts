import { describe, expect, it } from 'vitest';
import { AutoExposePolicy } from '../../../constructs/policy/auto-expose-policy';
import { find, objectsOf } from '../../construct-helpers';

const policy = () =>
  find(
    objectsOf(
      (s) =>
        new AutoExposePolicy(s, 'p', {
          gatewayNamespace: 'agentgateway-system',
          gatewayName: 'agentgateway',
          listener: 'https',
        }),
    ),
    'GeneratingPolicy',
    'auto-expose',
  );

describe('AutoExposePolicy', () => {
  it('is a policies.kyverno.io GeneratingPolicy that keeps routes in sync with their Service', () => {
    const p = policy();
    expect(p.apiVersion).toBe('policies.kyverno.io/v1beta1');
    expect(p.spec.evaluation).toEqual({ synchronize: { enabled: true } });
  });

  // The Kyverno CLI cannot show these two filters working (it reports a GeneratingPolicy that
  // does not match as "Not found"), so they are asserted here.
  it('only looks at Services in tenant namespaces', () => {
    const c = policy().spec.matchConstraints;
    expect(c.namespaceSelector).toEqual({
      matchExpressions: [{ key: 'platform.agentic.io/tenant', operator: 'Exists' }],
    });
    expect(c.resourceRules).toEqual([
      {
        apiGroups: [''],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['services'],
      },
    ]);
  });

  it('only looks at Services annotated platform.agentic.io/expose: "true"', () => {
    expect(policy().spec.matchConditions).toEqual([
      {
        name: 'annotated-expose',
        expression:
          '(has(object.metadata.annotations) && "platform.agentic.io/expose" in object.metadata.annotations ? object.metadata.annotations["platform.agentic.io/expose"] : "") == "true"',
      },
    ]);
  });

  it('generates the route on the central gateway public listener, or nothing', () => {
    const [g] = policy().spec.generate;
    expect(g.expression).toMatch(
      /^generator\.Apply\(object\.metadata\.namespace, variables\.exposed \? \[.*\] : \[\]\)$/,
    );
    expect(g.expression).toContain(
      '"parentRefs": dyn([{"group": dyn("gateway.networking.k8s.io"), "kind": dyn("Gateway"), "namespace": dyn("agentgateway-system"), "name": dyn("agentgateway"), "sectionName": dyn("https")}])',
    );
  });

  it('tells agents from MCP servers by what kagent and kmcp put on their Services', () => {
    const kind = policy().spec.variables.find((v: { name: string }) => v.name === 'kind');
    expect(kind.expression).toContain('variables.labels[?"app"].orValue("") == "kagent"');
    expect(kind.expression).toContain('variables.labels[?"kagent"].orValue("") != ""');
    expect(kind.expression).toContain('["agentgateway.dev/mcp","kgateway.dev/mcp"]');
  });

  it('publishes an alias only when the tenant namespace lists it in route-aliases', () => {
    const vars = Object.fromEntries(
      policy().spec.variables.map((v: { name: string; expression: string }) => [
        v.name,
        v.expression,
      ]),
    );
    expect(vars.ownedAliases).toContain(
      'namespaceObject.metadata.annotations["platform.agentic.io/route-aliases"]',
    );
    expect(vars.exposed).toContain('variables.segment in variables.ownedAliases');
  });
});
