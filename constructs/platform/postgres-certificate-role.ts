import { Construct } from 'constructs';
import {
  DatabaseRole,
  DatabaseRoleSpecDatabaseRoleReclaimPolicy,
} from '../../imports/cnpg-databaserole-postgresql.cnpg.io';

export interface PostgresCertificateRoleProps {
  readonly namespace: string;
  /** The CloudNativePG Cluster the role lives in. */
  readonly cluster: string;
  /** PostgreSQL role name (also the client certificate's CN, which `cert` auth matches). */
  readonly role: string;
  /** Why the role exists, stored as the role's COMMENT. */
  readonly comment: string;
}

/**
 * A login role that owns nothing and authenticates with a client certificate, never a
 * password: a CloudNativePG 1.30 DatabaseRole with `clientCertificate`, for which the operator
 * signs and renews a certificate with the cluster's client CA into the Secret
 * `<name>-client-cert` (`tls.crt`, `tls.key`; internal/controller/databaserole_pki.go). The
 * Cluster must let it in with a `hostssl … cert` rule (PostgresCluster `certificateRoles`).
 * What the role may do is granted by the owner of the schema, not here.
 */
export class PostgresCertificateRole extends Construct {
  /** The Secret CloudNativePG writes the role's certificate and key to. */
  public readonly clientCertSecret: string;
  public static readonly CERT_KEY = 'tls.crt';
  public static readonly KEY_KEY = 'tls.key';

  constructor(scope: Construct, id: string, props: PostgresCertificateRoleProps) {
    super(scope, id);
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(props.role)) {
      throw new Error(
        `PostgresCertificateRole: role must be a lower-case PostgreSQL identifier (letters, digits, _), got ${JSON.stringify(props.role)}`,
      );
    }
    const name = `${props.cluster}-${props.role.replace(/_/g, '-')}`;
    this.clientCertSecret = `${name}-client-cert`;
    new DatabaseRole(this, 'Resource', {
      metadata: { name, namespace: props.namespace },
      spec: {
        cluster: { name: props.cluster },
        name: props.role,
        comment: props.comment,
        login: true,
        disablePassword: true,
        inherit: false,
        clientCertificate: { enabled: true },
        // The role's grants and its rows' history outlive a renamed or removed object.
        databaseRoleReclaimPolicy: DatabaseRoleSpecDatabaseRoleReclaimPolicy.RETAIN,
      },
    });
  }
}
