import { describe, expect, it } from 'vitest';
import { TenantNamespace } from '../../../constructs/tenant/tenant-namespace';
import { find, objectsOf } from '../../construct-helpers';

describe('TenantNamespace', () => {
  const objects = objectsOf(
    (s) =>
      new TenantNamespace(s, 'ns', {
        name: 'acme',
        labels: { team: 'a' },
        waypointName: 'waypoint',
      }),
  );
  const ns = find(objects, 'Namespace', 'acme');

  it('enforces, audits and warns on Pod Security restricted', () => {
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('enrols the namespace in ambient and binds its waypoint', () => {
    expect(ns.metadata.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'waypoint',
      team: 'a',
    });
  });

  it('opts out of the mesh only when ambient is switched off explicitly', () => {
    const off = find(
      objectsOf(
        (s) =>
          new TenantNamespace(s, 'ns', {
            name: 'x',
            labels: {},
            waypointName: 'w',
            ambient: false,
          }),
      ),
      'Namespace',
      'x',
    );
    expect(off.metadata.labels['istio.io/dataplane-mode']).toBe('none');
    expect(off.metadata.labels['istio.io/use-waypoint']).toBeUndefined();
  });

  it('matches its snapshot', () => {
    expect(ns).toMatchSnapshot();
  });
});

describe('TenantNamespace route aliases', () => {
  it('records the aliases the tenant owns for the route guardrail', () => {
    const ns = find(
      objectsOf(
        (s) =>
          new TenantNamespace(s, 'ns', {
            name: 'globex',
            labels: {},
            waypointName: 'w',
            routeAliases: ['research', 'r2'],
          }),
      ),
      'Namespace',
      'globex',
    );
    expect(ns.metadata.annotations).toEqual({ 'platform.agentic.io/route-aliases': 'research,r2' });
  });
});
