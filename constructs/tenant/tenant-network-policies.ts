import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ISTIO, KAGENT_PODS, PORTS } from '../../src/model/conventions';
import type { EgressRule } from '../../src/model/types';

export interface TenantNetworkPoliciesProps {
  readonly namespace: string;
  /** Namespace of the central gateway: it routes callers in, and agents reach models through it. */
  readonly gatewayNamespace: string;
  /**
   * The gateway's proxy pods (not its controller): the only pods of the gateway namespace the
   * tenant talks to, either way.
   */
  readonly gatewayPods: Readonly<Record<string, string>>;
  /** The proxy's in-cluster listener port, the only one tenant pods open towards it. */
  readonly gatewayPort: number;
  /** Namespace of the kagent controller, which invokes agents and serves their runtime API. */
  readonly kagentNamespace: string;
  /**
   * The tenant's kagent Agents: only their pods may call the kagent controller, and only they
   * are reachable from it.
   *
   * @default - none: no flow to or from kagent at all
   */
  readonly agentNames?: readonly string[];
  readonly telemetryNamespace: string;
  readonly telemetryPorts: readonly number[];
  /**
   * The tenant's waypoint Gateway: istiod runs its pods (labelled with the Gateway's name),
   * and they must reach istiod for their configuration and certificates.
   *
   * @default - none: no pod of the tenant reaches istiod
   */
  readonly waypoint?: {
    readonly name: string;
    /** Namespace istiod runs in. */
    readonly istiodNamespace: string;
  };
  /**
   * External networks the tenant may reach over HTTPS.
   *
   * @default - none: no traffic leaves the cluster except through the gateway.
   */
  readonly egress?: readonly EgressRule[];
}

const TCP = 'TCP';
const nsSelector = (name: string): k8s.LabelSelector => ({
  matchLabels: { 'kubernetes.io/metadata.name': name },
});
const port = (p: number, protocol = TCP): k8s.NetworkPolicyPort => ({
  port: k8s.IntOrString.fromNumber(p),
  protocol,
});

/** The pods istiod runs for the waypoint Gateway `name` (istiod chart files/waypoint.yaml). */
export const waypointPods = (name: string): k8s.LabelSelector => ({
  matchLabels: { [ISTIO.gatewayNameLabel]: name },
});

/**
 * Deny by default, then one named policy per allowed flow, so `kubectl get netpol` in a
 * tenant namespace reads as the list of what may talk to what.
 */
export class TenantNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    const ns = props.namespace;
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: ns }, spec });
    const all: k8s.LabelSelector = {};

    policy('default-deny', { podSelector: all, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-same-namespace', {
      podSelector: all,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: all }] }],
      egress: [{ to: [{ podSelector: all }] }],
    });
    policy('allow-dns', {
      podSelector: all,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: nsSelector('kube-system'),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [port(PORTS.dns, 'UDP'), port(PORTS.dns)],
        },
      ],
    });
    // The proxies route callers in on whatever port a tenant's backend listens on; tenant pods
    // reach the proxies only on the in-cluster listener, never the gateway controller.
    const proxies: k8s.NetworkPolicyPeer = {
      namespaceSelector: nsSelector(props.gatewayNamespace),
      podSelector: { matchLabels: { ...props.gatewayPods } },
    };
    policy('allow-gateway', {
      podSelector: all,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [proxies] }],
      egress: [{ to: [proxies], ports: [port(props.gatewayPort)] }],
    });
    // Agent pods and the kagent controller, and nothing else of either side: the controller
    // invokes agents over A2A, agents call the controller's API (sessions, tasks). Any other
    // tenant pod (an MCP server image of the tenant's choice) cannot reach kagent at all.
    const agentNames = [...new Set(props.agentNames ?? [])].sort();
    if (agentNames.length > 0) {
      const controller = {
        namespaceSelector: nsSelector(props.kagentNamespace),
        podSelector: { matchLabels: { ...KAGENT_PODS.controller } },
      };
      policy('allow-kagent', {
        podSelector: {
          matchLabels: { ...KAGENT_PODS.agent },
          matchExpressions: [
            { key: KAGENT_PODS.agentNameLabel, operator: 'In', values: agentNames },
          ],
        },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [controller], ports: [port(PORTS.a2a)] }],
        egress: [{ to: [controller], ports: [port(PORTS.kagentController)] }],
      });
    }
    policy('allow-telemetry', {
      podSelector: all,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: nsSelector(props.telemetryNamespace) }],
          ports: props.telemetryPorts.map((p) => port(p)),
        },
      ],
    });
    // The waypoint's pods (istiod creates their Deployment from the Gateway) and istiod's XDS
    // and CA port, nothing else of either side: without it the waypoint never gets its
    // listeners, and the tenant's L7 AuthorizationPolicies never take effect.
    if (props.waypoint) {
      policy('allow-waypoint-istiod', {
        podSelector: waypointPods(props.waypoint.name),
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: nsSelector(props.waypoint.istiodNamespace),
                podSelector: { matchLabels: { ...ISTIO.istiodPods } },
              },
            ],
            ports: [port(ISTIO.xdsPort)],
          },
        ],
      });
    }
    // Ambient mesh: ztunnel delivers peer traffic to pods over HBONE (15008), and kubelet
    // probes arrive SNATed from 169.254.7.127 (Istio ambient NetworkPolicy guidance).
    policy('allow-ambient-mesh', {
      podSelector: all,
      policyTypes: ['Ingress'],
      ingress: [
        { ports: [port(ISTIO.hbonePort)] },
        { from: [{ ipBlock: { cidr: '169.254.7.127/32' } }] },
      ],
    });
    const egress = props.egress ?? [];
    if (egress.length > 0) {
      policy('allow-external-https', {
        podSelector: all,
        policyTypes: ['Egress'],
        egress: [
          {
            to: egress.map((e) => ({
              ipBlock: { cidr: e.cidr, ...(e.except.length > 0 ? { except: [...e.except] } : {}) },
            })),
            ports: [port(PORTS.https)],
          },
        ],
      });
    }
  }
}
