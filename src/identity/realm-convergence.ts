import type { KeycloakAdmin, RoleRef } from './keycloak-admin';
import type { BaseRealm, RealmClient, RealmGroup, TenantRealmPart } from './realm-representation';

/**
 * Applies the declared realm to a running Keycloak, on every sync, without touching users or
 * credentials.
 *
 * Why not partial import alone: `POST /partialImport` handles groups at the top level only.
 * With SKIP, an existing `/tenants` skips every new tenant below it; with OVERWRITE Keycloak
 * removes the group and imports it again (GroupsPartialImport.remove → realm.removeGroup),
 * which drops every membership of the whole tree. So partial import (SKIP) creates what is
 * missing among realm roles and clients (an existing client keeps its id and secret), and the
 * group tree is converged node by node through the groups API: a declared group is found by
 * path and kept (its members with it), missing ones are created, realm roles are set to
 * exactly the declared ones.
 *
 * Removal is safe by construction: only groups below a declared root (`/platform`, the tenant
 * root, a tenant's `/tenants/<t>`) are candidates, and such a group is deleted only when
 * nobody is a member of it or of any group below it. A populated group is kept, reported,
 * and stripped of its realm roles, so that it grants nothing until an administrator moves
 * its members and the next run removes it. Groups outside the declared roots are never
 * touched.
 */

export interface ConvergenceReport {
  realmCreated: boolean;
  /** Paths of groups created. */
  created: string[];
  /** Paths of undeclared groups deleted (empty subtrees). */
  deleted: string[];
  /** Undeclared groups kept because they (or a subgroup) have members. */
  kept: { path: string; members: number }[];
  /** `path: +role` / `path: -role` changes of group realm roles. */
  roleChanges: string[];
  /** Client ids brought back to their declaration. */
  clientsUpdated: string[];
  /** Realm roles and clients the partial import created (existing ones are skipped). */
  imported: number;
}

export interface ConvergeOptions {
  /** The bounded base realm. Required for a full run. */
  readonly base: BaseRealm;
  /** Every tenant part the specs declare (full run). */
  readonly tenants: readonly TenantRealmPart[];
  /** The tenant root (`/tenants`) in the base realm. */
  readonly tenantRoot: string;
}

export interface ConvergeTenantOptions {
  readonly realm: string;
  readonly tenantRoot: string;
  readonly tenant: TenantRealmPart;
}

function emptyReport(): ConvergenceReport {
  return {
    realmCreated: false,
    created: [],
    deleted: [],
    kept: [],
    roleChanges: [],
    clientsUpdated: [],
    imported: 0,
  };
}

/** A full run: realm, roles, clients, platform groups, every tenant, pruning undeclared tenants. */
export async function convergeRealm(
  kc: KeycloakAdmin,
  opts: ConvergeOptions,
): Promise<ConvergenceReport> {
  const report = emptyReport();
  const { base } = opts;
  const realm = base.realm;
  const rootName = opts.tenantRoot.slice(1);
  const tenantRootGroup = base.groups.find((g) => g.path === opts.tenantRoot);
  if (!tenantRootGroup) {
    throw new Error(
      `base realm ${realm} has no tenant root group ${opts.tenantRoot}; synthesize the base realm with tenantRoot ${opts.tenantRoot}`,
    );
  }
  for (const t of opts.tenants) assertTenantPart(t, opts.tenantRoot);

  if (!(await kc.realmExists(realm))) {
    // First boot without --import-realm: the realm is created whole, tenants included.
    await kc.createRealm({
      ...base,
      groups: base.groups.map((g) =>
        g.path === opts.tenantRoot ? { ...g, subGroups: opts.tenants.map((t) => t.group) } : g,
      ),
    });
    report.realmCreated = true;
  }

  // Realm roles and clients: create the missing, keep the existing (client ids and secrets).
  const imported = await kc.partialImport(realm, {
    ifResourceExists: 'SKIP',
    roles: { realm: base.roles.realm },
    clients: base.clients,
  });
  const existingRoles = new Map((await kc.realmRoles(realm)).map((r) => [r.name, r]));
  for (const r of base.roles.realm) {
    if ((existingRoles.get(r.name)?.description ?? '') !== r.description)
      await kc.updateRealmRole(realm, r);
  }
  report.imported = imported.added;
  for (const c of base.clients) await convergeClient(kc, realm, c, report);

  const roles = await roleIndex(kc, realm);
  for (const g of base.groups) {
    if (g.path === opts.tenantRoot) continue;
    await convergeGroup(kc, realm, undefined, g, roles, report);
  }
  // The tenant root's children are exactly the declared tenants.
  const declared: RealmGroup = {
    ...tenantRootGroup,
    name: rootName,
    subGroups: [...opts.tenants].map((t) => t.group).sort((a, b) => cmp(a.name, b.name)),
  };
  await convergeGroup(kc, realm, undefined, declared, roles, report);
  return report;
}

