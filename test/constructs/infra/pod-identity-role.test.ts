import { describe, expect, it } from 'vitest';
import {
  PodIdentityRole,
  type PodIdentityRoleProps,
} from '../../../constructs/infra/pod-identity-role';
import { only, synthScope } from './helpers';

const props: PodIdentityRoleProps = {
  clusterName: 'agentic-test',
  roleName: 'agentic-test-external-dns',
  namespace: 'external-dns',
  serviceAccount: 'external-dns',
  statements: [
    {
      sid: 'Zone',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: ['arn:aws:route53:::hostedzone/Z1'],
    },
  ],
};

describe('PodIdentityRole', () => {
  it('binds one service account to a role only the Pod Identity service can assume', () => {
    const json = synthScope((s) => new PodIdentityRole(s, 'Dns', props));
    expect(only(json, 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'external-dns',
      service_account: 'external-dns',
    });
    const trust = JSON.parse(only(json, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      }),
    ]);
    expect(JSON.parse(only(json, 'aws_iam_role_policy').policy).Statement[0].Resource).toBe(
      'arn:aws:route53:::hostedzone/Z1',
    );
  });

  it('fails on wildcard actions over every resource', () => {
    expect(() =>
      synthScope(
        (s) =>
          new PodIdentityRole(s, 'X', {
            ...props,
            statements: [{ sid: 'All', actions: ['s3:*'], resources: ['*'] }],
          }),
      ),
    ).toThrow(/statements\.All: wildcard actions on resource "\*" are not least privilege/);
  });

  it('fails on a role without permissions', () => {
    expect(() =>
      synthScope((s) => new PodIdentityRole(s, 'X', { ...props, statements: [] })),
    ).toThrow(/give statements or managedPolicyArns/);
  });
});
