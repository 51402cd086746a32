import { describe, expect, it } from 'vitest';
import {
  collectStrings,
  environmentNormalizer,
  identityValues,
} from '../../src/diff/environment-identity';
import { env, repoModel } from '../helpers';

const model = repoModel();
const staging = env(model, 'staging').spec;

describe('environmentNormalizer', () => {
  const n = environmentNormalizer(staging);

  it('takes its values from the environment spec, in the spellings derived names use', () => {
    const values = identityValues(staging).map((v) => [v.placeholder, v.value]);
    expect(values).toContainEqual(['«name»', staging.name]);
    expect(values).toContainEqual(['«cluster.domain»', staging.cluster.domain]);
    expect(values).toContainEqual([
      '«cluster.domain:reversed»',
      staging.cluster.domain.split('.').reverse().join('.'),
    ]);
    expect(values).toContainEqual(['«aws.accountId»', staging.aws.accountId]);
    expect(values).toContainEqual([
      '«aws.availabilityZones[0]»',
      staging.aws.availabilityZones[0]!.replaceAll('-', '_'),
    ]);
  });

  it('replaces whole tokens only, longest first', () => {
    expect(n.string(`agents.${staging.cluster.domain}`)).toBe('agents.«cluster.domain»');
    expect(n.string(`platform/${staging.name}/langfuse-redis`)).toBe(
      'platform/«name»/langfuse-redis',
    );
    expect(n.string(`network_${staging.aws.availabilityZones[0]!.replaceAll('-', '_')}_nat`)).toBe(
      'network_«aws.availabilityZones[0]»_nat',
    );
    expect(n.string(`${staging.name}x`)).toBe(`${staging.name}x`);
    expect(n.string(`arn:aws:iam::${staging.aws.accountId}:role/PlatformAdmin`)).toBe(
      'arn:aws:iam::«aws.accountId»:role/PlatformAdmin',
    );
  });

  it('writes addresses inside the VPC as offsets into it, and leaves others', () => {
    const [net] = staging.aws.vpcCidr.split('/');
    const [a, b] = net!.split('.');
    expect(n.string(staging.aws.vpcCidr)).toBe('«aws.vpcCidr»');
    expect(n.string(`${a}.${b}.96.0/22`)).toBe('«aws.vpcCidr+0.0.96.0/22»');
    expect(n.string(`${a}.${b}.0.2`)).toBe('«aws.vpcCidr+0.0.0.2»');
    expect(n.string('140.82.112.0/20')).toBe('140.82.112.0/20');
  });

  it('normalizes keys as well as values, except the strings it is told to keep', () => {
    const value = {
      [`eks_admin_${staging.aws.accountId}`]: `kagent.${staging.name}`,
      other: staging.name,
    };
    expect(n.value(value)).toEqual({
      'eks_admin_«aws.accountId»': 'kagent.«name»',
      other: '«name»',
    });
    expect(n.value(value, new Set([`kagent.${staging.name}`]))).toEqual({
      'eks_admin_«aws.accountId»': `kagent.${staging.name}`,
      other: '«name»',
    });
  });

  it('collects every string and key of a value', () => {
    expect([...collectStrings({ a: ['x', { b: 'y' }], c: 1 })].sort()).toEqual([
      'a',
      'b',
      'c',
      'x',
      'y',
    ]);
  });
});
