import { describe, expect, it } from 'vitest';
import { TenantAccess } from '../../../constructs/tenant/tenant-access';
import { find, objectsOf } from '../../construct-helpers';

describe('TenantAccess', () => {
  it('binds every owner group to the developer ClusterRole inside the namespace', () => {
    const rb = find(
      objectsOf(
        (s) =>
          new TenantAccess(s, 'a', { namespace: 'acme', ownerGroups: ['/t/a/dev', '/t/a/leads'] }),
      ),
      'RoleBinding',
      'tenant-agent-developer',
    );
    expect(rb.metadata.namespace).toBe('acme');
    expect(rb.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'tenant-agent-developer',
    });
    expect(rb.subjects.map((s: { name: string; kind: string }) => `${s.kind}:${s.name}`)).toEqual([
      'Group:/t/a/dev',
      'Group:/t/a/leads',
    ]);
  });

  it('creates no cluster-wide binding', () => {
    const objects = objectsOf(
      (s) => new TenantAccess(s, 'a', { namespace: 'acme', ownerGroups: ['/g'] }),
    );
    expect(objects.map((o) => o.kind)).toEqual(['RoleBinding']);
  });

  it('throws when no owner group is given', () => {
    expect(() =>
      objectsOf((s) => new TenantAccess(s, 'a', { namespace: 'acme', ownerGroups: [] })),
    ).toThrow(/ownerGroups is empty/);
  });
});
