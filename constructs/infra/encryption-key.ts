import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KEY_ROTATION, keyPolicyStatements } from '../../src/infrastructure/key-policy';
import { policyDocument } from '../../src/infrastructure/policy';
import { RETENTION_DAYS } from '../../src/infrastructure/retention';

export interface EncryptionKeyProps {
  /** What the key protects; shown in the KMS console. */
  readonly description: string;
  /** Alias without the `alias/` prefix, e.g. `agentic-dev/eks-secrets`. */
  readonly alias: string;
  /** Account that owns the key; its IAM policies decide who else may use it. */
  readonly accountId: string;
  /** AWS partition of the account (`aws`, `aws-us-gov`, `aws-cn`). */
  readonly partition: string;
  /**
   * Region whose CloudWatch Logs may encrypt log groups with this key.
   *
   * @default - CloudWatch Logs may not use the key
   */
  readonly cloudWatchLogsRegion?: string;
  /**
   * Let the EC2 Auto Scaling service-linked role use the key, which it needs to launch
   * nodes whose EBS volumes are encrypted with it.
   *
   * @default false
   */
  readonly allowAutoScaling?: boolean;
  /**
   * Days KMS waits before deleting the key after it is scheduled for deletion.
   *
   * @default 30 - the maximum, the longest window to notice a mistaken destroy
   */
  readonly deletionWindowDays?: number;
}

/**
 * A customer-managed KMS key with yearly automatic rotation and an alias. The key policy
 * delegates to IAM in the owning account (the AWS default) and adds only the service grants
 * asked for, each scoped by condition to this account.
 */
export class EncryptionKey extends Construct {
  public readonly key: KmsKey;
  public readonly arn: string;
  public readonly deletionWindowDays: number;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.deletionWindowDays = props.deletionWindowDays ?? RETENTION_DAYS.keyDeletionWindow;
    if (
      !Number.isInteger(this.deletionWindowDays) ||
      this.deletionWindowDays < 7 ||
      this.deletionWindowDays > 30
    ) {
      throw new Error(
        `deletionWindowDays: ${this.deletionWindowDays} is not allowed; KMS accepts whole days from 7 to 30`,
      );
    }
    if (props.alias.startsWith('alias/')) {
      throw new Error(
        `alias: "${props.alias}" must not start with "alias/"; pass "${props.alias.slice('alias/'.length)}"`,
      );
    }
    const statements = keyPolicyStatements({
      accountId: props.accountId,
      partition: props.partition,
      ...(props.cloudWatchLogsRegion ? { cloudWatchLogsRegion: props.cloudWatchLogsRegion } : {}),
      ...(props.allowAutoScaling ? { allowAutoScaling: true } : {}),
    });
    this.key = new KmsKey(this, 'Resource', {
      description: props.description,
      ...KEY_ROTATION,
      deletionWindowInDays: this.deletionWindowDays,
      policy: policyDocument(statements),
    });
    new KmsAlias(this, 'Alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
