import { Construct } from 'constructs';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface RedisCacheProps {
  /** Replication group id; also prefixes the user group and security group names. */
  readonly name: string;
  /** Redis OSS engine version; 7 or later, which IAM authentication needs. */
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Read replicas next to the primary; with one or more, failover is automatic and Multi-AZ. */
  readonly replicas: number;
  readonly vpcId: string;
  /** Private subnets only. */
  readonly subnetIds: readonly string[];
  /** The only security group allowed to connect (the EKS cluster security group nodes carry). */
  readonly clientSecurityGroupId: string;
  /** KMS key ARN for encryption at rest. */
  readonly keyArn: string;
  /**
   * Redis users that authenticate with IAM (SigV4 tokens from their Pod Identity role).
   * IAM authentication needs the user id to equal the user name.
   */
  readonly iamUsers: readonly string[];
  /**
   * Days of daily snapshots.
   *
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
}

const REDIS_PORT = 6379;

/**
 * ElastiCache for Redis OSS with encryption at rest (customer key) and in transit (TLS
 * required), and RBAC: the built-in `default` user is switched off, and the named users
 * authenticate with IAM. No password exists anywhere, so none can leak from Terraform state
 * (the `random` provider is deliberately not a dependency, and a static `auth_token` would
 * sit in state in clear text).
 */
export class RedisCache extends Construct {
  public readonly replicationGroup: ElasticacheReplicationGroup;
  public readonly securityGroup: SecurityGroup;
  /** Host name of the primary (TLS on 6379). */
  public readonly primaryEndpoint: string;
  public readonly arn: string;
  /** ARNs of the IAM-authenticated users, for `elasticache:Connect` grants. */
  public readonly userArns: ReadonlyMap<string, string>;
  public readonly snapshotRetentionDays: number;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    this.snapshotRetentionDays = props.snapshotRetentionDays ?? 7;
    if (!Number.isInteger(props.replicas) || props.replicas < 0 || props.replicas > 5) {
      throw new Error(
        `replicas: ${props.replicas} is not allowed; ElastiCache supports 0 to 5 replicas`,
      );
    }
    if (props.iamUsers.length === 0)
      throw new Error('iamUsers: list at least one user; the default user is disabled');
    const bad = props.iamUsers.find((u) => u === 'default' || !/^[a-z][a-z0-9-]{0,39}$/.test(u));
    if (bad !== undefined) {
      throw new Error(
        `iamUsers: "${bad}" is not allowed; use lowercase letters, digits and "-", not "default"`,
      );
    }
    if (Number(props.engineVersion.split('.')[0]) < 7) {
      throw new Error(
        `engineVersion: "${props.engineVersion}" does not support IAM authentication; use 7.0 or later`,
      );
    }

    const subnets = new ElasticacheSubnetGroup(this, 'SubnetGroup', {
      name: props.name,
      description: `Private subnets of ${props.name}`,
      subnetIds: [...props.subnetIds],
    });
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-redis`,
      description: `Redis ${props.name}: clients in the cluster only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-redis` },
    });
    new VpcSecurityGroupIngressRule(this, 'FromCluster', {
      securityGroupId: this.securityGroup.id,
      description: 'Redis (TLS) from EKS nodes and pods',
      ipProtocol: 'tcp',
      fromPort: REDIS_PORT,
      toPort: REDIS_PORT,
      referencedSecurityGroupId: props.clientSecurityGroupId,
    });

    // Every user group must contain a user named "default"; this one is switched off.
    const disabledDefault = new ElasticacheUser(this, 'DefaultUser', {
      userId: `${props.name}-default`,
      userName: 'default',
      engine: 'redis',
      accessString: 'off ~* -@all',
      authenticationMode: { type: 'no-password-required' },
    });
    const userArns = new Map<string, string>();
    const users = props.iamUsers.map((name) => {
      const user = new ElasticacheUser(this, `User-${name}`, {
        userId: name,
        userName: name,
        engine: 'redis',
        // Admin commands (CONFIG, DEBUG, ...) are never an application's business.
        accessString: 'on ~* +@all -@admin',
        authenticationMode: { type: 'iam' },
      });
      userArns.set(name, user.arn);
      return user;
    });
    this.userArns = userArns;
    const group = new ElasticacheUserGroup(this, 'UserGroup', {
      userGroupId: props.name,
      engine: 'redis',
      userIds: [disabledDefault.userId, ...users.map((u) => u.userId)],
    });

    const ha = props.replicas > 0;
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'Resource', {
      replicationGroupId: props.name,
      description: `Redis of ${props.name}`,
      engine: 'redis',
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      port: REDIS_PORT,
      numCacheClusters: 1 + props.replicas,
      automaticFailoverEnabled: ha,
      multiAzEnabled: ha,
      subnetGroupName: subnets.name,
      securityGroupIds: [this.securityGroup.id],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [group.userGroupId],
      snapshotRetentionLimit: this.snapshotRetentionDays,
      autoMinorVersionUpgrade: 'true',
    });
    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.arn = this.replicationGroup.arn;
  }
}
