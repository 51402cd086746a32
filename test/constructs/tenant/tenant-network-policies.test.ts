import { describe, expect, it } from 'vitest';
import { TenantNetworkPolicies } from '../../../constructs/tenant/tenant-network-policies';
import { find, objectsOf } from '../../construct-helpers';

const base = {
  namespace: 'acme',
  gatewayNamespace: 'agentgateway-system',
  gatewayPods: { 'gateway.networking.k8s.io/gateway-name': 'agentgateway' },
  gatewayPort: 80,
  kagentNamespace: 'kagent',
  telemetryNamespace: 'opentelemetry',
  telemetryPorts: [4317, 4318],
};
const objects = objectsOf(
  (s) =>
    new TenantNetworkPolicies(s, 'n', {
      ...base,
      agentNames: ['triage', 'helper'],
      egress: [{ cidr: '169.254.0.0/16', description: 'x', except: ['169.254.169.254/32'] }],
    }),
);
const names = objects.map((o) => o.metadata.name);

describe('TenantNetworkPolicies', () => {
  it('denies all ingress and egress by default', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it("lets only the waypoint's pods reach istiod, on its XDS and CA port", () => {
    const withWaypoint = objectsOf(
      (s) =>
        new TenantNetworkPolicies(s, 'n', {
          ...base,
          waypoint: { name: 'waypoint', istiodNamespace: 'istio-system' },
        }),
    );
    expect(find(withWaypoint, 'NetworkPolicy', 'allow-waypoint-istiod').spec).toEqual({
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
              podSelector: { matchLabels: { app: 'istiod' } },
            },
          ],
          ports: [{ port: 15012, protocol: 'TCP' }],
        },
      ],
    });
    expect(names).not.toContain('allow-waypoint-istiod');
  });

  it('allows DNS to kube-dns only', () => {
    const dns = find(objects, 'NetworkPolicy', 'allow-dns').spec.egress[0];
    expect(dns.to).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ]);
    expect(dns.ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
  });

  it('allows the gateway, kagent, telemetry, same-namespace and HBONE flows by name', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'allow-same-namespace',
        'allow-gateway',
        'allow-kagent',
        'allow-telemetry',
        'allow-ambient-mesh',
      ]),
    );
    expect(find(objects, 'NetworkPolicy', 'allow-telemetry').spec.egress[0].ports).toEqual([
      { port: 4317, protocol: 'TCP' },
      { port: 4318, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'allow-ambient-mesh').spec.ingress[0]).toEqual({
      ports: [{ port: 15008, protocol: 'TCP' }],
    });
  });

  it("lets only the tenant's agent pods and the kagent controller talk, on the agent and API ports", () => {
    const kagent = find(objects, 'NetworkPolicy', 'allow-kagent').spec;
    expect(kagent.podSelector).toEqual({
      matchLabels: { app: 'kagent' },
      matchExpressions: [{ key: 'kagent', operator: 'In', values: ['helper', 'triage'] }],
    });
    const controller = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kagent' } },
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'kagent',
          'app.kubernetes.io/component': 'controller',
        },
      },
    };
    expect(kagent.ingress).toEqual([
      { from: [controller], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(kagent.egress).toEqual([{ to: [controller], ports: [{ port: 8083, protocol: 'TCP' }] }]);
  });

  it("talks to the gateway's proxy pods only, and reaches them only on the in-cluster port", () => {
    const proxies = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'agentgateway-system' } },
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'agentgateway' } },
    };
    expect(find(objects, 'NetworkPolicy', 'allow-gateway').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [proxies] }],
      egress: [{ to: [proxies], ports: [{ port: 80, protocol: 'TCP' }] }],
    });
  });

  it('opens no path to kagent for a tenant without agents', () => {
    const none = objectsOf((s) => new TenantNetworkPolicies(s, 'n', base));
    expect(none.map((o) => o.metadata.name)).not.toContain('allow-kagent');
  });

  it('allows external HTTPS only to the listed ranges, never the metadata endpoint', () => {
    const rule = find(objects, 'NetworkPolicy', 'allow-external-https').spec.egress[0];
    expect(rule.to).toEqual([
      { ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.169.254/32'] } },
    ]);
    expect(rule.ports).toEqual([{ port: 443, protocol: 'TCP' }]);
  });

  it('creates no external egress policy when the spec allows none', () => {
    const none = objectsOf((s) => new TenantNetworkPolicies(s, 'n', base));
    expect(none.map((o) => o.metadata.name)).not.toContain('allow-external-https');
  });
});
