import { Construct } from 'constructs';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  POSTGRES_MASTER_USERNAME,
  POSTGRES_PORT,
  POSTGRES_SETTINGS,
} from '../../src/infrastructure/data-store-settings';
import { RETENTION_DAYS } from '../../src/infrastructure/retention';

export interface PostgresDatabaseProps {
  /** DB instance identifier. */
  readonly identifier: string;
  /** Major (or major.minor) engine version; a major lets RDS apply minor upgrades without drift. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  /** Standby in a second zone with synchronous replication. */
  readonly multiAz: boolean;
  /** Refuse `terraform destroy` and API deletes. */
  readonly deletionProtection: boolean;
  /** Days of automated backups (point-in-time recovery window), 1 to 35. */
  readonly backupRetentionDays: number;
  readonly vpcId: string;
  /** Private subnets only: the instance has no route from the internet. */
  readonly subnetIds: readonly string[];
  /** The only security group allowed to connect (the EKS cluster security group nodes carry). */
  readonly clientSecurityGroupId: string;
  /** KMS key ARN for storage and the master password secret. */
  readonly keyArn: string;
  /**
   * Storage autoscaling ceiling.
   *
   * @default - twice `allocatedStorageGiB`
   */
  readonly maxAllocatedStorageGiB?: number;
  /**
   * Master user name; its password is generated and rotated by RDS in Secrets Manager.
   *
   * @default 'platform_admin'
   */
  readonly masterUsername?: string;
  /**
   * Secrets Manager secret to publish the instance's address in, as JSON `{host, port}` under
   * the two given keys: for in-cluster consumers that read it through external-secrets.
   *
   * @default - the address is only a Terraform output
   */
  readonly endpointSecret?: {
    readonly name: string;
    readonly hostKey: string;
    readonly portKey: string;
  };
}

/**
 * RDS PostgreSQL in private subnets: encrypted with a customer key, never publicly
 * accessible, reachable only from one security group on 5432, master password managed by
 * RDS in Secrets Manager (never in Terraform state), automated backups and a final snapshot.
 */
export class PostgresDatabase extends Construct {
  public readonly instance: DbInstance;
  public readonly securityGroup: SecurityGroup;
  /** Host name clients connect to. */
  public readonly address: string;
  /** Secrets Manager ARN of the RDS-managed master credentials. */
  public readonly masterSecretArn: string;
  public readonly maxAllocatedStorageGiB: number;
  public readonly masterUsername: string;
  /** ARN of the DB instance (the value of the master secret's `aws:rds:primaryDBInstanceArn` tag). */
  public readonly arn: string;
  /** ARN of the endpoint secret, when `endpointSecret` is set. */
  public readonly endpointSecretArn?: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.maxAllocatedStorageGiB = props.maxAllocatedStorageGiB ?? props.allocatedStorageGiB * 2;
    this.masterUsername = props.masterUsername ?? POSTGRES_MASTER_USERNAME;
    if (
      !Number.isInteger(props.backupRetentionDays) ||
      props.backupRetentionDays < 1 ||
      props.backupRetentionDays > 35
    ) {
      throw new Error(
        `backupRetentionDays: ${props.backupRetentionDays} is not allowed; RDS keeps 1 to 35 days (0 would turn backups off)`,
      );
    }
    if (this.maxAllocatedStorageGiB < props.allocatedStorageGiB) {
      throw new Error(
        `maxAllocatedStorageGiB: ${this.maxAllocatedStorageGiB} is below allocatedStorageGiB ${props.allocatedStorageGiB}; raise it or leave it unset`,
      );
    }
    if (props.subnetIds.length < 2) {
      throw new Error(
        `subnetIds: RDS needs subnets in at least two zones, got ${props.subnetIds.length}`,
      );
    }

    const subnets = new DbSubnetGroup(this, 'SubnetGroup', {
      name: props.identifier,
      description: `Private subnets of ${props.identifier}`,
      subnetIds: [...props.subnetIds],
    });
    // No egress rules: RDS answers connections and never initiates any.
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.identifier}-postgres`,
      description: `PostgreSQL ${props.identifier}: clients in the cluster only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.identifier}-postgres` },
    });
    new VpcSecurityGroupIngressRule(this, 'FromCluster', {
      securityGroupId: this.securityGroup.id,
      description: 'PostgreSQL from EKS nodes and pods',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: props.clientSecurityGroupId,
    });

    this.instance = new DbInstance(this, 'Resource', {
      ...POSTGRES_SETTINGS,
      enabledCloudwatchLogsExports: [...POSTGRES_SETTINGS.enabledCloudwatchLogsExports],
      identifier: props.identifier,
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: this.maxAllocatedStorageGiB,
      kmsKeyId: props.keyArn,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      multiAz: props.multiAz,
      deletionProtection: props.deletionProtection,
      backupRetentionPeriod: props.backupRetentionDays,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      username: this.masterUsername,
      masterUserSecretKmsKeyId: props.keyArn,
    });
    this.address = this.instance.address;
    this.arn = this.instance.arn;
    this.masterSecretArn = this.instance.masterUserSecret.get(0).secretArn;
    const endpoint = props.endpointSecret;
    if (endpoint) {
      // Not a credential (the address is a cluster Secret annotation too): nothing to rotate.
      const secret = new SecretsmanagerSecret(this, 'EndpointSecret', {
        name: endpoint.name,
        description: `Address of PostgreSQL ${props.identifier}, for in-cluster consumers`,
        kmsKeyId: props.keyArn,
        recoveryWindowInDays: RETENTION_DAYS.endpointSecretRecovery,
      });
      new SecretsmanagerSecretVersion(this, 'EndpointSecretValue', {
        secretId: secret.id,
        secretString: Fn.jsonencode({
          [endpoint.hostKey]: this.address,
          [endpoint.portKey]: String(POSTGRES_PORT),
        }),
      });
      this.endpointSecretArn = secret.arn;
    }
  }
}
