/**
 * The platform's role tree, in one place. Keycloak groups are real hierarchies
 * (`/tenants/<tenant>/<role>` subgroups), the `groups` claim carries their full paths, and
 * every consumer (Argo CD project roles, Kubernetes RoleBindings, the registry, Grafana) maps
 * the same paths to its own permissions. Nothing else spells a group path.
 */

/** Roles a tenant's members hold, from most to least privileged. */
export const TENANT_ROLES = ['admin', 'developer', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Parent group of every tenant's subtree. */
export const TENANT_GROUP_ROOT = '/tenants';

/** Subgroup name of each tenant role: `/tenants/acme/admins`. */
const ROLE_SUBGROUP: Readonly<Record<TenantRole, string>> = {
  admin: 'admins',
  developer: 'developers',
  viewer: 'viewers',
};

/** Realm roles (`realm_access.roles`) the groups grant. */
export const REALM_ROLES = {
  platformAdmin: 'platform-admin',
  platformAuditor: 'platform-auditor',
  tenantAdmin: 'tenant-admin',
  tenantDeveloper: 'tenant-developer',
  tenantViewer: 'tenant-viewer',
} as const;

export const TENANT_REALM_ROLE: Readonly<Record<TenantRole, string>> = {
  admin: REALM_ROLES.tenantAdmin,
  developer: REALM_ROLES.tenantDeveloper,
  viewer: REALM_ROLES.tenantViewer,
};

/**
 * Platform-wide groups: admins manage everything; auditors read every tenant and the platform,
 * change nothing (the holding / cross-subsidiary role).
 */
export const PLATFORM_GROUPS = {
  admin: '/platform/admins',
  auditor: '/platform/auditors',
} as const;

/**
 * Prefix the cluster's OIDC authenticator puts before every group (and username) of a
 * Keycloak token, so a Keycloak group can never be mistaken for a Kubernetes system group
 * (`system:masters`). EKS's identity-provider config and every RoleBinding subject use it.
 */
export const OIDC_GROUP_PREFIX = 'oidc:';
export const OIDC_USERNAME_PREFIX = 'oidc:';
/** Token claim holding the group paths (Keycloak's group-membership mapper writes it). */
export const GROUPS_CLAIM = 'groups';

/** `/tenants/<tenant>`: the subtree a tenant's groups live in. */
export function tenantGroupRoot(tenant: string): string {
  return `${TENANT_GROUP_ROOT}/${tenant}`;
}

/** The group of one tenant role, e.g. `/tenants/acme/developers`. */
export function tenantRoleGroup(tenant: string, role: TenantRole): string {
  return `${tenantGroupRoot(tenant)}/${ROLE_SUBGROUP[role]}`;
}

/** A tenant's groups by role. Owner groups of the spec hold the developer role. */
export interface TenantGroups {
  readonly admin: readonly string[];
  readonly developer: readonly string[];
  readonly viewer: readonly string[];
}

/**
 * The role tree of a tenant: its three role groups, plus every owner group the spec names
 * (the spec's `owners`, all under `/tenants/<tenant>/`), which develop the tenant's agents.
 */
export function tenantGroups(tenant: string, owners: readonly string[]): TenantGroups {
  const developer = [...new Set([tenantRoleGroup(tenant, 'developer'), ...owners])].filter(
    (g) => g !== tenantRoleGroup(tenant, 'admin') && g !== tenantRoleGroup(tenant, 'viewer'),
  );
  const admin = [tenantRoleGroup(tenant, 'admin')];
  const viewer = [tenantRoleGroup(tenant, 'viewer')];
  // An owner the spec names as the admins or viewers group keeps that role.
  return {
    admin,
    developer: developer.sort(),
    viewer,
  };
}

/** Groups that may change a tenant (admins and developers): Argo CD sync, registry keys. */
export function tenantManagerGroups(g: TenantGroups): string[] {
  return [...g.admin, ...g.developer];
}

/** A Kubernetes RBAC group subject for a Keycloak group path. */
export function oidcGroupSubject(groupPath: string): string {
  return `${OIDC_GROUP_PREFIX}${groupPath}`;
}
