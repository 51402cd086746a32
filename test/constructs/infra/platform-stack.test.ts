import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../../../constructs/infra/platform-stack';
import { platformStackProps } from '../../../src/terraform/stack-props';
import { repoModel, sharedEnv } from '../../helpers';

const props = platformStackProps(sharedEnv(repoModel(), 'dev'));
const stackOf = (override: object = {}) =>
  new PlatformStack(Testing.app(), 'dev', { ...props, ...override });

describe('PlatformStack', () => {
  it('names resources by construct path in snake_case, not by hashes', () => {
    const json = JSON.parse(Testing.synth(stackOf()));
    expect(Object.keys(json.resource.aws_eks_cluster)).toEqual(['eks']);
    expect(Object.keys(json.resource.aws_vpc)).toEqual(['network_vpc']);
    expect(Object.keys(json.resource.aws_kms_key).sort()).toEqual([
      'data_key',
      'logs_key',
      'secrets_key',
    ]);
  });

  it('turns on NetworkPolicy enforcement in the VPC CNI add-on', () => {
    const json = JSON.parse(Testing.synth(stackOf()));
    const cni = json.resource.aws_eks_addon.eks_vpc_cni;
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });

  it('talks to the Kubernetes API only after the admin access entries exist', () => {
    const json = JSON.parse(Testing.synth(stackOf()));
    const grants = Object.keys(json.resource.aws_eks_access_policy_association).map(
      (n) => `aws_eks_access_policy_association.${n}`,
    );
    expect(grants.length).toBeGreaterThan(0);
    expect(json.resource.kubernetes_namespace_v1.git_ops_bridge_namespace.depends_on).toEqual(
      grants,
    );
    expect(json.resource.kubernetes_secret_v1.git_ops_bridge_cluster_secret.depends_on).toEqual(
      grants,
    );
  });

  it('fails without the platform node group that cluster add-ons run on', () => {
    expect(() =>
      stackOf({ nodeGroups: props.nodeGroups.filter((g) => g.name !== 'platform') }),
    ).toThrow(/nodeGroups: the platform group is missing/);
  });

  it('fails on a secret prefix that does not end in "/"', () => {
    expect(() => stackOf({ secretPrefixes: ['platform'] })).toThrow(
      /secretPrefixes: "platform" must be a Secrets Manager path ending in "\/"/,
    );
  });
});
