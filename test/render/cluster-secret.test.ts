import { describe, expect, it } from 'vitest';
import { clusterSecretFromTerraform, unknownAfterApply } from '../../src/render/cluster-secret';
import { clusterOf } from './helpers';

const tf = (annotations: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    resource: {
      aws_iam_role: { langfuse: { name: 'agentic-dev-langfuse' } },
      aws_db_instance: { postgres: { identifier: 'agentic-dev' } },
      kubernetes_secret_v1: {
        bridge: {
          metadata: {
            name: 'agentic-dev',
            labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'dev' },
            annotations: { aws_account_id: '111111111111', ...annotations },
          },
          data: { server: 'https://kubernetes.default.svc' },
        },
      },
      ...extra,
    },
  });

describe('clusterSecretFromTerraform', () => {
  it('reads the labels and annotations Terraform writes for dev', () => {
    const c = clusterOf('dev');
    expect(c.labels.environment).toBe('dev');
    expect(c.labels.enable_kagent).toBe('true');
    expect(c.annotations.aws_cluster_name).toBe('agentic-dev');
    expect(c.annotations.langfuse_iam_role_arn).toBe(
      'arn:aws:iam::111111111111:role/agentic-dev-langfuse',
    );
  });

  it('marks a value Terraform knows only after apply, and lists it', () => {
    const c = clusterSecretFromTerraform(
      tf({ aws_postgres_endpoint: '${aws_db_instance.postgres.address}' }),
      'x.json',
    );
    expect(c.annotations.aws_postgres_endpoint).toBe(
      unknownAfterApply('aws_db_instance.postgres.address'),
    );
    expect(c.unknownAfterApply).toEqual(['aws_postgres_endpoint']);
  });

  it('derives an IAM role ARN from the role name and the account', () => {
    const c = clusterSecretFromTerraform(tf({ r: '${aws_iam_role.langfuse.arn}' }), 'x.json');
    expect(c.annotations.r).toBe('arn:aws:iam::111111111111:role/agentic-dev-langfuse');
  });

  it('fails on a reference to a resource the configuration does not have', () => {
    expect(() =>
      clusterSecretFromTerraform(tf({ r: '${aws_s3_bucket.gone.bucket}' }), 'x.json'),
    ).toThrow(/x.json: cluster Secret r references aws_s3_bucket.gone/);
  });

  it('fails on an expression it cannot resolve', () => {
    expect(() => clusterSecretFromTerraform(tf({ r: 'a-${var.x}' }), 'x.json')).toThrow(
      /is an expression the renderer cannot resolve/,
    );
  });

  it('fails without exactly one cluster Secret', () => {
    expect(() => clusterSecretFromTerraform('{"resource":{}}', 'x.json')).toThrow(/found 0/);
  });

  it('fails on a file that is not JSON', () => {
    expect(() => clusterSecretFromTerraform('{', 'x.json')).toThrow(/x.json: not valid JSON/);
  });
});
