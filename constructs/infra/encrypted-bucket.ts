import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import {
  bucketEncryptionRule,
  denyInsecureTransport,
  PUBLIC_ACCESS_BLOCK,
} from '../../src/infrastructure/bucket-settings';
import { policyDocument } from '../../src/infrastructure/policy';
import { RETENTION_DAYS } from '../../src/infrastructure/retention';

export interface EncryptedBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** KMS key ARN objects are encrypted with (SSE-KMS, with an S3 bucket key to cut KMS calls). */
  readonly keyArn: string;
  /**
   * Days a replaced or deleted object version is kept before it expires.
   *
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which unfinished multipart uploads are aborted (their parts cost storage).
   *
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
}

/**
 * A private S3 bucket: SSE-KMS with a customer key, all four public-access blocks on,
 * ACLs disabled (bucket owner enforced), versioning, a bucket policy that denies any request
 * not made over TLS, and lifecycle rules for old versions and abandoned uploads.
 */
export class EncryptedBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly arn: string;
  public readonly noncurrentVersionExpirationDays: number;
  public readonly abortIncompleteUploadDays: number;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    this.noncurrentVersionExpirationDays =
      props.noncurrentVersionExpirationDays ?? RETENTION_DAYS.noncurrentObjectVersions;
    this.abortIncompleteUploadDays =
      props.abortIncompleteUploadDays ?? RETENTION_DAYS.incompleteUploads;
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      throw new Error(
        `bucketName: "${props.bucketName}" is not a valid S3 bucket name; use 3-63 lowercase letters, digits and "-"`,
      );
    }
    for (const [prop, days] of [
      ['noncurrentVersionExpirationDays', this.noncurrentVersionExpirationDays],
      ['abortIncompleteUploadDays', this.abortIncompleteUploadDays],
    ] as const) {
      if (!Number.isInteger(days) || days < 1)
        throw new Error(`${prop}: ${days} is not allowed; use a whole number of days >= 1`);
    }

    this.bucket = new S3Bucket(this, 'Resource', { bucket: props.bucketName });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    new S3BucketOwnershipControls(this, 'OwnershipControls', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      ...PUBLIC_ACCESS_BLOCK,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [bucketEncryptionRule(props.keyArn)],
    });
    const versioning = new S3BucketVersioningA(this, 'Versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketPolicy(this, 'Policy', {
      bucket: this.bucket.id,
      policy: policyDocument([denyInsecureTransport(this.bucket.arn, `${this.bucket.arn}/*`)]),
    });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: this.abortIncompleteUploadDays }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: this.noncurrentVersionExpirationDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
      // Lifecycle rules on versions only make sense once versioning is on.
      dependsOn: [versioning],
    });
  }
}
