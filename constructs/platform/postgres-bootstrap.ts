import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/external-secrets-externalsecret-external-secrets.io';
import type { Placement } from '../addons/addon-props';
import {
  BOOTSTRAP_ENV,
  BOOTSTRAP_SHELL,
  BOOTSTRAP_SHELL_FILE,
  BOOTSTRAP_SQL,
  BOOTSTRAP_SQL_FILE,
} from './private/postgres-bootstrap-script';

export { BOOTSTRAP_ENV, BOOTSTRAP_SHELL_FILE, BOOTSTRAP_SQL_FILE };

/** One add-on's role (and database of the same name), with where its password lives. */
export interface BootstrapRole {
  /** Role and database name, e.g. `keycloak`. */
  readonly name: string;
  /** Secrets Manager secret holding the password: the one the add-on's own Secret comes from. */
  readonly passwordRemoteKey: string;
  /** JSON key of the password in that secret: the key the add-on reads. */
  readonly passwordProperty: string;
}

export interface PostgresBootstrapProps {
  /** Namespace the bootstrap owns (created here, Pod Security `restricted`). */
  readonly namespace: string;
  /** Name of the Job, its ConfigMap and service account. */
  readonly name: string;
  /** The roles to create; at least one. */
  readonly roles: readonly BootstrapRole[];
  /** psql's image (official postgres), pinned by digest. */
  readonly image: string;
  readonly placement: Placement;
  /**
   * ClusterSecretStore that reaches the RDS-managed master secret (admitting this namespace
   * only).
   */
  readonly masterStore: string;
  /**
   * Tag RDS puts on the master secret it manages (its name, `rds!db-<id>`, is random):
   * `aws:rds:primaryDBInstanceArn` = the instance ARN.
   */
  readonly masterSecretTag: { readonly key: string; readonly value: string };
  /** ClusterSecretStore of the platform secrets (the add-ons' own passwords, the endpoint). */
  readonly platformStore: string;
  /** Secrets Manager secret with the instance's `host` and `port` (written by Terraform). */
  readonly endpointRemoteKey: string;
  /**
   * libpq `sslmode`. RDS refuses unencrypted connections (rds.force_ssl on PostgreSQL 15+);
   * `verify-full` additionally needs the RDS CA bundle in the image.
   *
   * @default 'require'
   */
  readonly sslMode?: 'require' | 'verify-ca' | 'verify-full';
}

const MOUNTS = {
  script: '/opt/bootstrap',
  master: '/run/secrets/postgres-master',
  roles: '/run/secrets/postgres-roles',
  endpoint: '/run/secrets/postgres-endpoint',
} as const;
/** Above 10000 so it clashes with no host user (checkov CKV_K8S_40); psql needs no passwd entry. */
const RUN_AS = 10001;
const ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const DIGEST_PINNED = /@sha256:[a-f0-9]{64}$/;

/**
 * Creates the add-ons' roles and databases on the environment's RDS PostgreSQL, which
 * Terraform creates with its master user only. A Job in the platform-configuration wave, so
 * the add-ons that connect (services wave) start on a database that exists:
 *
 * - the master credentials come from the RDS-managed secret through external-secrets (found
 *   by the tag RDS sets, as its name is random), the endpoint from the secret Terraform writes,
 *   each role's password from the same Secrets Manager secret and key the add-on itself reads;
 * - psql from the official postgres image runs one idempotent script per role: create the
 *   role if missing (LOGIN, no SUPERUSER/CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS; a role
 *   that has any of the three only a superuser can change is an error), set its password,
 *   create its database owned by it, revoke everything (CONNECT included) from PUBLIC;
 * - a plain Job, not a hook: its Application stays Progressing until it has succeeded, so the
 *   root Application does not move on to the services wave before the databases exist.
 *   `Force=true,Replace=true` recreates it (and so re-runs it) when its spec changes, e.g. a
 *   role is added.
 */
