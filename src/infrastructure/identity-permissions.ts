import type { IdentityName } from '../model/gitops-bridge';
import type { PolicyStatement } from './policy';

/** What the add-on identities' permissions are scoped to; `V` is a resource reference. */
export interface IdentityScope<V> {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly hostedZoneId: string;
  /** Secrets Manager name prefixes external-secrets may read, each ending in `/`. */
  readonly secretPrefixes: readonly string[];
  readonly dataKeyArn: V;
  readonly postgresMasterSecretArn: V;
  readonly bucketArn: V;
  /** ARN of every object of the bucket (`<bucketArn>/*`), as the engine concatenates. */
  readonly bucketObjectsArn: V;
}

export interface IdentityPermissions<V> {
  readonly statements: PolicyStatement<V>[];
  readonly managedPolicyArns?: string[];
}

/** The least-privilege permissions of each Pod Identity role, decided once for both engines. */
export function identityPermissions<V>(
  s: IdentityScope<V>,
): Record<IdentityName, IdentityPermissions<V>> {
  const p = s.partition;
  const zoneArn = `arn:${p}:route53:::hostedzone/${s.hostedZoneId}`;
  return {
    'external-secrets': {
      statements: [
        {
          sid: 'ReadPlatformAndTenantSecrets',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: s.secretPrefixes.map(
            (prefix) => `arn:${p}:secretsmanager:${s.region}:${s.accountId}:secret:${prefix}*`,
          ),
        },
        // The PostgreSQL bootstrap (platform/postgres) reads the RDS-managed master secret.
        // Its name is random, so external-secrets finds it by the instance tag: listing and
        // batch reads have no resource scope in IAM ("*" is the only accepted value) and
        // return values only of secrets GetSecretValue allows, i.e. this one.
        {
          sid: 'FindPostgresMasterSecret',
          actions: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'],
          resources: ['*'],
        },
        {
          sid: 'ReadPostgresMasterSecret',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [s.postgresMasterSecretArn],
        },
        // Both the master secret and the endpoint secret are encrypted with the data key.
        {
          sid: 'DecryptPostgresSecrets',
          actions: ['kms:Decrypt'],
          resources: [s.dataKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${s.region}.amazonaws.com` },
          },
        },
      ],
    },
    'external-dns': {
      statements: [
        {
          sid: 'ChangeEnvironmentZone',
          actions: [
            'route53:ChangeResourceRecordSets',
            'route53:ListResourceRecordSets',
            'route53:ListTagsForResources',
          ],
          resources: [zoneArn],
        },
        // ListHostedZones has no resource scope in IAM: "*" is the only accepted value.
        { sid: 'DiscoverZones', actions: ['route53:ListHostedZones'], resources: ['*'] },
      ],
    },
    'cert-manager': {
      statements: [
        {
          sid: 'SolveDns01InEnvironmentZone',
          actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
          resources: [zoneArn],
          conditions: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
            },
            'ForAllValues:StringLike': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'],
            },
          },
        },
        {
          sid: 'WatchChanges',
          actions: ['route53:GetChange'],
          resources: [`arn:${p}:route53:::change/*`],
        },
        // ListHostedZonesByName has no resource scope in IAM.
        { sid: 'FindZone', actions: ['route53:ListHostedZonesByName'], resources: ['*'] },
      ],
    },
    'aws-ebs-csi-driver': {
      managedPolicyArns: [`arn:${p}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
      statements: [
        {
          // Volumes encrypted with the platform data key (the StorageClass names it).
          sid: 'EncryptVolumesWithDataKey',
          actions: [
            'kms:CreateGrant',
            'kms:Decrypt',
            'kms:DescribeKey',
            'kms:Encrypt',
            'kms:GenerateDataKeyWithoutPlaintext',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
          ],
          resources: [s.dataKeyArn],
        },
      ],
    },
    langfuse: {
      statements: [
        { sid: 'ListBucket', actions: ['s3:ListBucket'], resources: [s.bucketArn] },
        {
          sid: 'ReadWriteObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [s.bucketObjectsArn],
        },
        {
          sid: 'UseDataKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [s.dataKeyArn],
        },
      ],
    },
  };
}