/** One tenant's subtree only (its platform Application's sync): never touches another tenant. */
export async function convergeTenant(
  kc: KeycloakAdmin,
  opts: ConvergeTenantOptions,
): Promise<ConvergenceReport> {
  const report = emptyReport();
  assertTenantPart(opts.tenant, opts.tenantRoot);
  const roles = await roleIndex(kc, opts.realm);
  let root = await kc.groupByPath(opts.realm, opts.tenantRoot);
  if (!root) {
    const id = await kc.createGroup(opts.realm, opts.tenantRoot.slice(1));
    report.created.push(opts.tenantRoot);
    root = { id, name: opts.tenantRoot.slice(1), path: opts.tenantRoot };
  }
  await convergeGroup(kc, opts.realm, root.id, opts.tenant.group, roles, report);
  return report;
}

function assertTenantPart(t: TenantRealmPart, tenantRoot: string): void {
  const expected = `${tenantRoot}/${t.tenant}`;
  if (t.group.path !== expected || t.group.name !== t.tenant) {
    throw new Error(
      `tenant part of "${t.tenant}" holds group ${t.group.path}; a tenant part must hold exactly its subtree ${expected}`,
    );
  }
  const walk = (g: RealmGroup): void => {
    for (const s of g.subGroups) {
      if (s.path !== `${g.path}/${s.name}`) {
        throw new Error(
          `tenant part of "${t.tenant}": group ${s.path} is not a child of ${g.path}; paths must follow the tree`,
        );
      }
      walk(s);
    }
  };
  walk(t.group);
}

async function roleIndex(kc: KeycloakAdmin, realm: string): Promise<Map<string, RoleRef>> {
  return new Map((await kc.realmRoles(realm)).map((r) => [r.name, { id: r.id, name: r.name }]));
}

/** Finds or creates `desired` below `parentId`, sets its roles, converges its children. */
async function convergeGroup(
  kc: KeycloakAdmin,
  realm: string,
  parentId: string | undefined,
  desired: RealmGroup,
  roles: ReadonlyMap<string, RoleRef>,
  report: ConvergenceReport,
): Promise<void> {
  let existing = await kc.groupByPath(realm, desired.path);
  if (!existing) {
    const id = await kc.createGroup(realm, desired.name, parentId);
    report.created.push(desired.path);
    existing = { id, name: desired.name, path: desired.path };
  }
  await setRealmRoles(kc, realm, existing.id, desired, roles, report);
  const declared = new Set(desired.subGroups.map((s) => s.name));
  for (const child of desired.subGroups)
    await convergeGroup(kc, realm, existing.id, child, roles, report);
  for (const child of await kc.children(realm, existing.id)) {
    if (declared.has(child.name)) continue;
    await pruneIfSafe(kc, realm, child, report);
  }
}

