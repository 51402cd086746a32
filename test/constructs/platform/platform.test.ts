import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AwsSecretStore } from '../../../constructs/platform/aws-secret-store';
import { CentralGateway } from '../../../constructs/platform/central-gateway';
import { KeycloakRealm } from '../../../constructs/platform/keycloak-realm';
import { SandboxRuntimeClass } from '../../../constructs/platform/sandbox-runtime-class';
import { TenantDeveloperRole } from '../../../constructs/platform/tenant-developer-role';

function synth(build: (chart: Chart) => void) {
  const chart = new Chart(new App(), 'test');
  build(chart);
  return chart.toJson();
}
const gateway = {
  name: 'agentgateway',
  namespace: 'agentgateway-system',
  publicHost: 'agents.dev.example.com',
  publicListener: 'https',
  internalListener: 'http',
  tlsSecretName: 'agentgateway-tls',
  routesLabel: 'platform.agentic.io/gateway-routes',
};

describe('platform constructs', () => {
  it('central gateway references the agentgateway class and admits only labelled namespaces', () => {
    const [g] = synth((c) => new CentralGateway(c, 'G', gateway));
    expect(g).toMatchSnapshot();
    expect(g.spec.gatewayClassName).toBe('agentgateway');
    for (const l of g.spec.listeners)
      expect(l.allowedRoutes.namespaces).toEqual({
        from: 'Selector',
        selector: { matchLabels: { 'platform.agentic.io/gateway-routes': 'true' } },
      });
  });

  it('fails when both listeners have the same name', () => {
    expect(() =>
      synth((c) => new CentralGateway(c, 'G', { ...gateway, internalListener: 'https' })),
    ).toThrow(/distinct names/);
  });

  it('developer role grants no cluster-scoped resources and no secrets', () => {
    const [r] = synth((c) => new TenantDeveloperRole(c, 'R', { name: 'tenant-agent-developer' }));
    expect(r).toMatchSnapshot();
    const resources = r.rules.flatMap((x: { resources: string[] }) => x.resources);
    for (const forbidden of [
      'secrets',
      'namespaces',
      'nodes',
      'roles',
      'rolebindings',
      'clusterroles',
    ])
      expect(resources).not.toContain(forbidden);
  });

  it('gvisor RuntimeClass schedules onto the dedicated node group', () => {
    const placement = {
      nodeSelector: { workload: 'dedicated' },
      tolerations: [
        {
          key: 'workload',
          operator: 'Equal' as const,
          value: 'dedicated',
          effect: 'NoSchedule' as const,
        },
      ],
    };
    expect(
      synth((c) => new SandboxRuntimeClass(c, 'S', { name: 'gvisor', placement })),
    ).toMatchSnapshot();
  });

  it('fails when a secret store has no namespace condition', () => {
    expect(() =>
      synth((c) => new AwsSecretStore(c, 'S', { name: 'x', region: 'eu-west-1' })),
    ).toThrow(/namespaceLabel or namespaces/);
  });

  it('fails when a realm group gets an undefined role', () => {
    expect(() =>
      synth(
        (c) =>
          new KeycloakRealm(c, 'R', {
            configMapName: 'realm',
            namespace: 'keycloak',
            realm: 'platform',
            roles: ['viewer'],
            groups: [{ name: 'acme-devs', realmRoles: ['developer'] }],
            clients: [],
          }),
      ),
    ).toThrow(/undefined roles developer/);
  });
});
