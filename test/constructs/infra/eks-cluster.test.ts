import { describe, expect, it } from 'vitest';
import { EksCluster, type EksClusterProps } from '../../../constructs/infra/eks-cluster';
import { only, resources, synthScope } from './helpers';

const props: EksClusterProps = {
  clusterName: 'agentic-test',
  kubernetesVersion: '1.33',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  secretsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/secrets',
  logsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
  partition: 'aws',
  publicApiCidrs: ['198.51.100.0/24'],
  adminPrincipalArns: ['arn:aws:iam::111111111111:role/PlatformAdmin'],
  serviceCidr: '172.20.0.0/16',
};

describe('EksCluster', () => {
  it('envelope-encrypts Secrets, logs every control-plane type and uses access entries', () => {
    const cluster = only(
      synthScope((s) => new EksCluster(s, 'Eks', props)),
      'aws_eks_cluster',
    );
    expect(cluster.encryption_config).toEqual({
      resources: ['secrets'],
      provider: { key_arn: props.secretsKeyArn },
    });
    expect(cluster.enabled_cluster_log_types).toEqual([
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
    expect(cluster.access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    expect(cluster.kubernetes_network_config).toEqual({ service_ipv4_cidr: '172.20.0.0/16' });
    expect(cluster.version).toBe('1.33');
  });

  it('fails without an admin principal, since the creator gets no implicit access', () => {
    expect(() =>
      synthScope((s) => new EksCluster(s, 'Eks', { ...props, adminPrincipalArns: [] })),
    ).toThrow(/adminPrincipalArns: empty; name at least one IAM role/);
  });

  it('keeps the private endpoint and allow-lists the public one', () => {
    const cluster = only(
      synthScope((s) => new EksCluster(s, 'Eks', props)),
      'aws_eks_cluster',
    );
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['198.51.100.0/24'],
    });
  });

  it('disables the public endpoint when no CIDR is allowed', () => {
    const cluster = only(
      synthScope((s) => new EksCluster(s, 'Eks', { ...props, publicApiCidrs: [] })),
      'aws_eks_cluster',
    );
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  it('grants cluster-admin through an access entry per admin principal', () => {
    const json = synthScope(
      (s) =>
        new EksCluster(s, 'Eks', {
          ...props,
          adminPrincipalArns: ['arn:aws:iam::111111111111:role/ops'],
        }),
    );
    expect(only(json, 'aws_eks_access_entry')).toMatchObject({
      principal_arn: 'arn:aws:iam::111111111111:role/ops',
      type: 'STANDARD',
    });
    expect(only(json, 'aws_eks_access_policy_association').policy_arn).toBe(
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    );
  });

  it('addresses each admin by account and name, so reordering the list changes nothing', () => {
    const keys = (arns: string[]) =>
      Object.keys(
        synthScope((s) => new EksCluster(s, 'Eks', { ...props, adminPrincipalArns: arns }))
          .resource!.aws_eks_access_entry!,
      ).sort();
    const a = 'arn:aws:iam::111111111111:role/ops';
    const b = 'arn:aws:iam::222222222222:role/team/platform-admin';
    expect(keys([a, b])).toEqual(keys([b, a]));
    expect(keys([a, b])).toHaveLength(2);
  });

  it.each([
    [['arn:aws:iam::111111111111:role/ops', 'arn:aws:iam::111111111111:role/ops'], /listed twice/],
    [['arn:aws:s3:::bucket'], /is not an IAM role or user ARN/],
  ])('refuses admin principals %j', (adminPrincipalArns, message) => {
    expect(() =>
      synthScope((s) => new EksCluster(s, 'Eks', { ...props, adminPrincipalArns })),
    ).toThrow(message);
  });

  it('installs a managed add-on at its pinned version with its configuration as JSON', () => {
    const json = synthScope((s) => {
      const c = new EksCluster(s, 'Eks', props);
      c.addAddon('CoreDns', {
        name: 'coredns',
        version: 'v1.12.4-eksbuild.1',
        configuration: { replicaCount: 3 },
      });
    });
    expect(resources(json, 'aws_eks_addon')[0]).toMatchObject({
      addon_name: 'coredns',
      addon_version: 'v1.12.4-eksbuild.1',
      configuration_values: '{"replicaCount":3}',
    });
  });

  it('fails when the public endpoint would be open to the internet', () => {
    expect(() =>
      synthScope((s) => new EksCluster(s, 'Eks', { ...props, publicApiCidrs: ['0.0.0.0/0'] })),
    ).toThrow(/publicApiCidrs: "0\.0\.0\.0\/0" opens the API endpoint/);
  });

  it('fails with fewer than two subnets', () => {
    expect(() =>
      synthScope((s) => new EksCluster(s, 'Eks', { ...props, subnetIds: ['subnet-a'] })),
    ).toThrow(/subnetIds: EKS needs subnets in at least two zones/);
  });

  it('fails on an add-on version that is not an EKS build', () => {
    expect(() =>
      synthScope((s) =>
        new EksCluster(s, 'Eks', props).addAddon('VpcCni', { name: 'vpc-cni', version: 'latest' }),
      ),
    ).toThrow(/addAddon\(vpc-cni\): version "latest" is not an EKS add-on version/);
  });
});
