import { describe, expect, it } from 'vitest';
import { NodeGroups, type NodeGroupsProps } from '../../../constructs/infra/node-groups';
import { NODE_GROUPS, type NodeGroupName } from '../../../src/model/conventions';
import { resources, synthScope } from './helpers';

const group = (name: NodeGroupName) => ({
  name,
  instanceTypes: ['m7i.xlarge'],
  minSize: 1,
  maxSize: 3,
  desiredSize: 2,
  diskGiB: 100,
});
const props: NodeGroupsProps = {
  clusterName: 'agentic-test',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  groups: (['platform', 'agents', 'gateway', 'dedicated'] as const).map(group),
  volumeKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data',
  partition: 'aws',
};

describe('NodeGroups', () => {
  const json = synthScope((s) => new NodeGroups(s, 'NodeGroups', props));
  const groups = resources(json, 'aws_eks_node_group');

  it.each(Object.keys(NODE_GROUPS) as NodeGroupName[])(
    'gives the %s group exactly the labels and taint of NODE_GROUPS',
    (name) => {
      const g = groups.find((x) => x.node_group_name === name)!;
      expect(g.labels).toEqual(NODE_GROUPS[name].labels);
      expect(g.taint).toEqual([
        {
          key: NODE_GROUPS[name].taint.key,
          value: NODE_GROUPS[name].taint.value,
          effect: 'NO_SCHEDULE',
        },
      ]);
    },
  );

  it('requires IMDSv2 and encrypts gp3 root volumes with the KMS key on every launch template', () => {
    const templates = resources(json, 'aws_launch_template');
    expect(templates).toHaveLength(4);
    for (const t of templates) {
      expect(t.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 2,
      });
      expect(t.block_device_mappings).toEqual([
        {
          device_name: '/dev/xvda',
          ebs: {
            volume_size: 100,
            volume_type: 'gp3',
            encrypted: 'true',
            kms_key_id: props.volumeKeyArn,
            delete_on_termination: 'true',
          },
        },
      ]);
    }
  });

  it('leaves the desired size to the autoscaler once created', () => {
    for (const g of groups)
      expect(g.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
  });

  it('fails when a group is listed twice', () => {
    expect(() =>
      synthScope(
        (s) => new NodeGroups(s, 'N', { ...props, groups: [group('agents'), group('agents')] }),
      ),
    ).toThrow(/groups: "agents" is listed twice/);
  });

  it('fails when the desired size is outside min..max', () => {
    expect(() =>
      synthScope(
        (s) =>
          new NodeGroups(s, 'N', { ...props, groups: [{ ...group('agents'), desiredSize: 9 }] }),
      ),
    ).toThrow(/groups\.agents: sizes min 1 \/ desired 9 \/ max 3/);
  });

  it('fails on a group without instance types', () => {
    expect(() =>
      synthScope(
        (s) =>
          new NodeGroups(s, 'N', { ...props, groups: [{ ...group('agents'), instanceTypes: [] }] }),
      ),
    ).toThrow(/groups\.agents\.instanceTypes: list at least one/);
  });

  it('fails on an IMDS hop limit above 2', () => {
    expect(() =>
      synthScope((s) => new NodeGroups(s, 'N', { ...props, metadataHopLimit: 3 })),
    ).toThrow(/metadataHopLimit: 3 .* use 1 or 2/);
  });
});
