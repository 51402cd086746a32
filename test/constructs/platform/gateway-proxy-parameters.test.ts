import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { placementOf } from '../../../constructs/addons/addon-props';
import {
  GatewayProxyParameters,
  NLB_ANNOTATIONS,
} from '../../../constructs/platform/gateway-proxy-parameters';
import { NODE_GROUPS } from '../../../src/model/conventions';

function synth(placement = placementOf(NODE_GROUPS.gateway)) {
  const chart = new Chart(new App(), 'test');
  new GatewayProxyParameters(chart, 'P', {
    name: 'agentgateway-proxy',
    namespace: 'agentgateway-system',
    placement,
  });
  return chart.toJson()[0];
}

describe('GatewayProxyParameters', () => {
  it('runs one proxy a gateway node, tolerating its taint, behind an NLB targeting those nodes', () => {
    const p = synth();
    expect(p.kind).toBe('AgentgatewayParameters');
    expect(p.spec.workload).toEqual({ kind: 'DaemonSet' });
    expect(p.spec.deployment).toBeUndefined();
    expect(p.spec.daemonSet.spec.template.spec).toMatchObject({
      nodeSelector: { workload: 'gateway' },
      tolerations: [{ key: 'workload', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }],
    });
    expect(p.spec.service.metadata.annotations).toEqual({
      [NLB_ANNOTATIONS.type]: 'nlb',
      [NLB_ANNOTATIONS.targetNodeLabels]: 'workload=gateway',
    });
    expect(p.spec.service.spec).toEqual({ externalTrafficPolicy: 'Local' });
  });

  it('adds what the controller chart leaves out and the guardrails require', () => {
    const p = synth();
    expect(p.spec.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1500m', memory: '1Gi' },
    });
    const pod = p.spec.daemonSet.spec.template.spec;
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toEqual([
      {
        name: 'agentgateway',
        livenessProbe: {
          httpGet: { path: '/healthz/ready', port: 15021 },
          periodSeconds: 10,
          failureThreshold: 3,
        },
      },
    ]);
  });

  it('refuses a placement without labels or without a toleration', () => {
    expect(() =>
      synth({ nodeSelector: {}, tolerations: placementOf(NODE_GROUPS.gateway).tolerations }),
    ).toThrow(/placement.nodeSelector is empty/);
    expect(() => synth({ nodeSelector: { workload: 'gateway' }, tolerations: [] })).toThrow(
      /placement.tolerations is empty/,
    );
  });
});
