import { Construct } from 'constructs';
import {
  AgentgatewayParameters,
  AgentgatewayParametersSpecResourcesLimits,
  AgentgatewayParametersSpecResourcesRequests,
  AgentgatewayParametersSpecWorkloadKind,
} from '../../imports/agentgateway-parameters-agentgateway.dev';
import type { Placement } from '../addons/addon-props';

/**
 * Service annotations of the NLB in front of the proxies, as the AWS cloud provider reads them
 * (kubernetes/cloud-provider-aws, pkg/providers/v1: `isNLB`, and the target-node-labels key),
 * which EKS runs in its control plane: nothing to install. The AWS Load Balancer Controller is
 * not part of the platform (its chart's templates are not available to vendor and render
 * here); with `nlb` it leaves the Service to the cloud provider anyway.
 */
export const NLB_ANNOTATIONS = {
  /** `nlb`: a Network Load Balancer instead of a Classic one. */
  type: 'service.beta.kubernetes.io/aws-load-balancer-type',
  /** `k=v,…`: the only nodes registered as targets. */
  targetNodeLabels: 'service.beta.kubernetes.io/aws-load-balancer-target-node-labels',
} as const;

export interface GatewayProxyParametersProps {
  /** Name, referenced from the Gateway's `spec.infrastructure.parametersRef`. */
  readonly name: string;
  /** The Gateway's namespace (agentgateway resolves the reference there). */
  readonly namespace: string;
  /** The gateway node group: its labels select the nodes, its taint is tolerated. */
  readonly placement: Placement;
  /**
   * The proxy container's CPU and memory (requests and limits: the cluster's guardrails admit
   * no container without both).
   *
   * @default - requests 250m / 256Mi, limits 1500m / 1Gi: most of a 2-vCPU gateway node
   */
  readonly resources?: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
}

/** The proxy's container in the controller's chart (`kgateway.gateway.podTemplate`). */
const PROXY_CONTAINER = 'agentgateway';
/** Its readiness endpoint (the chart's readiness and startup probes use it). */
const READY = { path: '/healthz/ready', port: 15021 };

/**
 * How the agentgateway controller (v1.4.1) deploys the central Gateway's data plane: a
 * DaemonSet on the gateway node group (one proxy a node, so no node of the group is paid for
 * and idle, and the group's size is the gateway's capacity) behind an internet-facing NLB
 * whose targets are those nodes only. `externalTrafficPolicy: Local` keeps the client address
 * and sends traffic only to nodes whose proxy is ready (the NLB health check follows it).
 * The proxy also gets what the chart leaves out and the cluster's guardrails require: CPU and
 * memory requests and limits, a liveness probe, the RuntimeDefault seccomp profile.
 *
 * The controller renders its proxy chart (`controller/pkg/helm/agentgateway`: a LoadBalancer
 * Service, no placement of its own) and then applies these overlays with strategic merge patch
 * semantics (`controller/pkg/deployer/agentgateway_parameters.go`).
 */
export class GatewayProxyParameters extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: GatewayProxyParametersProps) {
    super(scope, id);
    const labels = Object.entries(props.placement.nodeSelector).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    if (labels.length === 0)
      throw new Error(
        `GatewayProxyParameters ${props.name}: placement.nodeSelector is empty; the proxies need the gateway node group's labels`,
      );
    if (props.placement.tolerations.length === 0)
      throw new Error(
        `GatewayProxyParameters ${props.name}: placement.tolerations is empty; the gateway nodes are tainted, so the proxies must tolerate it`,
      );
    this.name = props.name;
    const resources = props.resources ?? {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1500m', memory: '1Gi' },
    };
    new AgentgatewayParameters(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        workload: { kind: AgentgatewayParametersSpecWorkloadKind.DAEMON_SET },
        resources: {
          requests: {
            cpu: AgentgatewayParametersSpecResourcesRequests.fromString(resources.requests.cpu),
            memory: AgentgatewayParametersSpecResourcesRequests.fromString(
              resources.requests.memory,
            ),
          },
          limits: {
            cpu: AgentgatewayParametersSpecResourcesLimits.fromString(resources.limits.cpu),
            memory: AgentgatewayParametersSpecResourcesLimits.fromString(resources.limits.memory),
          },
        },
        daemonSet: {
          spec: {
            template: {
              spec: {
                nodeSelector: Object.fromEntries(labels),
                tolerations: props.placement.tolerations.map((t) => ({ ...t })),
                // What the chart leaves out and the cluster's guardrails require (Pod Security
                // restricted, liveness probes). Merged by strategic merge patch: the pod's
                // securityContext keeps the chart's sysctls, the container is matched by name.
                securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: PROXY_CONTAINER,
                    livenessProbe: {
                      httpGet: READY,
                      periodSeconds: 10,
                      failureThreshold: 3,
                    },
                  },
                ],
              },
            },
          },
        },
        service: {
          metadata: {
            annotations: {
              [NLB_ANNOTATIONS.type]: 'nlb',
              [NLB_ANNOTATIONS.targetNodeLabels]: labels.map(([k, v]) => `${k}=${v}`).join(','),
            },
          },
          spec: { externalTrafficPolicy: 'Local' },
        },
      },
    });
  }
}
