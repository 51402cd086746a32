import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { OwnedKind } from '../gitops/tenant-ownership';

export interface TenantSyncRoleProps {
  readonly name: string;
  /** Kinds the tenant's Argo CD Application may manage (TENANT_OWNED_KINDS). */
  readonly kinds: readonly OwnedKind[];
  /** Lowercase plural resource of each kind, e.g. `Agent` → `agents`. */
  readonly resourceOf: (kind: OwnedKind) => string;
}

/**
 * What a tenant's Argo CD syncs may do, bound per tenant namespace: exactly the tenant-owned
 * kinds. Even a misconfigured AppProject could not make a tenant sync touch a quota.
 */
export class TenantSyncRole extends Construct {
  constructor(scope: Construct, id: string, props: TenantSyncRoleProps) {
    super(scope, id);
    const groups = [...new Set(props.kinds.map((k) => k.group))].sort();
    new k8s.KubeClusterRole(this, 'Resource', {
      metadata: { name: props.name },
      rules: groups.map((group) => ({
        apiGroups: [group],
        resources: props.kinds
          .filter((k) => k.group === group)
          .map(props.resourceOf)
          .sort(),
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      })),
    });
  }
}
