import { describe, expect, it } from 'vitest';
import {
  checkTerraform,
  LOAD_BALANCER_TAG,
  TERRAFORM_RULES,
  type TerraformRuleId,
} from '../../src/check/terraform-guardrails';

const FILE = 'dist/dev/terraform/cdk.tf.json';
const doc = (resource: object, data: object = {}) => ({ resource, data });
const goodBucket = {
  aws_s3_bucket: { b: { bucket: 'x' } },
  aws_s3_bucket_server_side_encryption_configuration: {
    b: {
      bucket: '${aws_s3_bucket.b.id}',
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: 'aws:kms',
            kms_master_key_id: 'k',
          },
        },
      ],
    },
  },
  aws_s3_bucket_public_access_block: {
    b: {
      bucket: '${aws_s3_bucket.b.id}',
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    },
  },
};
const goodDb = { publicly_accessible: false, storage_encrypted: true, backup_retention_period: 7 };
const policy = (statement: object) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

/** One failing fixture per rule: [rule, offending address, Terraform JSON]. */
const FAILING: [TerraformRuleId, string, object][] = [
  [
    's3-encryption',
    'aws_s3_bucket.b',
    doc({ ...goodBucket, aws_s3_bucket_server_side_encryption_configuration: {} }),
  ],
  [
    's3-public-access-block',
    'aws_s3_bucket.b',
    doc({
      ...goodBucket,
      aws_s3_bucket_public_access_block: {
        b: { ...goodBucket.aws_s3_bucket_public_access_block.b, restrict_public_buckets: false },
      },
    }),
  ],
  [
    'rds-not-public',
    'aws_db_instance.db',
    doc({ aws_db_instance: { db: { ...goodDb, publicly_accessible: true } } }),
  ],
  [
    'rds-encryption',
    'aws_db_instance.db',
    doc({ aws_db_instance: { db: { ...goodDb, storage_encrypted: false } } }),
  ],
  [
    'rds-backups',
    'aws_db_instance.db',
    doc({ aws_db_instance: { db: { ...goodDb, backup_retention_period: 0 } } }),
  ],
  [
    'no-open-ingress',
    'aws_security_group.web',
    doc({
      aws_security_group: {
        web: {
          ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 22, to_port: 22, protocol: 'tcp' }],
        },
      },
    }),
  ],
  [
    'no-open-ingress',
    'aws_vpc_security_group_ingress_rule.https',
    // 443 from anywhere, but the group is not a load balancer's.
    doc({
      aws_security_group: { app: {} },
      aws_vpc_security_group_ingress_rule: {
        https: {
          security_group_id: '${aws_security_group.app.id}',
          cidr_ipv4: '0.0.0.0/0',
          from_port: 443,
          to_port: 443,
          ip_protocol: 'tcp',
        },
      },
    }),
  ],
  [
    'no-open-ingress',
    'aws_security_group_rule.v6',
    doc({
      aws_security_group_rule: {
        v6: {
          type: 'ingress',
          ipv6_cidr_blocks: ['::/0'],
          from_port: 0,
          to_port: 65535,
          protocol: '-1',
        },
      },
    }),
  ],
  ['eks-secrets-encryption', 'aws_eks_cluster.c', doc({ aws_eks_cluster: { c: { name: 'c' } } })],
  [
    'eks-secrets-encryption',
    'aws_eks_cluster.c',
    doc({
      aws_eks_cluster: {
        c: { encryption_config: { resources: ['configmaps'], provider: { key_arn: 'k' } } },
      },
    }),
  ],
  [
    'imdsv2-required',
    'aws_launch_template.lt',
    doc({ aws_launch_template: { lt: { metadata_options: { http_tokens: 'optional' } } } }),
  ],
  ['imdsv2-required', 'aws_instance.i', doc({ aws_instance: { i: {} } })],
  [
    'kms-key-rotation',
    'aws_kms_key.k',
    doc({ aws_kms_key: { k: { enable_key_rotation: false } } }),
  ],
  [
    'iam-no-wildcard-admin',
    'aws_iam_role_policy.p',
    doc({
      aws_iam_role_policy: {
        p: { policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) },
      },
    }),
  ],
  [
    'iam-no-wildcard-admin',
    'aws_iam_policy.p',
    doc({
      aws_iam_policy: {
        p: {
          policy: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: ['*'] }),
        },
      },
    }),
  ],
  [
    'iam-no-wildcard-admin',
    'aws_iam_role_policy.p',
    doc({ aws_iam_role_policy: { p: { policy: '${jsonencode(local.policy)}' } } }),
  ],
  [
    'iam-no-wildcard-admin',
    'data.aws_iam_policy_document.d',
    doc(
      {},
      { aws_iam_policy_document: { d: { statement: [{ actions: ['iam:*'], resources: ['*'] }] } } },
    ),
  ],
];

describe('checkTerraform', () => {
  it.each(FAILING)('reports %s on %s', (rule, address, json) => {
    const findings = checkTerraform(FILE, json);
    expect(findings).toEqual([
      expect.objectContaining({
        file: FILE,
        address,
        rule,
        severity: 'error',
        message: expect.any(String),
        remediation: expect.any(String),
      }),
    ]);
  });

  it('has a failing fixture for every rule', () => {
    expect(new Set(FAILING.map(([rule]) => rule))).toEqual(new Set(Object.keys(TERRAFORM_RULES)));
  });

  it('accepts a bucket with SSE-KMS and all four public-access blocks', () => {
    expect(checkTerraform(FILE, doc(goodBucket))).toEqual([]);
  });

  it('accepts internet ingress on 443 to a load balancer security group', () => {
    const json = doc({
      aws_security_group: { lb: { tags: { [LOAD_BALANCER_TAG.key]: LOAD_BALANCER_TAG.value } } },
      aws_vpc_security_group_ingress_rule: {
        https: {
          security_group_id: '${aws_security_group.lb.id}',
          cidr_ipv4: '0.0.0.0/0',
          from_port: 443,
          to_port: 443,
          ip_protocol: 'tcp',
        },
      },
    });
    expect(checkTerraform(FILE, json)).toEqual([]);
  });

  it('accepts a "*" resource for actions that name no wildcard, and Deny statements', () => {
    const json = doc({
      aws_iam_role_policy: {
        p: {
          policy: policy({ Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' }),
        },
        d: { policy: policy({ Effect: 'Deny', Action: '*', Resource: '*' }) },
      },
    });
    expect(checkTerraform(FILE, json)).toEqual([]);
  });

  it('reports nothing for a document without resources', () => {
    expect(checkTerraform(FILE, {})).toEqual([]);
    expect(checkTerraform(FILE, null)).toEqual([]);
  });
});
