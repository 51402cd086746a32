import { Construct } from 'constructs';
import { Cluster } from '../../imports/cnpg-cluster-postgresql.cnpg.io';
import { NODE_GROUPS } from '../../src/model/conventions';
import { PostgresCertificateRole } from './postgres-certificate-role';

export interface PostgresClusterProps {
  readonly namespace: string;
  readonly name: string;
  /**
   * PostgreSQL instances (one primary, the rest synchronous-capable replicas).
   *
   * @default 2 - survives the loss of one node
   */
  readonly instances?: number;
  /** @default 10 */
  readonly storageGiB?: number;
  /** Database created at bootstrap, owned by a role of the same name. */
  readonly database: string;
  /**
   * Login roles that own nothing and authenticate to `database` with a client certificate the
   * operator issues (a PostgresCertificateRole each, and a `hostssl <database> <role> all cert`
   * rule ahead of the default password rule). The schema owner grants them their rights.
   *
   * @default [] - only the owner role
   */
  readonly certificateRoles?: readonly string[];
}

/**
 * A platform service's own PostgreSQL (the registry's, kagent's): a CloudNativePG Cluster on
 * the platform node group. The operator generates the application credentials into the
 * Secret `<name>-app`, whose `uri` key (CLUSTER_URI_KEY) the service reads; no password
 * appears in git.
 */
export class PostgresCluster extends Construct {
  public readonly name: string;
  /** Secret CloudNativePG writes the app user's credentials (and `uri`) to. */
  public readonly credentialsSecret: string;
  /** Key of `credentialsSecret` holding the full connection URI (CloudNativePG `<name>-app`). */
  public static readonly URI_KEY = 'uri';

  /** Secret with each certificate role's client certificate and key, by role name. */
  public readonly certificateRoleSecrets: Readonly<Record<string, string>>;
  /** Secret holding the CA that signed the server certificate (`ca.crt`; CloudNativePG `<name>-ca`). */
  public readonly serverCaSecret: string;
  public static readonly CA_KEY = 'ca.crt';
  /** Port of the read-write Service. */
  public static readonly PORT = 5432;
  /** In-cluster host of the read-write Service (`<name>-rw`), a name the server certificate carries. */
  public readonly readWriteHost: string;

  /** The Secret CloudNativePG writes for the Cluster `name`: `<name>-app`. */
  public static credentialsSecretOf(name: string): string {
    return `${name}-app`;
  }

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const instances = props.instances ?? 2;
    if (!Number.isInteger(instances) || instances < 1 || instances > 5) {
      throw new Error(
        `PostgresCluster ${props.name}: instances must be an integer from 1 to 5, got ${instances}`,
      );
    }
    const database = props.database;
    this.name = props.name;
    this.credentialsSecret = PostgresCluster.credentialsSecretOf(props.name);
    this.serverCaSecret = `${props.name}-ca`;
    this.readWriteHost = `${props.name}-rw.${props.namespace}.svc`;
    const certificateRoles = props.certificateRoles ?? [];
    const secrets: Record<string, string> = {};
    for (const role of certificateRoles) {
      secrets[role] = new PostgresCertificateRole(this, `Role-${role}`, {
        namespace: props.namespace,
        cluster: props.name,
        role,
        comment: `${role}: logs in to ${database} with a client certificate only`,
      }).clientCertSecret;
    }
    this.certificateRoleSecrets = secrets;
    const group = NODE_GROUPS.platform;
    new Cluster(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        instances,
        enableSuperuserAccess: false,
        bootstrap: { initdb: { database, owner: database } },
        ...(certificateRoles.length > 0
          ? {
              postgresql: {
                pgHba: certificateRoles.map((role) => `hostssl ${database} ${role} all cert`),
              },
            }
          : {}),
        storage: { size: `${props.storageGiB ?? 10}Gi` },
        affinity: {
          enablePodAntiAffinity: true,
          topologyKey: 'kubernetes.io/hostname',
          nodeSelector: { ...group.labels },
          tolerations: [{ ...group.taint, operator: 'Equal' }],
        },
      },
    });
  }
}