async function setRealmRoles(
  kc: KeycloakAdmin,
  realm: string,
  groupId: string,
  desired: RealmGroup,
  roles: ReadonlyMap<string, RoleRef>,
  report: ConvergenceReport,
): Promise<void> {
  const current = await kc.groupRealmRoles(realm, groupId);
  const want = new Set(desired.realmRoles);
  const add: RoleRef[] = [];
  for (const name of desired.realmRoles) {
    if (current.some((r) => r.name === name)) continue;
    const role = roles.get(name);
    if (!role) {
      throw new Error(
        `group ${desired.path} declares realm role "${name}", which realm ${realm} does not define; add it to the base realm's roles`,
      );
    }
    add.push(role);
  }
  const remove = current.filter((r) => !want.has(r.name));
  if (add.length > 0) await kc.addGroupRealmRoles(realm, groupId, add);
  if (remove.length > 0) await kc.removeGroupRealmRoles(realm, groupId, remove);
  for (const r of add) report.roleChanges.push(`${desired.path}: +${r.name}`);
  for (const r of remove) report.roleChanges.push(`${desired.path}: -${r.name}`);
}

/** Members of a group and of every group below it. */
async function subtreeMembers(
  kc: KeycloakAdmin,
  realm: string,
  group: { id: string; path: string },
): Promise<number> {
  let n = await kc.hasMembers(realm, group.id);
  for (const c of await kc.children(realm, group.id)) n += await subtreeMembers(kc, realm, c);
  return n;
}

async function pruneIfSafe(
  kc: KeycloakAdmin,
  realm: string,
  group: { id: string; path: string },
  report: ConvergenceReport,
): Promise<void> {
  const members = await subtreeMembers(kc, realm, group);
  if (members === 0) {
    await kc.deleteGroup(realm, group.id);
    report.deleted.push(group.path);
    return;
  }
  report.kept.push({ path: group.path, members });
  await disarm(kc, realm, group, report);
}

/** Strips the realm roles of a kept, undeclared subtree: it stays, granting nothing. */
async function disarm(
  kc: KeycloakAdmin,
  realm: string,
  group: { id: string; path: string },
  report: ConvergenceReport,
): Promise<void> {
  const current = await kc.groupRealmRoles(realm, group.id);
  if (current.length > 0) {
    await kc.removeGroupRealmRoles(realm, group.id, current);
    for (const r of current) report.roleChanges.push(`${group.path}: -${r.name}`);
  }
  for (const c of await kc.children(realm, group.id)) await disarm(kc, realm, c, report);
}

/** Creates a missing client (partial import did) or brings an existing one to its declaration. */
async function convergeClient(
  kc: KeycloakAdmin,
  realm: string,
  c: RealmClient,
  report: ConvergenceReport,
): Promise<void> {
  const existing = await kc.clientByClientId(realm, c.clientId);
  if (!existing) {
    throw new Error(`client ${c.clientId} is missing in realm ${realm} after partial import`);
  }
  const { protocolMappers, ...fields } = c;
  const drift = (Object.keys(fields) as (keyof typeof fields)[]).some(
    (k) => !same(existing[k], fields[k]),
  );
  if (drift) {
    // The secret is not in the representation, so Keycloak keeps it.
    await kc.updateClient(realm, existing.id, { ...existing, ...fields });
    report.clientsUpdated.push(c.clientId);
  }
  const mappers = await kc.clientMappers(realm, existing.id);
  let created = false;
  for (const m of protocolMappers) {
    const have = mappers.find((x) => x.name === m.name);
    if (!have) {
      await kc.createClientMapper(realm, existing.id, m);
      created = true;
    } else if (
      have.protocolMapper !== m.protocolMapper ||
      // Keycloak adds defaults of its own to a mapper's config: compare the declared keys.
      Object.entries(m.config).some(([k, v]) => (have.config as Record<string, string>)[k] !== v)
    ) {
      await kc.updateClientMapper(realm, existing.id, have.id, { ...m, id: have.id });
      created = true;
    }
  }
  if (created && !drift) report.clientsUpdated.push(c.clientId);
}

/** Equal as Keycloak stores them: redirect URIs and web origins are sets, order is not kept. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  return JSON.stringify(a) === JSON.stringify(b);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
