import { describe, expect, it } from 'vitest';
import { TenantMeshAuthorization } from '../../../constructs/tenant/tenant-mesh-authorization';
import { TenantWaypoint } from '../../../constructs/tenant/tenant-waypoint';
import { find, objectsOf } from '../../construct-helpers';

describe('TenantMeshAuthorization', () => {
  it('allows only the tenant and the listed namespaces, namespace-wide', () => {
    const ap = find(
      objectsOf(
        (s) =>
          new TenantMeshAuthorization(s, 'm', {
            namespace: 'acme',
            allowedNamespaces: ['agentgateway-system'],
          }),
      ),
      'AuthorizationPolicy',
      'tenant-isolation',
    );
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.spec).toEqual({
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['acme', 'agentgateway-system'] } }] }],
    });
  });

  it('admits a port-limited caller (kagent) on its ports only', () => {
    const ap = find(
      objectsOf(
        (s) =>
          new TenantMeshAuthorization(s, 'm', {
            namespace: 'acme',
            allowedNamespaces: ['agentgateway-system'],
            portLimitedCallers: [{ namespace: 'kagent', ports: [8080] }],
          }),
      ),
      'AuthorizationPolicy',
      'tenant-isolation',
    );
    expect(ap.spec.rules).toEqual([
      { from: [{ source: { namespaces: ['acme', 'agentgateway-system'] } }] },
      { from: [{ source: { namespaces: ['kagent'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });
});

describe('TenantWaypoint', () => {
  const objects = objectsOf(
    (s) =>
      new TenantWaypoint(s, 'w', {
        namespace: 'acme',
        name: 'waypoint',
        allowedNamespaces: ['agentgateway-system'],
      }),
  );

  it('creates an Istio waypoint Gateway listening on HBONE', () => {
    const gw = find(objects, 'Gateway', 'waypoint');
    expect(gw.spec).toEqual({
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    });
    expect(gw.metadata.labels['istio.io/waypoint-for']).toBe('service');
  });

  it('attaches its own policy to the waypoint by targetRefs, not by selector', () => {
    const ap = find(objects, 'AuthorizationPolicy', 'waypoint-access');
    expect(ap.spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
    ]);
    expect(ap.spec.selector).toBeUndefined();
    expect(ap.spec.rules[0].from[0].source.namespaces).toEqual(['acme', 'agentgateway-system']);
  });
});
