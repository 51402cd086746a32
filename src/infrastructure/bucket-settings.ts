import type { PolicyStatement } from './policy';

/** All four public-access blocks on. */
export const PUBLIC_ACCESS_BLOCK = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
} as const;

/** SSE-KMS with a customer key, with an S3 bucket key to cut KMS calls. */
export function bucketEncryptionRule<V>(keyArn: V) {
  return {
    applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn },
    bucketKeyEnabled: true,
  };
}

/** The bucket policy: any request not made over TLS is denied, for the bucket and its objects. */
export function denyInsecureTransport<V>(bucketArn: V, objectsArn: V): PolicyStatement<V> {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: '*',
    actions: ['s3:*'],
    resources: [bucketArn, objectsArn],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
