import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Placement } from '../addons/addon-props';
import { convergePod, MOUNTS } from './private/realm-converge-pod';

export interface RealmConvergenceProps {
  /** Keycloak's namespace: the Job, its service account and the tenant ConfigMaps live there. */
  readonly namespace: string;
  /** Name of the Job, CronJob, service account and RBAC objects. */
  readonly name: string;
  /** The bundled convergence program (convergeProgram()) and its file name. */
  readonly program: string;
  readonly programFile: string;
  /** Base realm ConfigMap (KeycloakRealm) and its data key. */
  readonly baseConfigMap: string;
  readonly baseKey: string;
  /** Label selector of the tenant parts (KeycloakTenantGroups) and their data key. */
  readonly tenantSelector: string;
  readonly tenantKey: string;
  readonly tenantRoot: string;
  /** In-cluster URL of Keycloak, e.g. `http://keycloak-keycloakx-http.keycloak.svc`. */
  readonly keycloakUrl: string;
  /** Bootstrap admin client of the master realm and the Secret holding its secret. */
  readonly adminClientId: string;
  readonly adminSecret: { readonly name: string; readonly key: string };
  /** Node image the program runs on, pinned by tag or digest. */
  readonly image: string;
  readonly placement: Placement;
  /**
   * When the full run repeats besides every sync of Keycloak's Application: it is what
   * removes the groups of a tenant whose ConfigMap was deleted.
   *
   * @default '*\/15 * * * *'
   */
  readonly schedule?: string;
}

/**
 * Applies the declared realm (base ConfigMap plus every tenant ConfigMap) to the running
 * Keycloak: an Argo CD PostSync hook Job at every sync of the Keycloak folder, and a CronJob
 * for what no sync announces (a removed tenant). The service account may only read
 * ConfigMaps in Keycloak's namespace; Keycloak access is the bootstrap admin client's.
 */
export class RealmConvergence extends Construct {
  constructor(scope: Construct, id: string, props: RealmConvergenceProps) {
    super(scope, id);
    const schedule = props.schedule ?? '*/15 * * * *';
    if (schedule.trim().split(/\s+/).length !== 5) {
      throw new Error(
        `RealmConvergence: schedule "${schedule}" is not a five-field cron expression such as "*/15 * * * *"`,
      );
    }
    const ns = props.namespace;
    const programConfigMap = `${props.name}-program`;
    new k8s.KubeConfigMap(this, 'Program', {
      metadata: { name: programConfigMap, namespace: ns },
      data: { [props.programFile]: props.program },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: ns },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: props.name, namespace: ns },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: props.name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.name, namespace: ns }],
    });
    const pod = convergePod({
      image: props.image,
      programConfigMap,
      programFile: props.programFile,
      keycloakUrl: props.keycloakUrl,
      adminClientId: props.adminClientId,
      adminSecret: props.adminSecret,
      placement: props.placement,
      serviceAccountName: props.name,
      args: [
        '--base',
        `${MOUNTS.base}/${props.baseKey}`,
        '--tenant-root',
        props.tenantRoot,
        '--tenants-namespace',
        ns,
        '--tenants-selector',
        props.tenantSelector,
        '--tenants-key',
        props.tenantKey,
      ],
      volumes: [{ name: 'base', configMap: { name: props.baseConfigMap } }],
    });
    const jobSpec = { backoffLimit: 6, activeDeadlineSeconds: 900, template: { spec: pod } };
    new k8s.KubeJob(this, 'Job', {
      metadata: {
        name: props.name,
        namespace: ns,
        annotations: {
          // Runs after every sync of the folder. A successful run is deleted with its pod (at
          // 10,000 tenants no finished Jobs pile up); a failed one stays until the next sync.
          'argocd.argoproj.io/hook': 'PostSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
        },
      },
      spec: jobSpec,
    });
    new k8s.KubeCronJob(this, 'CronJob', {
      metadata: { name: props.name, namespace: ns },
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: jobSpec },
      },
    });
  }
}
