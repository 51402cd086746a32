import { describe, expect, it } from 'vitest';
import { NodeGroups, type NodeGroupsProps } from '../../../constructs/infra/node-groups';
import { NODE_GROUPS, type NodeGroupName } from '../../../src/model/conventions';
import { resources, synthScope } from './helpers';

const sandboxRuntime = { handler: 'runsc', gvisorRelease: '20260810.0' };
/** The MIME parts of base64 user data, by Content-Type. */
function userDataParts(base64: string): Record<string, string> {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
  const parts: Record<string, string> = {};
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...body] = chunk.replace(/^\n/, '').split('\n\n');
    parts[/Content-Type: ([^;\n]+)/.exec(head!)![1]!] = body.join('\n\n');
  }
  return parts;
}

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
  groups: (['platform', 'agents', 'gateway', 'dedicated'] as const).map((n) =>
    n === 'dedicated' ? { ...group(n), sandboxRuntime } : group(n),
  ),
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

  it('keeps IMDS answers on the node (hop limit 1) unless a larger limit is asked for by name', () => {
    const hops = (json: ReturnType<typeof synthScope>) =>
      resources(json, 'aws_launch_template').map(
        (t) => t.metadata_options.http_put_response_hop_limit,
      );
    expect(new Set(hops(json))).toEqual(new Set([1]));
    const loosened = synthScope((s) => new NodeGroups(s, 'N', { ...props, metadataHopLimit: 2 }));
    expect(new Set(hops(loosened))).toEqual(new Set([2]));
  });

  it('installs gVisor and registers runsc with containerd on the sandbox group only', () => {
    const templates = resources(json, 'aws_launch_template');
    const withUserData = templates.filter((t) => t.user_data !== undefined);
    expect(withUserData.map((t) => t.name)).toEqual(['agentic-test-dedicated']);
    const parts = userDataParts(withUserData[0]!.user_data);
    expect(Object.keys(parts)).toEqual(['application/node.eks.aws', 'text/x-shellscript']);
    const nodeConfig = parts['application/node.eks.aws']!;
    expect(nodeConfig).toContain('apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig');
    expect(nodeConfig).toContain(
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]\n      runtime_type = "io.containerd.runsc.v1"',
    );
    const script = parts['text/x-shellscript']!;
    expect(script).toContain(
      'https://storage.googleapis.com/gvisor/releases/release/20260810.0/x86_64/gvisor.tar.bz2',
    );
    expect(script).toContain('sha512sum --check gvisor.tar.bz2.sha512');
    expect(script).toContain('systemctl poweroff');
    expect(script).not.toContain('${');
  });

  it('fails on a sandbox handler or gVisor release that is not one', () => {
    const withSandbox = (sr: typeof sandboxRuntime) => () =>
      synthScope(
        (s) =>
          new NodeGroups(s, 'N', {
            ...props,
            groups: [{ ...group('dedicated'), sandboxRuntime: sr }],
          }),
      );
    expect(withSandbox({ ...sandboxRuntime, handler: 'Run SC' })).toThrow(
      /sandboxRuntime.handler: "Run SC" is not a CRI handler name/,
    );
    expect(withSandbox({ ...sandboxRuntime, gvisorRelease: 'latest' })).toThrow(
      /sandboxRuntime.gvisorRelease: "latest" is not a gVisor point release/,
    );
  });

  it('requires IMDSv2 and encrypts gp3 root volumes with the KMS key on every launch template', () => {
    const templates = resources(json, 'aws_launch_template');
    expect(templates).toHaveLength(4);
    for (const t of templates) {
      expect(t.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
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