export class PostgresBootstrap extends Construct {
  constructor(scope: Construct, id: string, props: PostgresBootstrapProps) {
    super(scope, id);
    const where = `PostgresBootstrap ${props.name}`;
    if (props.roles.length === 0)
      throw new Error(`${where}: roles is empty; list the add-on roles to create`);
    const names = props.roles.map((r) => r.name);
    const bad = names.find((n) => !ROLE_NAME.test(n));
    if (bad !== undefined)
      throw new Error(
        `${where}: role "${bad}" is not a lowercase PostgreSQL identifier (a-z, 0-9, _; starting with a letter, at most 63)`,
      );
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`${where}: role "${dup}" is listed twice`);
    if (!DIGEST_PINNED.test(props.image))
      throw new Error(
        `${where}: image "${props.image}" is not pinned by digest; use <image>:<tag>@sha256:<digest>`,
      );
    const ns = props.namespace;
    const secrets = {
      master: `${props.name}-master`,
      roles: `${props.name}-roles`,
      endpoint: `${props.name}-endpoint`,
    };

    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: ns,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: ns },
      automountServiceAccountToken: false,
    });
    const store = (name: string) => ({
      kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
      name,
    });
    const owned = (name: string) => ({
      name,
      creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
    });
    // RDS writes the master secret as {"username", "password"} under a random name: find it by
    // its instance tag, name the one match `master`, and split the JSON into two keys.
    new ExternalSecret(this, 'Master', {
      metadata: { name: secrets.master, namespace: ns },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: store(props.masterStore),
        target: {
          ...owned(secrets.master),
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: {
              username: '{{ (.master | fromJson).username }}',
              password: '{{ (.master | fromJson).password }}',
            },
          },
        },
        dataFrom: [
          {
            find: { tags: { [props.masterSecretTag.key]: props.masterSecretTag.value } },
            rewrite: [{ regexp: { source: '^.*$', target: 'master' } }],
          },
        ],
      },
    });
    // Only each add-on's password property, not the rest of its secret (salts, client secrets).
    new ExternalSecret(this, 'Roles', {
      metadata: { name: secrets.roles, namespace: ns },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: store(props.platformStore),
        target: owned(secrets.roles),
        data: props.roles.map((r) => ({
          secretKey: r.name,
          remoteRef: { key: r.passwordRemoteKey, property: r.passwordProperty },
        })),
      },
    });
    new ExternalSecret(this, 'Endpoint', {
      metadata: { name: secrets.endpoint, namespace: ns },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: store(props.platformStore),
        target: owned(secrets.endpoint),
        data: ['host', 'port'].map((k) => ({
          secretKey: k,
          remoteRef: { key: props.endpointRemoteKey, property: k },
        })),
      },
    });
    const scriptConfigMap = `${props.name}-script`;
    new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: scriptConfigMap, namespace: ns },
      data: { [BOOTSTRAP_SHELL_FILE]: BOOTSTRAP_SHELL, [BOOTSTRAP_SQL_FILE]: BOOTSTRAP_SQL },
    });

    const secretVolume = (name: string, secretName: string) => ({
      name,
      secret: { secretName, defaultMode: 0o440 },
    });
    new k8s.KubeJob(this, 'Job', {
      metadata: {
        name: props.name,
        namespace: ns,
        annotations: { 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' },
      },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 900,
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: RUN_AS,
              runAsGroup: RUN_AS,
              fsGroup: RUN_AS,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            nodeSelector: { ...props.placement.nodeSelector },
            tolerations: props.placement.tolerations.map((t) => ({ ...t })),
            containers: [
              {
                name: 'bootstrap',
                image: props.image,
                // Always: the digest pins the bytes; the pull re-checks the registry's
                // authorization for them (checkov CKV_K8S_15).
                imagePullPolicy: 'Always',
                command: ['/bin/sh', `${MOUNTS.script}/${BOOTSTRAP_SHELL_FILE}`],
                env: [
                  { name: BOOTSTRAP_ENV.roles, value: names.join(' ') },
                  { name: BOOTSTRAP_ENV.rolesDir, value: MOUNTS.roles },
                  { name: BOOTSTRAP_ENV.masterDir, value: MOUNTS.master },
                  { name: BOOTSTRAP_ENV.endpointDir, value: MOUNTS.endpoint },
                  { name: BOOTSTRAP_ENV.scriptDir, value: MOUNTS.script },
                  { name: 'PGSSLMODE', value: props.sslMode ?? 'require' },
                  { name: 'PGCONNECT_TIMEOUT', value: '10' },
                  { name: 'PGAPPNAME', value: props.name },
                ],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                resources: {
                  requests: {
                    cpu: k8s.Quantity.fromString('50m'),
                    memory: k8s.Quantity.fromString('32Mi'),
                  },
                  limits: {
                    cpu: k8s.Quantity.fromString('200m'),
                    memory: k8s.Quantity.fromString('128Mi'),
                  },
                },
                volumeMounts: [
                  { name: 'script', mountPath: MOUNTS.script, readOnly: true },
                  { name: 'master', mountPath: MOUNTS.master, readOnly: true },
                  { name: 'roles', mountPath: MOUNTS.roles, readOnly: true },
                  { name: 'endpoint', mountPath: MOUNTS.endpoint, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'script', configMap: { name: scriptConfigMap } },
              secretVolume('master', secrets.master),
              secretVolume('roles', secrets.roles),
              secretVolume('endpoint', secrets.endpoint),
            ],
          },
        },
      },
    });
  }
}
