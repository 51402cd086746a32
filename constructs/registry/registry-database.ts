import { Construct } from 'constructs';
import { Cluster } from '../../imports/cnpg-cluster-postgresql.cnpg.io';
import { NODE_GROUPS } from '../../src/model/conventions';

export interface RegistryDatabaseProps {
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
  /** @default 'registry' */
  readonly database?: string;
}

/**
 * The registry's PostgreSQL, a CloudNativePG Cluster on the platform node group. The
 * operator generates the application credentials into the Secret `<name>-app`, whose `uri`
 * key the Deployment reads; no password appears in git.
 */
export class RegistryDatabase extends Construct {
  public readonly name: string;
  /** Secret CloudNativePG writes the app user's credentials (and `uri`) to. */
  public readonly credentialsSecret: string;

  constructor(scope: Construct, id: string, props: RegistryDatabaseProps) {
    super(scope, id);
    const instances = props.instances ?? 2;
    if (!Number.isInteger(instances) || instances < 1 || instances > 5) {
      throw new Error(
        `RegistryDatabase ${props.name}: instances must be an integer from 1 to 5, got ${instances}`,
      );
    }
    const database = props.database ?? 'registry';
    this.name = props.name;
    this.credentialsSecret = `${props.name}-app`;
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
