import { Construct } from 'constructs';
import { Cluster } from '../../imports/cnpg-cluster-postgresql.cnpg.io';
import { NODE_GROUPS } from '../../src/model/conventions';

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
    const group = NODE_GROUPS.platform;
    new Cluster(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        instances,
        enableSuperuserAccess: false,
        bootstrap: { initdb: { database, owner: database } },
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
