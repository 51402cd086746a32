import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AwsSecretStore } from '../../../constructs/platform/aws-secret-store';
import { CentralGateway } from '../../../constructs/platform/central-gateway';
import { KeycloakRealm } from '../../../constructs/platform/keycloak-realm';
import { KeycloakTenantGroups } from '../../../constructs/platform/keycloak-tenant-groups';
import { PlatformUiRoute } from '../../../constructs/platform/platform-ui-route';
import { ServiceReferenceGrant } from '../../../constructs/platform/service-reference-grant';
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

const uiRoute = {
  name: 'ui-keycloak',
  hostname: 'keycloak.dev.example.com',
  gatewayNamespace: 'agentgateway-system',
  gatewayName: 'agentgateway',
  listener: 'platform',
  serviceNamespace: 'keycloak',
  serviceName: 'keycloak-keycloakx-http',
  servicePort: 80,
};
const realm = (over: Partial<ConstructorParameters<typeof KeycloakRealm>[2]> = {}) =>
  synth(
    (c) =>
      new KeycloakRealm(c, 'R', {
        configMapName: 'realm',
        namespace: 'keycloak',
        realm: 'platform',
        roles: [],
        groups: [],
        tenantRoot: '/tenants',
        clients: [],
        ...over,
      }),
  );

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

  it('hands its data plane the AgentgatewayParameters it names, and none by default', () => {
    const [g] = synth((c) => new CentralGateway(c, 'G', { ...gateway, parametersRef: 'gw-proxy' }));
    expect(g.spec.infrastructure).toEqual({
      parametersRef: {
        group: 'agentgateway.dev',
        kind: 'AgentgatewayParameters',
        name: 'gw-proxy',
      },
    });
    expect(
      synth((c) => new CentralGateway(c, 'G', gateway))[0].spec.infrastructure,
    ).toBeUndefined();
  });

  it('adds a platform listener for the UI hostnames that admits routes from its own namespace only', () => {
    const [g] = synth(
      (c) =>
        new CentralGateway(c, 'G', {
          ...gateway,
          platformListener: {
            name: 'platform',
            hostname: '*.dev.example.com',
            tlsSecretName: 'ui-tls',
          },
        }),
    );
    const l = g.spec.listeners.find((x: { name: string }) => x.name === 'platform');
    expect(l).toEqual({
      name: 'platform',
      protocol: 'HTTPS',
      port: 443,
      hostname: '*.dev.example.com',
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'ui-tls' }] },
      allowedRoutes: { namespaces: { from: 'Same' } },
    });
  });

  it('refuses a platform listener that reuses a name or is not a wildcard', () => {
    const platformListener = { name: 'http', hostname: '*.dev.example.com', tlsSecretName: 't' };
    expect(() =>
      synth((c) => new CentralGateway(c, 'G', { ...gateway, platformListener })),
    ).toThrow(/listener name "http" is used twice/);
    expect(() =>
      synth(
        (c) =>
          new CentralGateway(c, 'G', {
            ...gateway,
            platformListener: {
              ...platformListener,
              name: 'platform',
              hostname: 'argocd.dev.example.com',
            },
          }),
      ),
    ).toThrow(/must be the wildcard of the platform domain.*got "argocd.dev.example.com"/);
  });

  it('listens on the ports it is given, the platform listener on the public one', () => {
    const [g] = synth(
      (c) =>
        new CentralGateway(c, 'G', {
          ...gateway,
          publicPort: 8443,
          internalPort: 8080,
          platformListener: { name: 'platform', hostname: '*.dev.example.com', tlsSecretName: 't' },
        }),
    );
    expect(g.spec.listeners.map((l: { name: string; port: number }) => [l.name, l.port])).toEqual([
      [gateway.publicListener, 8443],
      [gateway.internalListener, 8080],
      ['platform', 8443],
    ]);
  });

  it('refuses ports the proxy keeps for itself, out of range, or shared by both listeners', () => {
    expect(() =>
      synth((c) => new CentralGateway(c, 'G', { ...gateway, publicPort: 15021 })),
    ).toThrow(
      /publicPort must be a TCP port from 1 to 65535 other than 15020, 15021, 15000 .* got 15021/,
    );
    expect(() => synth((c) => new CentralGateway(c, 'G', { ...gateway, internalPort: 0 }))).toThrow(
      /internalPort must be a TCP port .* got 0/,
    );
    expect(() =>
      synth((c) => new CentralGateway(c, 'G', { ...gateway, publicPort: 80, internalPort: 80 })),
    ).toThrow(/publicPort and internalPort are both 80/);
  });

  it('publishes a platform UI from the gateway namespace, granted by the add-on namespace', () => {
    const objs = synth(
      (c) =>
        new PlatformUiRoute(c, 'U', {
          ...uiRoute,
          pathPrefixes: ['/realms/', '/resources/'],
        }),
    );
    const route = objs.find((o: { kind: string }) => o.kind === 'HTTPRoute');
    const grant = objs.find((o: { kind: string }) => o.kind === 'ReferenceGrant');
    expect(route.metadata.namespace).toBe('agentgateway-system');
    expect(route.spec.hostnames).toEqual(['keycloak.dev.example.com']);
    expect(route.spec.parentRefs[0].sectionName).toBe('platform');
    expect(
      route.spec.rules[0].matches.map((m: { path: { value: string } }) => m.path.value),
    ).toEqual(['/realms/', '/resources/']);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { kind: 'Service', namespace: 'keycloak', name: 'keycloak-keycloakx-http', port: 80 },
    ]);
    expect(grant.metadata.namespace).toBe('keycloak');
    expect(grant.spec.from).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'agentgateway-system' },
    ]);
    expect(grant.spec.to).toEqual([
      { group: '', kind: 'Service', name: 'keycloak-keycloakx-http' },
    ]);
  });

  it.each([
    [{ pathPrefixes: [] }, /pathPrefixes is empty/],
    [{ pathPrefixes: ['realms/'] }, /pathPrefixes \["realms\/"\] must start with "\/"/],
    [{ serviceNamespace: 'agentgateway-system' }, /platform UIs run in their add-on's namespace/],
  ])('refuses a platform UI route with %j', (override, message) => {
    expect(() => synth((c) => new PlatformUiRoute(c, 'U', { ...uiRoute, ...override }))).toThrow(
      message,
    );
  });

  it('fails when both listeners have the same name', () => {
    expect(() =>
      synth((c) => new CentralGateway(c, 'G', { ...gateway, internalListener: 'https' })),
    ).toThrow(/listener name "https" is used twice.*distinct name/);
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
      realm({
        roles: [{ name: 'viewer', description: 'reads' }],
        groups: [{ path: '/platform/devs', realmRoles: ['developer'] }],
      }),
    ).toThrow(/undefined roles developer/);
  });

  it('fails when a base realm group sits under the tenant root', () => {
    expect(() => realm({ groups: [{ path: '/tenants/acme/developers', realmRoles: [] }] })).toThrow(
      /under the tenant root \/tenants/,
    );
  });

  it('fails when a group path is not absolute', () => {
    expect(() => realm({ groups: [{ path: 'platform/admins', realmRoles: [] }] })).toThrow(
      /not an absolute Keycloak group path/,
    );
  });

  it('keycloak realm nests platform groups as subgroups and keeps the tenant root empty', () => {
    const [cm] = realm({
      roles: [{ name: 'platform-admin', description: 'admin' }],
      groups: [{ path: '/platform/admins', realmRoles: ['platform-admin'] }],
    });
    const groups = JSON.parse(cm.data['platform.json']).groups;
    expect(groups).toEqual([
      {
        name: 'platform',
        path: '/platform',
        realmRoles: [],
        subGroups: [
          {
            name: 'admins',
            path: '/platform/admins',
            realmRoles: ['platform-admin'],
            subGroups: [],
          },
        ],
      },
      { name: 'tenants', path: '/tenants', realmRoles: [], subGroups: [] },
    ]);
  });

  it('keycloak realm clients put full group paths in the groups claim and their own id in aud', () => {
    const [cm] = realm({ clients: [{ clientId: 'grafana', url: 'https://grafana.example.com' }] });
    const mappers = JSON.parse(cm.data['platform.json']).clients[0].protocolMappers;
    expect(mappers.find((m: { name: string }) => m.name === 'groups').config['full.path']).toBe(
      'true',
    );
    expect(
      mappers.find((m: { name: string }) => m.name === 'audience').config[
        'included.client.audience'
      ],
    ).toBe('grafana');
  });

  it('keycloak tenant groups hold the tenant subtree with roles, in a labelled ConfigMap', () => {
    const [cm] = synth(
      (c) =>
        new KeycloakTenantGroups(c, 'T', {
          configMapName: 'keycloak-realm-tenant-acme',
          namespace: 'keycloak',
          tenant: 'acme',
          root: '/tenants/acme',
          groups: [{ path: '/tenants/acme/team/leads', realmRoles: ['tenant-developer'] }],
          labels: { 'platform.agentic.io/realm-part': 'tenant' },
        }),
    );
    expect(cm.metadata.labels).toEqual({ 'platform.agentic.io/realm-part': 'tenant' });
    const part = JSON.parse(cm.data['groups.json']);
    expect(part.tenant).toBe('acme');
    expect(part.group.subGroups[0]).toEqual({
      name: 'team',
      path: '/tenants/acme/team',
      realmRoles: [],
      subGroups: [
        {
          name: 'leads',
          path: '/tenants/acme/team/leads',
          realmRoles: ['tenant-developer'],
          subGroups: [],
        },
      ],
    });
  });

  it("fails when a tenant's group is outside its subtree", () => {
    expect(() =>
      synth(
        (c) =>
          new KeycloakTenantGroups(c, 'T', {
            configMapName: 'x',
            namespace: 'keycloak',
            tenant: 'acme',
            root: '/tenants/acme',
            groups: [{ path: '/tenants/globex/developers', realmRoles: [] }],
            labels: {},
          }),
      ),
    ).toThrow(/outside the tenant's subtree \/tenants\/acme/);
  });

  it('fails when a tenant has no groups', () => {
    expect(() =>
      synth(
        (c) =>
          new KeycloakTenantGroups(c, 'T', {
            configMapName: 'x',
            namespace: 'keycloak',
            tenant: 'acme',
            root: '/tenants/acme',
            groups: [],
            labels: {},
          }),
      ),
    ).toThrow(/groups is empty/);
  });

  it('keycloak realm gives a client served under a path its host as web origin', () => {
    const [cm] = realm({
      clients: [{ clientId: 'agent-registry', url: 'https://agents.example.com/registry' }],
    });
    const client = JSON.parse(cm.data['platform.json']).clients[0];
    expect(client.rootUrl).toBe('https://agents.example.com/registry');
    expect(client.redirectUris).toEqual(['https://agents.example.com/registry/*']);
    expect(client.webOrigins).toEqual(['https://agents.example.com']);
  });

  it('keycloak realm refuses a client url that is not an absolute http(s) URL', () => {
    expect(() => realm({ clients: [{ clientId: 'argocd', url: 'argocd.example.com' }] })).toThrow(
      /client "argocd" has url "argocd.example.com", which is not an absolute http\(s\) URL/,
    );
  });
});

describe('ServiceReferenceGrant', () => {
  it('refuses a grant within the Service’s own namespace', () => {
    expect(() =>
      synth(
        (c) =>
          new ServiceReferenceGrant(c, 'G', {
            name: 'g',
            namespace: 'keycloak',
            serviceName: 's',
            fromGroup: 'gateway.networking.k8s.io',
            fromKind: 'HTTPRoute',
            fromNamespace: 'keycloak',
          }),
      ),
    ).toThrow(/fromNamespace is the Service's own namespace "keycloak"/);
  });
});
