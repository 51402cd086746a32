import { describe, expect, it } from 'vitest';
import { flattenGroups, groupTree, pathSegments } from '../../src/identity/realm-representation';

describe('realm representation', () => {
  it('builds a tree with intermediate groups and sorted children', () => {
    const tree = groupTree(
      '/tenants/acme',
      new Map([
        ['/tenants/acme/viewers', ['tenant-viewer']],
        ['/tenants/acme/team/leads', ['tenant-developer']],
      ]),
    );
    expect(flattenGroups(tree).map((g) => [g.path, g.realmRoles])).toEqual([
      ['/tenants/acme', []],
      ['/tenants/acme/team', []],
      ['/tenants/acme/team/leads', ['tenant-developer']],
      ['/tenants/acme/viewers', ['tenant-viewer']],
    ]);
  });

  it('fails when a group is outside the tree root', () => {
    expect(() => groupTree('/tenants/acme', new Map([['/tenants/globex/x', []]]))).toThrow(
      /not under "\/tenants\/acme"/,
    );
  });

  it.each(['tenants/acme', '/tenants//acme', '/', ''])('refuses the group path "%s"', (p) => {
    expect(() => pathSegments(p)).toThrow(/not an absolute Keycloak group path/);
  });
});
