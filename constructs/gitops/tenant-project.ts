import { Construct } from 'constructs';
import { AppProject } from '../../imports/argocd-appproject-argoproj.io';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';
import { syncWaveAnnotation } from './sync-waves';
import { PLATFORM_OWNED_KINDS, type OwnedKind } from './tenant-ownership';

export interface TenantProjectProps {
  /** Tenant name; the AppProject is named after it. */
  readonly tenant: string;
  /** The tenant's namespace: the only destination the project allows. */
  readonly namespace: string;
  /** The one Git repository the project may read (this repository). */
  readonly repoUrl: string;
  /**
   * Service account the tenant's syncs impersonate, as `<namespace>:<name>`.
   *
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/app-sync-using-impersonation/
   */
  readonly syncServiceAccount: string;
  /**
   * Namespaced kinds the tenant project may not manage.
   *
   * @default PLATFORM_OWNED_KINDS - quota, limits, network and mesh policy, RBAC, namespace
   */
  readonly deniedKinds?: readonly OwnedKind[];
  /**
   * API server of the cluster.
   *
   * @default 'https://kubernetes.default.svc' - the cluster Argo CD runs in
   */
  readonly server?: string;
  /** Argo CD's namespace, where the AppProject lives. @default 'argocd' */
  readonly argocdNamespace?: string;
  /**
   * OIDC groups (full Keycloak paths) of each project role: `admin` (read, sync, resource
   * actions, logs), `developer` (read, sync, logs) and `viewer` (read). Argo CD evaluates
   * these from the AppProject itself, so the global policy.csv carries no tenant line.
   *
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#project-roles
   */
  readonly roleGroups: Readonly<Record<ProjectRole, readonly string[]>>;
}

/** The roles of a tenant project, from most to least privileged. */
export type ProjectRole = 'admin' | 'developer' | 'viewer';

/** What each project role may do with the project's applications (`<action>` of a policy). */
const PROJECT_ROLE_GRANTS: Readonly<Record<ProjectRole, readonly [string, string][]>> = {
  admin: [
    ['applications', 'get'],
    ['applications', 'sync'],
    ['applications', 'action/*'],
    ['logs', 'get'],
  ],
  developer: [
    ['applications', 'get'],
    ['applications', 'sync'],
    ['logs', 'get'],
  ],
  viewer: [['applications', 'get']],
};

/**
 * A tenant's AppProject: one source repository, one destination namespace, no cluster-scoped
 * kinds, none of the platform-owned namespaced kinds, and syncs that run as the tenant's own
 * service account instead of Argo CD's controller.
 */
export class TenantProject extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: TenantProjectProps) {
    super(scope, id);
    if (!/^[a-z0-9-]+:[a-z0-9-]+$/.test(props.syncServiceAccount)) {
      throw new Error(
        `TenantProject ${props.tenant}: syncServiceAccount "${props.syncServiceAccount}" must be "<namespace>:<name>", e.g. "argocd:tenant-${props.tenant}"`,
      );
    }
    for (const [role, groups] of Object.entries(props.roleGroups)) {
      if (groups.length === 0) {
        throw new Error(
          `TenantProject ${props.tenant}: roleGroups.${role} is empty; give the role at least one group, e.g. /tenants/<tenant>/${role}s`,
        );
      }
    }
    const server = props.server ?? GITOPS_BRIDGE.inClusterServer;
    this.name = props.tenant;
    const project = props.tenant;
    const roles = (Object.keys(PROJECT_ROLE_GRANTS) as ProjectRole[]).map((role) => ({
      name: role,
      description: `Tenant ${role}s of ${project}`,
      // Project-role policies may only name this project's objects (`<project>/*`).
      policies: PROJECT_ROLE_GRANTS[role].map(
        ([resource, action]) =>
          `p, proj:${project}:${role}, ${resource}, ${action}, ${project}/*, allow`,
      ),
      groups: [...props.roleGroups[role]],
    }));
    new AppProject(this, 'Resource', {
      metadata: {
        name: props.tenant,
        namespace: props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace,
        annotations: syncWaveAnnotation('projects'),
      },
      spec: {
        description: `Tenant ${props.tenant}: its own namespace only, no cluster-scoped or platform-owned kinds`,
        sourceRepos: [props.repoUrl],
        destinations: [{ server, namespace: props.namespace }],
        // An empty whitelist admits no cluster-scoped kind; the blacklist says so twice, in
        // case a later edit adds a whitelist entry.
        clusterResourceWhitelist: [],
        clusterResourceBlacklist: [{ group: '*', kind: '*' }],
        namespaceResourceBlacklist: (props.deniedKinds ?? PLATFORM_OWNED_KINDS).map((k) => ({
          group: k.group,
          kind: k.kind,
        })),
        destinationServiceAccounts: [
          { server, namespace: props.namespace, defaultServiceAccount: props.syncServiceAccount },
        ],
        orphanedResources: { warn: true },
        roles,
      },
    });
  }
}
