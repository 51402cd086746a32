import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { TENANT_DEVELOPER_ROLE } from '../../src/model/conventions';

export interface TenantAccessProps {
  readonly namespace: string;
  /**
   * Keycloak groups (full paths) whose members change the tenant's agents: its admins,
   * developers and the spec's owner groups.
   */
  readonly developerGroups: readonly string[];
  /** Keycloak groups (full paths) whose members read the tenant's namespace. */
  readonly viewerGroups: readonly string[];
  /**
   * Prefix the API server's OIDC authenticator puts before every group of a token (EKS's
   * identity-provider `groupsPrefix`). A subject without it matches nobody.
   */
  readonly groupPrefix: string;
  /**
   * ClusterRole bound for the developers. It must hold namespaced permissions only; the
   * platform layer defines it once for every tenant.
   *
   * @default 'tenant-agent-developer'
   */
  readonly roleName?: string;
  /**
   * ClusterRole bound for the viewers.
   *
   * @default 'view' - Kubernetes' built-in read-only role (no Secrets)
   */
  readonly viewerRoleName?: string;
}

/**
 * Binds the tenant's groups inside the tenant namespace only: developers to the developer
 * role, viewers to read-only. Subjects are the groups as the OIDC authenticator names them
 * (`<prefix>/tenants/<tenant>/<role>`).
 */
export class TenantAccess extends Construct {
  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    if (props.developerGroups.length === 0) {
      throw new Error(
        `TenantAccess ${props.namespace}: developerGroups is empty; name at least one Keycloak group that develops the tenant, e.g. /tenants/<tenant>/developers`,
      );
    }
    if (props.groupPrefix === '') {
      throw new Error(
        `TenantAccess ${props.namespace}: groupPrefix is empty; give the API server's OIDC groups prefix (e.g. "oidc:"), or the bindings match nobody`,
      );
    }
    const bind = (
      bindingId: string,
      roleName: string,
      groups: readonly string[],
    ): kplus.RoleBinding => {
      const binding = new kplus.RoleBinding(this, bindingId, {
        metadata: { name: roleName, namespace: props.namespace },
        role: kplus.ClusterRole.fromClusterRoleName(this, `${bindingId}Role`, roleName),
      });
      groups.forEach((g, i) =>
        binding.addSubjects(
          kplus.Group.fromName(this, `${bindingId}Group${i}`, `${props.groupPrefix}${g}`),
        ),
      );
      return binding;
    };
    bind('Resource', props.roleName ?? TENANT_DEVELOPER_ROLE, props.developerGroups);
    if (props.viewerGroups.length > 0)
      bind('Viewers', props.viewerRoleName ?? 'view', props.viewerGroups);
  }
}
