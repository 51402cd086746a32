import { describe, expect, it } from 'vitest';
import { EncryptedBucket } from '../../../constructs/infra/encrypted-bucket';
import {
  PostgresDatabase,
  type PostgresDatabaseProps,
} from '../../../constructs/infra/postgres-database';
import { RedisCache, type RedisCacheProps } from '../../../constructs/infra/redis-cache';
import { only, resources, synthScope } from './helpers';

const network = {
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  clientSecurityGroupId: 'sg-cluster',
};
const keyArn = 'arn:aws:kms:eu-west-1:111111111111:key/data';

describe('PostgresDatabase', () => {
  const props: PostgresDatabaseProps = {
    ...network,
    keyArn,
    identifier: 'agentic-test',
    engineVersion: '17',
    instanceClass: 'db.t4g.medium',
    allocatedStorageGiB: 50,
    multiAz: true,
    deletionProtection: true,
    backupRetentionDays: 30,
  };

  it('is encrypted, private, backed up, and lets RDS manage the master password', () => {
    const db = only(
      synthScope((s) => new PostgresDatabase(s, 'Postgres', props)),
      'aws_db_instance',
    );
    expect(db).toMatchObject({
      engine: 'postgres',
      engine_version: '17',
      storage_encrypted: true,
      kms_key_id: keyArn,
      publicly_accessible: false,
      multi_az: true,
      deletion_protection: true,
      backup_retention_period: 30,
      manage_master_user_password: true,
      skip_final_snapshot: false,
    });
    expect(db.password).toBeUndefined();
  });

  it('publishes only its address to the endpoint secret, encrypted with the data key', () => {
    const json = synthScope(
      (s) =>
        new PostgresDatabase(s, 'Postgres', {
          ...props,
          endpointSecret: {
            name: 'platform/dev/postgres-endpoint',
            hostKey: 'host',
            portKey: 'port',
          },
        }),
    );
    expect(only(json, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'platform/dev/postgres-endpoint',
      kms_key_id: keyArn,
    });
    expect(only(json, 'aws_secretsmanager_secret_version').secret_string).toMatch(
      /^\$\{jsonencode\(\{"host" = aws_db_instance\.\w+\.address, "port" = "5432"\}\)\}$/,
    );
    expect(
      resources(
        synthScope((s) => new PostgresDatabase(s, 'Postgres', props)),
        'aws_secretsmanager_secret',
      ),
    ).toEqual([]);
  });

  it('admits only the cluster security group on 5432', () => {
    const json = synthScope((s) => new PostgresDatabase(s, 'Postgres', props));
    expect(resources(json, 'aws_vpc_security_group_ingress_rule')).toEqual([
      expect.objectContaining({
        referenced_security_group_id: 'sg-cluster',
        from_port: 5432,
        to_port: 5432,
        ip_protocol: 'tcp',
      }),
    ]);
    expect(only(json, 'aws_security_group').ingress).toBeUndefined();
  });

  it('fails when backups would be off', () => {
    expect(() =>
      synthScope((s) => new PostgresDatabase(s, 'P', { ...props, backupRetentionDays: 0 })),
    ).toThrow(/backupRetentionDays: 0 is not allowed; RDS keeps 1 to 35 days/);
  });

  it('fails when the storage ceiling is below the allocation', () => {
    expect(() =>
      synthScope((s) => new PostgresDatabase(s, 'P', { ...props, maxAllocatedStorageGiB: 10 })),
    ).toThrow(/maxAllocatedStorageGiB: 10 is below allocatedStorageGiB 50/);
  });

  it('fails with a single subnet', () => {
    expect(() =>
      synthScope((s) => new PostgresDatabase(s, 'P', { ...props, subnetIds: ['subnet-a'] })),
    ).toThrow(/subnetIds: RDS needs subnets/);
  });
});

