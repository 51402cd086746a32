import { Construct } from 'constructs';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  REDIS_APPLICATION_ACCESS,
  REDIS_DISABLED_DEFAULT_USER,
  REDIS_PORT,
  REDIS_SETTINGS,
} from '../../src/infrastructure/data-store-settings';
import { RETENTION_DAYS } from '../../src/infrastructure/retention';

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
   *
   * @default - none
   */
  readonly iamUsers?: readonly string[];
  /**
   * Redis users that authenticate with a password, for clients that cannot sign IAM tokens
   * (Langfuse's ioredis client). `password` is a Terraform expression (read from Secrets
   * Manager), never a literal; it is then in the encrypted Terraform state, which is why IAM
   * users are the first choice wherever the client supports them.
   *
   * @default - none
   */
  readonly passwordUsers?: readonly RedisPasswordUser[];
  /**
   * Days of daily snapshots.
   *
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
}

export interface RedisPasswordUser {
  readonly name: string;
  /** A Terraform expression resolving to the password (16 to 128 characters). */
  readonly password: string;
}

/**
 * ElastiCache for Redis OSS with encryption at rest (customer key) and in transit (TLS
 * required), and RBAC: the built-in `default` user is switched off; named users authenticate
 * with IAM or, for clients that cannot sign IAM tokens, with a password read from Secrets
 * Manager at plan time. No password is generated here or written into cdk.tf.json (the
 * `random` provider is deliberately not a dependency, and there is no shared `auth_token`).
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
    this.snapshotRetentionDays = props.snapshotRetentionDays ?? RETENTION_DAYS.cacheSnapshots;
    if (!Number.isInteger(props.replicas) || props.replicas < 0 || props.replicas > 5) {
      throw new Error(
        `replicas: ${props.replicas} is not allowed; ElastiCache supports 0 to 5 replicas`,
      );
    }
    const iamUsers = props.iamUsers ?? [];
    const passwordUsers = props.passwordUsers ?? [];
    if (iamUsers.length + passwordUsers.length === 0)
      throw new Error(
        'iamUsers, passwordUsers: list at least one user; the default user is disabled',
      );
    const names = [...iamUsers, ...passwordUsers.map((u) => u.name)];
    const bad = names.find((u) => u === 'default' || !/^[a-z][a-z0-9-]{0,39}$/.test(u));
    if (bad !== undefined) {
      throw new Error(
        `iamUsers/passwordUsers: "${bad}" is not allowed; use lowercase letters, digits and "-", not "default"`,
      );
    }
    const twice = names.find((u, i) => names.indexOf(u) !== i);
    if (twice !== undefined) {
      throw new Error(
        `iamUsers/passwordUsers: "${twice}" is listed twice; a user authenticates one way`,
      );
    }
    const literal = passwordUsers.find((u) => !/^\$\{.+\}$/s.test(u.password));
    if (literal !== undefined) {
      throw new Error(
        `passwordUsers: the password of "${literal.name}" is a literal; pass a Terraform expression (e.g. from a Secrets Manager data source) so no password is written into cdk.tf.json`,
      );
    }
    if (iamUsers.length > 0 && Number(props.engineVersion.split('.')[0]) < 7) {
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
      ...REDIS_DISABLED_DEFAULT_USER,
      authenticationMode: { ...REDIS_DISABLED_DEFAULT_USER.authenticationMode },
      userId: `${props.name}-default`,
    });
    const userArns = new Map<string, string>();
    const accessString = REDIS_APPLICATION_ACCESS;
    const users = [
      ...iamUsers.map((name) => {
        const user = new ElasticacheUser(this, `User-${name}`, {
          userId: name,
          userName: name,
          engine: 'redis',
          accessString,
          authenticationMode: { type: 'iam' },
        });
        userArns.set(name, user.arn);
        return user;
      }),
      ...passwordUsers.map(
        (u) =>
          new ElasticacheUser(this, `User-${u.name}`, {
            userId: u.name,
            userName: u.name,
            engine: 'redis',
            accessString,
            authenticationMode: { type: 'password', passwords: [u.password] },
          }),
      ),
    ];
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
      ...REDIS_SETTINGS,
      // Terraform's schema types these two booleans as strings.
      atRestEncryptionEnabled: String(REDIS_SETTINGS.atRestEncryptionEnabled),
      autoMinorVersionUpgrade: String(REDIS_SETTINGS.autoMinorVersionUpgrade),
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      numCacheClusters: 1 + props.replicas,
      automaticFailoverEnabled: ha,
      multiAzEnabled: ha,
      subnetGroupName: subnets.name,
      securityGroupIds: [this.securityGroup.id],
      kmsKeyId: props.keyArn,
      userGroupIds: [group.userGroupId],
      snapshotRetentionLimit: this.snapshotRetentionDays,
    });
    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.arn = this.replicationGroup.arn;
  }
}
