import type { PolicyStatement } from './policy';

/** Customer-managed KMS keys: yearly automatic rotation. */
export const KEY_ROTATION = { enableKeyRotation: true, rotationPeriodInDays: 365 } as const;

export interface KeyPolicyOptions {
  readonly accountId: string;
  readonly partition: string;
  /** Region whose CloudWatch Logs may encrypt log groups with the key. */
  readonly cloudWatchLogsRegion?: string;
  /** Let the EC2 Auto Scaling service-linked role use the key (encrypted node volumes). */
  readonly allowAutoScaling?: boolean;
}

/**
 * A customer-managed key's policy: it delegates to IAM in the owning account (the AWS
 * default) and adds only the service grants asked for, each scoped to this account.
 */
export function keyPolicyStatements(options: KeyPolicyOptions): PolicyStatement[] {
  const { accountId, partition } = options;
  const statements: PolicyStatement[] = [
    {
      sid: 'AccountAdministersKeyThroughIam',
      principals: { AWS: `arn:${partition}:iam::${accountId}:root` },
      // Key policies are resource policies: "*" here means "this key". kms:* for the account
      // root is AWS's default and keeps the key manageable through IAM.
      actions: ['kms:*'],
      resources: ['*'],
    },
  ];
  if (options.cloudWatchLogsRegion) {
    const region = options.cloudWatchLogsRegion;
    statements.push({
      sid: 'CloudWatchLogsEncryptsLogGroups',
      principals: { Service: `logs.${region}.amazonaws.com` },
      actions: [
        'kms:Encrypt*',
        'kms:Decrypt*',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:Describe*',
      ],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${accountId}:*`,
        },
      },
    });
  }
  if (options.allowAutoScaling) {
    const autoScaling = `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    statements.push(
      {
        sid: 'AutoScalingUsesKeyForNodeVolumes',
        principals: { AWS: autoScaling },
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:DescribeKey',
        ],
        resources: ['*'],
      },
      {
        sid: 'AutoScalingGrantsKeyToEc2',
        principals: { AWS: autoScaling },
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    );
  }
  return statements;
}
