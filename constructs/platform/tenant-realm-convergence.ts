import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Placement } from '../addons/addon-props';
import { LABELS } from '../../src/model/conventions';
import { convergePod, MOUNTS } from './private/realm-converge-pod';

export interface TenantRealmConvergenceProps {
  readonly tenant: string;
  /** Keycloak's namespace, where the tenant's ConfigMap and the program live. */
  readonly namespace: string;
  /** Job name, one per tenant. */
  readonly name: string;
  /** The tenant's realm ConfigMap (KeycloakTenantGroups) and its data key. */
  readonly tenantConfigMap: string;
  readonly tenantKey: string;
  readonly realm: string;
  readonly tenantRoot: string;
  /** ConfigMap holding the bundled program (RealmConvergence) and its file name. */
  readonly programConfigMap: string;
  readonly programFile: string;
  readonly keycloakUrl: string;
  readonly adminClientId: string;
  readonly adminSecret: { readonly name: string; readonly key: string };
  readonly image: string;
  readonly placement: Placement;
}

/**
 * Converges one tenant's groups at every sync of that tenant's platform Application (an Argo
 * CD PostSync hook), so a new or changed tenant reaches Keycloak at once and no other
 * tenant's groups are read or written. No Kubernetes API access: the tenant's ConfigMap is
 * mounted.
 */
export class TenantRealmConvergence extends Construct {
  constructor(scope: Construct, id: string, props: TenantRealmConvergenceProps) {
    super(scope, id);
    const pod = convergePod({
      image: props.image,
      programConfigMap: props.programConfigMap,
      programFile: props.programFile,
      keycloakUrl: props.keycloakUrl,
      adminClientId: props.adminClientId,
      adminSecret: props.adminSecret,
      placement: props.placement,
      args: [
        '--realm',
        props.realm,
        '--tenant-root',
        props.tenantRoot,
        '--tenant',
        `${MOUNTS.tenant}/${props.tenantKey}`,
      ],
      volumes: [{ name: 'tenant', configMap: { name: props.tenantConfigMap } }],
    });
    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { [LABELS.tenant]: props.tenant },
        annotations: {
          'argocd.argoproj.io/hook': 'PostSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
        },
      },
      spec: { backoffLimit: 6, activeDeadlineSeconds: 600, template: { spec: pod } },
    });
  }
}
