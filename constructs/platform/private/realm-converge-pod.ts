import { k8s } from 'cdk8s-plus-28';
import type { Placement } from '../../addons/addon-props';

/** Where the Job mounts things. */
export const MOUNTS = {
  program: '/opt/converge',
  base: '/opt/realm/base',
  tenant: '/opt/realm/tenant',
} as const;

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
 * non-root user on a read-only root file system, no privilege, bounded resources.
 */
export function convergePod(o: ConvergePodOptions): k8s.PodSpec {
  return {
    restartPolicy: 'OnFailure',
    ...(o.serviceAccountName
      ? { serviceAccountName: o.serviceAccountName, automountServiceAccountToken: true }
      : { automountServiceAccountToken: false }),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    nodeSelector: { ...o.placement.nodeSelector },
    tolerations: o.placement.tolerations.map((t) => ({ ...t })),
    containers: [
      {
        name: 'converge',
        image: o.image,
        imagePullPolicy: 'IfNotPresent',
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
            name: 'KEYCLOAK_ADMIN_CLIENT_SECRET',
            valueFrom: { secretKeyRef: { name: o.adminSecret.name, key: o.adminSecret.key } },
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
    volumes: [{ name: 'program', configMap: { name: o.programConfigMap } }, ...o.volumes],
  };
}
