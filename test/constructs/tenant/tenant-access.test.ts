import { describe, expect, it } from 'vitest';
import { TenantAccess } from '../../../constructs/tenant/tenant-access';
import { find, objectsOf } from '../../construct-helpers';

const access = (over: Partial<ConstructorParameters<typeof TenantAccess>[2]> = {}) =>
  objectsOf(
    (s) =>
      new TenantAccess(s, 'a', {
        namespace: 'acme',
        developerGroups: ['/tenants/acme/admins', '/tenants/acme/developers'],
        viewerGroups: ['/tenants/acme/viewers'],
        groupPrefix: 'oidc:',
        ...over,
      }),
  );

const subjects = (rb: Record<string, any>) =>
  rb.subjects.map((s: { kind: string; name: string }) => `${s.kind}:${s.name}`);

describe('TenantAccess', () => {
  it('binds the developer groups, with the OIDC prefix, to the developer ClusterRole inside the namespace', () => {
    const rb = find(access(), 'RoleBinding', 'tenant-agent-developer');
    expect(rb.metadata.namespace).toBe('acme');
    expect(rb.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'tenant-agent-developer',
    });
    expect(subjects(rb)).toEqual([
      'Group:oidc:/tenants/acme/admins',
      'Group:oidc:/tenants/acme/developers',
    ]);
  });

  it('binds the viewer groups to the read-only view ClusterRole', () => {
    const rb = find(access(), 'RoleBinding', 'view');
    expect(rb.roleRef.name).toBe('view');
    expect(subjects(rb)).toEqual(['Group:oidc:/tenants/acme/viewers']);
  });

  it('creates no cluster-wide binding, and no viewer binding without viewers', () => {
    expect(access({ viewerGroups: [] }).map((o) => o.kind)).toEqual(['RoleBinding']);
  });

  it('throws when no developer group is given', () => {
    expect(() => access({ developerGroups: [] })).toThrow(/developerGroups is empty/);
  });

  it('throws when the group prefix is empty', () => {
    expect(() => access({ groupPrefix: '' })).toThrow(/groupPrefix is empty/);
  });
});
