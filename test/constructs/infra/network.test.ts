import { describe, expect, it } from 'vitest';
import { Network, type NetworkProps } from '../../../constructs/infra/network';
import { only, resources, synthScope } from './helpers';

const props: NetworkProps = {
  name: 'agentic-test',
  clusterName: 'agentic-test',
  cidr: '10.10.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  natGateways: 'single',
  flowLogKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
};

describe('Network', () => {
  it.each([
    ['single', 1],
    ['perZone', 3],
  ] as const)(
    'creates %s NAT: %i gateway(s) and one private route table per zone',
    (natGateways, count) => {
      const json = synthScope((s) => new Network(s, 'Network', { ...props, natGateways }));
      expect(resources(json, 'aws_nat_gateway')).toHaveLength(count);
      expect(resources(json, 'aws_eip')).toHaveLength(count);
      const privateRoutes = resources(json, 'aws_route').filter((r) => r.nat_gateway_id);
      expect(privateRoutes).toHaveLength(3);
      expect(new Set(privateRoutes.map((r) => r.nat_gateway_id)).size).toBe(count);
    },
  );

  it('splits the VPC range into three private /19 and three public /22 subnets across the zones', () => {
    const json = synthScope((s) => new Network(s, 'Network', props));
    const subnets = resources(json, 'aws_subnet').map((s) => [
      s.availability_zone,
      s.cidr_block,
      s.tags['Name'],
    ]);
    expect(subnets.sort()).toEqual(
      [
        ['eu-west-1a', '10.10.0.0/19', 'agentic-test-private-eu-west-1a'],
        ['eu-west-1b', '10.10.32.0/19', 'agentic-test-private-eu-west-1b'],
        ['eu-west-1c', '10.10.64.0/19', 'agentic-test-private-eu-west-1c'],
        ['eu-west-1a', '10.10.96.0/22', 'agentic-test-public-eu-west-1a'],
        ['eu-west-1b', '10.10.100.0/22', 'agentic-test-public-eu-west-1b'],
        ['eu-west-1c', '10.10.104.0/22', 'agentic-test-public-eu-west-1c'],
      ].sort(),
    );
  });

  it('tags public subnets for internet-facing and private subnets for internal load balancers', () => {
    const json = synthScope((s) => new Network(s, 'Network', props));
    for (const subnet of resources(json, 'aws_subnet')) {
      const isPublic = String(subnet.tags.Name).includes('-public-');
      expect(subnet.tags['kubernetes.io/cluster/agentic-test']).toBe('shared');
      expect(
        subnet.tags[isPublic ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb'],
      ).toBe('1');
      expect(subnet.map_public_ip_on_launch ?? false).toBe(false);
    }
  });

  it('takes over the default security group with no ingress and no egress rule', () => {
    const json = synthScope((s) => new Network(s, 'Network', props));
    const sg = only(json, 'aws_default_security_group');
    expect(sg.vpc_id).toMatch(/^\$\{aws_vpc\.[^.]+\.id\}$/);
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
  });

  it('sends all VPC traffic to a KMS-encrypted flow-log group', () => {
    const json = synthScope((s) => new Network(s, 'Network', props));
    expect(only(json, 'aws_flow_log')).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
    });
    expect(only(json, 'aws_cloudwatch_log_group')).toMatchObject({
      kms_key_id: props.flowLogKeyArn,
      retention_in_days: 365,
    });
  });

  it.each(['10.0.0.0/8', '10.0.0.0/24'])(
    'fails when the VPC range %s cannot hold the subnets',
    (cidr) => {
      expect(() => synthScope((s) => new Network(s, 'Network', { ...props, cidr }))).toThrow(
        /cidr: ".*" is a \/\d+; use a \/16 to \/20/,
      );
    },
  );

  it('fails on a range with host bits set and suggests the aligned one', () => {
    expect(() =>
      synthScope((s) => new Network(s, 'Network', { ...props, cidr: '10.10.1.0/16' })),
    ).toThrow(/did you mean 10\.10\.0\.0\/16/);
  });

  it('fails unless given three distinct zones', () => {
    expect(() =>
      synthScope(
        (s) =>
          new Network(s, 'Network', {
            ...props,
            availabilityZones: ['eu-west-1a', 'eu-west-1a', 'eu-west-1b'],
          }),
      ),
    ).toThrow(/availabilityZones: .* must be exactly three distinct zones/);
  });
});
