import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { TENANT_DEVELOPER_ROLE } from '../../src/model/conventions';

export interface TenantAccessProps {
  readonly namespace: string;
  /** OIDC (Keycloak) groups whose members develop the tenant's agents. */
  readonly ownerGroups: readonly string[];
  /**
   * ClusterRole bound in the namespace. It must hold namespaced permissions only; the
   * platform layer defines it once for every tenant.
   *
   * @default 'tenant-agent-developer'
   */
  readonly roleName?: string;
}

/** Binds the tenant's owner groups to the developer role, inside the tenant namespace only. */
export class TenantAccess extends Construct {
  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    if (props.ownerGroups.length === 0) {
      throw new Error(
        `TenantAccess ${props.namespace}: ownerGroups is empty; name at least one Keycloak group that owns the tenant`,
      );
    }
    const roleName = props.roleName ?? TENANT_DEVELOPER_ROLE;
    const binding = new kplus.RoleBinding(this, 'Resource', {
      metadata: { name: roleName, namespace: props.namespace },
      role: kplus.ClusterRole.fromClusterRoleName(this, 'Role', roleName),
    });
    props.ownerGroups.forEach((g, i) =>
      binding.addSubjects(kplus.Group.fromName(this, `Group${i}`, g)),
    );
  }
}
