import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

export interface TenantSyncIdentityProps {
  /** Tenant namespace the binding grants rights in. */
  readonly namespace: string;
  /** Service account name, in `serviceAccountNamespace`. */
  readonly serviceAccountName: string;
  /** Argo CD's namespace: tenant pods cannot mount a token from there. */
  readonly serviceAccountNamespace: string;
  /** ClusterRole bound in `namespace` (TenantSyncRole). */
  readonly roleName: string;
}

/**
 * The identity a tenant's Argo CD syncs impersonate (AppProject destinationServiceAccounts):
 * a service account in Argo CD's namespace, bound to the sync role in the tenant namespace
 * only.
 */
export class TenantSyncIdentity extends Construct {
  constructor(scope: Construct, id: string, props: TenantSyncIdentityProps) {
    super(scope, id);
    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name: props.serviceAccountName, namespace: props.serviceAccountNamespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name: 'argocd-tenant-sync', namespace: props.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.roleName },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: props.serviceAccountName,
          namespace: props.serviceAccountNamespace,
        },
      ],
    });
  }
}
