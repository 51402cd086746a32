import { k8s } from 'cdk8s-plus-28';
import type { Placement } from '../../addons/addon-props';

/** Where the Job mounts things. */
export const MOUNTS = {
  program: '/opt/converge',
  base: '/opt/realm/base',
  tenant: '/opt/realm/tenant',
  adminSecret: '/var/run/secrets/keycloak-admin',
} as const;

/** File name of the admin client secret inside MOUNTS.adminSecret. */
const ADMIN_SECRET_FILE = 'client-secret';

/**
 * The run's user and group: above 10000, so it maps to no user of the node (nor of a
 * container breaking out to it); the Node image runs any UID, and the mounted files are
 * readable through the group.
 */
const RUN_AS = 10001;

/** The service account CA, for the Kubernetes API (Node reads it from NODE_EXTRA_CA_CERTS). */
const SA_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

export interface ConvergePodOptions {
  readonly image: string;
  readonly programConfigMap: string;
  readonly programFile: string;
  readonly keycloakUrl: string;
  readonly adminClientId: string;
  readonly adminSecret: { readonly name: string; readonly key: string };
  readonly placement: Placement;
  readonly args: readonly string[];
  readonly volumes: readonly k8s.Volume[];
  readonly serviceAccountName?: string;
}

/**
 * The pod of every realm-convergence run: the bundled program on a stock Node image, as a
 * non-root high UID on a read-only root file system, no privilege, bounded resources. The
 * admin client secret is a mounted file (never an environment variable, which every process
 * of the container and its crash dumps would see), and the image is pulled at every start so
 * a re-pushed tag cannot linger on a node.
 */
export function convergePod(o: ConvergePodOptions): k8s.PodSpec {
  return {
    restartPolicy: 'OnFailure',
    ...(o.serviceAccountName
      ? { serviceAccountName: o.serviceAccountName, automountServiceAccountToken: true }
      : { automountServiceAccountToken: false }),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS,
      runAsGroup: RUN_AS,
      fsGroup: RUN_AS,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    nodeSelector: { ...o.placement.nodeSelector },
    tolerations: o.placement.tolerations.map((t) => ({ ...t })),
    containers: [
      {
        name: 'converge',
        image: o.image,
        imagePullPolicy: 'Always',
        command: [
          'node',
          `${MOUNTS.program}/${o.programFile}`,
          '--keycloak-url',
          o.keycloakUrl,
          ...o.args,
        ],
        env: [
          { name: 'KEYCLOAK_ADMIN_CLIENT_ID', value: o.adminClientId },
          {
            name: 'KEYCLOAK_ADMIN_CLIENT_SECRET_FILE',
            value: `${MOUNTS.adminSecret}/${ADMIN_SECRET_FILE}`,
          },
          ...(o.serviceAccountName ? [{ name: 'NODE_EXTRA_CA_CERTS', value: SA_CA }] : []),
        ],
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        resources: {
          requests: {
            cpu: k8s.Quantity.fromString('50m'),
            memory: k8s.Quantity.fromString('64Mi'),
          },
          limits: {
            cpu: k8s.Quantity.fromString('500m'),
            memory: k8s.Quantity.fromString('256Mi'),
          },
        },
        volumeMounts: [
          { name: 'program', mountPath: MOUNTS.program, readOnly: true },
          { name: 'admin-secret', mountPath: MOUNTS.adminSecret, readOnly: true },
          ...o.volumes
            .filter((v) => v.name !== 'program')
            .map((v) => ({
              name: v.name,
              mountPath: v.name === 'base' ? MOUNTS.base : MOUNTS.tenant,
              readOnly: true,
            })),
        ],
      },
    ],
    volumes: [
      { name: 'program', configMap: { name: o.programConfigMap } },
      {
        name: 'admin-secret',
        secret: {
          secretName: o.adminSecret.name,
          items: [{ key: o.adminSecret.key, path: ADMIN_SECRET_FILE }],
          // Owner and group (fsGroup) only.
          defaultMode: 0o440,
        },
      },
      ...o.volumes,
    ],
  };
}
