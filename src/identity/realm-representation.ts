/**
 * The platform realm as Keycloak representations (the JSON of its import and Admin REST API),
 * split so that no object grows with the tenant count: one bounded base realm (settings,
 * realm roles, clients, platform groups, the empty `/tenants` root) and one group subtree per
 * tenant (`/tenants/<tenant>` with its role subgroups). The synthesizer writes both as
 * ConfigMaps; the convergence program (./realm-convergence.ts) applies them to a running
 * Keycloak. Pure and dependency-free: the convergence Job bundles this file.
 *
 * @see https://www.keycloak.org/docs-api/26.5.6/rest-api/index.html (RealmRepresentation)
 */

/** A group with its realm roles and subgroups (GroupRepresentation, the fields we own). */
export interface RealmGroup {
  readonly name: string;
  readonly path: string;
  readonly realmRoles: readonly string[];
  readonly subGroups: readonly RealmGroup[];
}

export interface ProtocolMapper {
  readonly name: string;
  readonly protocol: 'openid-connect';
  readonly protocolMapper: string;
  readonly config: Readonly<Record<string, string>>;
}

/** An OIDC client (ClientRepresentation, the fields we own). */
export interface RealmClient {
  readonly clientId: string;
  readonly enabled: boolean;
  readonly protocol: 'openid-connect';
  readonly publicClient: boolean;
  readonly standardFlowEnabled: boolean;
  readonly directAccessGrantsEnabled: boolean;
  readonly rootUrl: string;
  readonly redirectUris: readonly string[];
  readonly webOrigins: readonly string[];
  readonly protocolMappers: readonly ProtocolMapper[];
}

export interface RealmRole {
  readonly name: string;
  readonly description: string;
}

/** The bounded part of the realm: everything but the tenants' subtrees. */
export interface BaseRealm {
  readonly realm: string;
  readonly enabled: boolean;
  readonly roles: { readonly realm: readonly RealmRole[] };
  readonly groups: readonly RealmGroup[];
  readonly clients: readonly RealmClient[];
}

/** One tenant's part of the realm: the `/tenants/<tenant>` subtree. */
export interface TenantRealmPart {
  readonly tenant: string;
  readonly group: RealmGroup;
}

/** Group paths are `/a/b/c`; the segments are the group names. */
export function pathSegments(path: string): string[] {
  if (!/^(\/[^/]+)+$/.test(path)) {
    throw new Error(
      `group path "${path}" is not an absolute Keycloak group path; write it as /parent/child, e.g. /tenants/acme/developers`,
    );
  }
  return path.slice(1).split('/');
}

/**
 * Builds a group tree from group paths and the realm roles of each, creating the
 * intermediate groups (`/tenants/acme` for `/tenants/acme/developers`) without roles.
 * Children are sorted by name, so equal inputs give byte-equal trees.
 */
export function groupTree(
  root: string,
  groups: ReadonlyMap<string, readonly string[]>,
): RealmGroup {
  const rootSegments = pathSegments(root);
  interface Node {
    name: string;
    path: string;
    roles: Set<string>;
    children: Map<string, Node>;
  }
  const top: Node = {
    name: rootSegments[rootSegments.length - 1]!,
    path: root,
    roles: new Set(groups.get(root) ?? []),
    children: new Map(),
  };
  for (const [path, roles] of groups) {
    if (path === root) continue;
    if (!path.startsWith(`${root}/`)) {
      throw new Error(`group "${path}" is not under "${root}"; every group of this tree must be`);
    }
    let node = top;
    for (const seg of pathSegments(path).slice(rootSegments.length)) {
      let child = node.children.get(seg);
      if (!child) {
        child = { name: seg, path: `${node.path}/${seg}`, roles: new Set(), children: new Map() };
        node.children.set(seg, child);
      }
      node = child;
    }
    for (const r of roles) node.roles.add(r);
  }
  const freeze = (n: Node): RealmGroup => ({
    name: n.name,
    path: n.path,
    realmRoles: [...n.roles].sort(),
    subGroups: [...n.children.values()].sort((a, b) => cmp(a.name, b.name)).map(freeze),
  });
  return freeze(top);
}

/** Every group of a tree, parents first. */
export function flattenGroups(group: RealmGroup): RealmGroup[] {
  return [group, ...group.subGroups.flatMap(flattenGroups)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
