import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NLB_ANNOTATIONS } from '../../constructs/platform/gateway-proxy-parameters';
import { ROOT } from './synth-fixture';

/**
 * The gateway node group is paid for: the central Gateway's data plane must land on it and
 * nothing else must be needed for it to serve. Followed across the layers of every
 * environment: the Terraform node group (labels, taint) → the AgentgatewayParameters the
 * Gateway references (the controller's overlays of the proxy it deploys) → the Service
 * annotations the AWS cloud provider turns into an NLB targeting exactly those nodes.
 */
const TAINT_EFFECT: Record<string, string> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

describe.each(['dev', 'staging', 'prod'])('%s: the gateway data plane', (env) => {
  const folder = path.join(ROOT, 'dist', env, 'platform/agentgateway');
  const docs = readdirSync(folder).map((f) => parse(readFileSync(path.join(folder, f), 'utf8')));
  const gateway = docs.find((d) => d.kind === 'Gateway');
  const tf = JSON.parse(
    readFileSync(path.join(ROOT, 'dist', env, 'terraform/cdk.tf.json'), 'utf8'),
  );
  const group = tf.resource.aws_eks_node_group.node_groups_gateway;

  it('runs on the gateway node group Terraform creates, tolerating its taint', () => {
    const ref = gateway.spec.infrastructure.parametersRef;
    expect(ref).toMatchObject({ group: 'agentgateway.dev', kind: 'AgentgatewayParameters' });
    const params = docs.find(
      (d) =>
        d.kind === 'AgentgatewayParameters' &&
        d.metadata.name === ref.name &&
        d.metadata.namespace === gateway.metadata.namespace,
    );
    expect(params, `AgentgatewayParameters ${ref.name} next to the Gateway`).toBeDefined();
    expect(params.spec.workload.kind).toBe('DaemonSet');
    const pod = params.spec.daemonSet.spec.template.spec;
    expect(group.scaling_config.desired_size).toBeGreaterThan(0);
    expect(pod.nodeSelector).toEqual(group.labels);
    for (const t of group.taint)
      expect(pod.tolerations).toContainEqual({
        key: t.key,
        operator: 'Equal',
        value: t.value,
        effect: TAINT_EFFECT[t.effect],
      });
    const annotations = params.spec.service.metadata.annotations;
    expect(annotations[NLB_ANNOTATIONS.type]).toBe('nlb');
    expect(annotations[NLB_ANNOTATIONS.targetNodeLabels]).toBe(
      Object.entries(group.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    );
  });

  it('has public subnets the cloud provider can put an internet-facing NLB in', () => {
    const publicSubnets = Object.values(tf.resource.aws_subnet).filter(
      (s: any) => s.tags?.['kubernetes.io/role/elb'] === '1',
    );
    expect(publicSubnets.length).toBeGreaterThanOrEqual(2);
  });
});
