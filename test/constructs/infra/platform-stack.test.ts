import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../../../constructs/infra/platform-stack';
import { platformStackProps } from '../../../src/terraform/stack-props';
import { env, repoModel } from '../../helpers';

const props = platformStackProps(env(repoModel(), 'dev'));
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
