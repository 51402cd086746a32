import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { LABELS, NODE_GROUPS, SANDBOX_RUNTIME_CLASS } from '../../src/model/conventions';
import { CONVENTION_POLICIES } from '../../src/policy/conventions';
import { A2aAppProtocolPolicy } from './a2a-app-protocol-policy';
import { AutoExposePolicy } from './auto-expose-policy';
import { NodeGroupSchedulingPolicy } from './node-group-scheduling-policy';
import { TracePropagationPolicy } from './trace-propagation-policy';

export interface PlatformConventionsProps {
  /** Namespaces whose pods belong on the platform node group (platform add-ons). */
  readonly platformNamespaces: readonly string[];
  /** Namespace and name of the central Gateway exposed Services are published on. */
  readonly gatewayNamespace: string;
  readonly gatewayName: string;
  /** The Gateway's public listener. */
  readonly publicListener: string;
  /** OTLP endpoint of the platform collector that agent runtimes export traces to. */
  readonly otlpEndpoint: string;
}

/**
 * The cluster-wide Kyverno conventions of one environment: what the cluster adds at
 * admission so hand-applied objects follow the same rules as rendered ones.
 *
 * - platform-scheduling: platform namespaces' pods on the platform node group;
 * - tenant-scheduling / tenant-scheduling-dedicated: tenant pods on the agents node group,
 *   or on the dedicated group in the gVisor RuntimeClass for the dedicated tier (the same
 *   NODE_GROUPS and SANDBOX_RUNTIME_CLASS the tenant model schedules with);
 * - auto-expose: annotated agent and MCP Services get an HTTPRoute on the central gateway;
 * - traceprop: agent runtimes get the OTel / W3C trace context environment;
 * - appprotocol: agent Services get the A2A appProtocol agentgateway expects.
 *
 * All are policies.kyverno.io kinds (Kyverno 1.19 deprecates the kyverno.io ones); none
 * needed a legacy kind.
 */
export class PlatformConventions extends Chart {
  constructor(scope: Construct, id: string, props: PlatformConventionsProps) {
    super(scope, id);
    if (props.platformNamespaces.length === 0) {
      throw new Error(
        'PlatformConventions: platformNamespaces is empty; list the namespaces the platform add-ons run in',
      );
    }
    new NodeGroupSchedulingPolicy(this, 'PlatformScheduling', {
      name: CONVENTION_POLICIES.platformScheduling,
      namespaceSelector: [
        {
          key: 'kubernetes.io/metadata.name',
          operator: 'In',
          values: [...props.platformNamespaces].sort(),
        },
      ],
      nodeGroup: NODE_GROUPS.platform,
      keepChosenNodeGroup: true,
      skipDaemonSetPods: true,
    });
    new NodeGroupSchedulingPolicy(this, 'TenantScheduling', {
      name: CONVENTION_POLICIES.tenantScheduling,
      namespaceSelector: [
        { key: LABELS.tenant, operator: 'Exists' },
        { key: LABELS.isolation, operator: 'NotIn', values: ['dedicated'] },
      ],
      nodeGroup: NODE_GROUPS.agents,
    });
    new NodeGroupSchedulingPolicy(this, 'TenantSchedulingDedicated', {
      name: CONVENTION_POLICIES.tenantSchedulingDedicated,
      namespaceSelector: [
        { key: LABELS.tenant, operator: 'Exists' },
        { key: LABELS.isolation, operator: 'In', values: ['dedicated'] },
      ],
      nodeGroup: NODE_GROUPS.dedicated,
      runtimeClassName: SANDBOX_RUNTIME_CLASS,
    });
    new AutoExposePolicy(this, 'AutoExpose', {
      name: CONVENTION_POLICIES.autoExpose,
      gatewayNamespace: props.gatewayNamespace,
      gatewayName: props.gatewayName,
      listener: props.publicListener,
    });
    new TracePropagationPolicy(this, 'TracePropagation', {
      name: CONVENTION_POLICIES.tracePropagation,
      otlpEndpoint: props.otlpEndpoint,
    });
    new A2aAppProtocolPolicy(this, 'A2aAppProtocol', { name: CONVENTION_POLICIES.a2aAppProtocol });
  }
}
