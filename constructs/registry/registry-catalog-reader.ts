import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

export interface RegistryCatalogReaderProps {
  /** The registry's namespace: the ServiceAccount, the Role and the catalog ConfigMaps. */
  readonly namespace: string;
  /** Name of the ServiceAccount the registry pods run as. */
  readonly serviceAccountName: string;
  /**
   * Name of the Role and its RoleBinding.
   *
   * @default '<serviceAccountName>-catalog-reader'
   */
  readonly roleName?: string;
}

/**
 * The registry pods' identity and the one right it has: get, list and watch ConfigMaps in its
 * own namespace, where the catalog parts live (the service lists them by label and keeps a
 * watch open, so a tenant change reaches every replica without a restart). RBAC cannot narrow
 * list/watch by label, so the grant covers the namespace's ConfigMaps, which hold nothing
 * but the registry's own objects; no Secrets, no writes, nothing cluster-wide.
 */
export class RegistryCatalogReader extends Construct {
  public readonly serviceAccountName: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: RegistryCatalogReaderProps) {
    super(scope, id);
    this.serviceAccountName = props.serviceAccountName;
    this.roleName = props.roleName ?? `${props.serviceAccountName}-catalog-reader`;
    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name: props.serviceAccountName, namespace: props.namespace },
      // The pod spec mounts the token explicitly; other pods using this account get none.
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: this.roleName, namespace: props.namespace },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name: this.roleName, namespace: props.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.roleName },
      subjects: [
        { kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace },
      ],
    });
  }
}