describe('RedisCache', () => {
  const props: RedisCacheProps = {
    ...network,
    keyArn,
    name: 'agentic-test',
    engineVersion: '7.1',
    nodeType: 'cache.t4g.small',
    replicas: 0,
    iamUsers: ['langfuse'],
  };

  it('encrypts at rest and in transit and authenticates through a user group', () => {
    const group = only(
      synthScope((s) => new RedisCache(s, 'Redis', props)),
      'aws_elasticache_replication_group',
    );
    expect(group).toMatchObject({
      at_rest_encryption_enabled: 'true',
      kms_key_id: keyArn,
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
    });
    expect(group.user_group_ids).toHaveLength(1);
    expect(group.auth_token).toBeUndefined();
  });

  it('switches the default user off and lets named users in with IAM only', () => {
    const users = resources(
      synthScope((s) => new RedisCache(s, 'Redis', props)),
      'aws_elasticache_user',
    );
    expect(users.find((u) => u.user_name === 'default')).toMatchObject({
      access_string: 'off ~* -@all',
    });
    expect(users.find((u) => u.user_name === 'langfuse')).toMatchObject({
      user_id: 'langfuse',
      authentication_mode: { type: 'iam' },
    });
  });

  it('fails over automatically across zones once it has replicas', () => {
    const group = only(
      synthScope((s) => new RedisCache(s, 'Redis', { ...props, replicas: 2 })),
      'aws_elasticache_replication_group',
    );
    expect(group).toMatchObject({
      num_cache_clusters: 3,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
    });
  });

  it('lets a password user in with the password expression it is given, never a literal', () => {
    const password = '${jsondecode(data.aws_secretsmanager_secret_version.s.secret_string)["k"]}';
    const users = resources(
      synthScope(
        (s) =>
          new RedisCache(s, 'Redis', {
            ...props,
            iamUsers: [],
            passwordUsers: [{ name: 'langfuse', password }],
          }),
      ),
      'aws_elasticache_user',
    );
    expect(users.find((u) => u.user_name === 'langfuse')).toMatchObject({
      access_string: 'on ~* +@all -@admin',
      authentication_mode: { type: 'password', passwords: [password] },
    });
  });

  const pw = { name: 'langfuse', password: '${var.p}' };
  it.each([
    [{ replicas: 6 }, /replicas: 6 is not allowed/],
    [{ iamUsers: [] }, /iamUsers, passwordUsers: list at least one user/],
    [{ iamUsers: ['default'] }, /iamUsers\/passwordUsers: "default" is not allowed/],
    [{ passwordUsers: [pw] }, /"langfuse" is listed twice/],
    [
      { iamUsers: [], passwordUsers: [{ name: 'langfuse', password: 'hunter2hunter2hunter2' }] },
      /password of "langfuse" is a literal/,
    ],
    [{ engineVersion: '6.2' }, /engineVersion: "6\.2" does not support IAM authentication/],
  ])('fails on %j', (override, message) => {
    expect(() => synthScope((s) => new RedisCache(s, 'Redis', { ...props, ...override }))).toThrow(
      message,
    );
  });
});

describe('EncryptedBucket', () => {
  const json = synthScope(
    (s) => new EncryptedBucket(s, 'Bucket', { bucketName: 'agentic-test-langfuse', keyArn }),
  );

  it('encrypts with SSE-KMS and blocks every kind of public access', () => {
    expect(only(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: keyArn,
        },
        bucket_key_enabled: true,
      },
    ]);
    expect(only(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({
      status: 'Enabled',
    });
  });

  it('denies every request not made over TLS', () => {
    const policy = JSON.parse(only(json, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
  });

  it('expires old versions and aborts abandoned uploads', () => {
    const rules = only(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules.map((r: { id: string }) => r.id)).toEqual([
      'abort-incomplete-uploads',
      'expire-noncurrent-versions',
    ]);
    expect(rules[1].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  it('fails on an invalid bucket name', () => {
    expect(() =>
      synthScope((s) => new EncryptedBucket(s, 'B', { bucketName: 'Agentic_Test', keyArn })),
    ).toThrow(/bucketName: "Agentic_Test" is not a valid S3 bucket name/);
  });

  it('fails on a lifecycle of zero days', () => {
    expect(() =>
      synthScope(
        (s) =>
          new EncryptedBucket(s, 'B', {
            bucketName: 'agentic-x',
            keyArn,
            abortIncompleteUploadDays: 0,
          }),
      ),
    ).toThrow(/abortIncompleteUploadDays: 0 is not allowed/);
  });
});
