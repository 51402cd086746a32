import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

/** A tenant → platform flow the tenants' egress allow-lists permit into this namespace. */
export interface TenantFlow {
  /** Names the allowance, `allow-tenant-<name>`. */
  readonly name: string;
  /**
   * Pods of this namespace the flow reaches.
   *
   * @default - every pod of the namespace
   */
  readonly toPods?: Readonly<Record<string, string>>;
  /**
   * Tenant pods the flow comes from.
   *
   * @default - every pod of every tenant namespace
   */
  readonly fromPods?: k8s.LabelSelector;
  /**
   * TCP ports the flow reaches.
   *
   * @default - every port (the tenant side does not limit the flow by port either)
   */
  readonly ports?: readonly number[];
}

export interface PlatformNamespaceIsolationProps {
  readonly namespace: string;
  /** Label every tenant Namespace carries (LABELS.tenant); every other namespace is the platform's. */
  readonly tenantLabel: string;
  /**
   * Flows from tenant pods, exactly those the tenant NetworkPolicies' egress permits here.
   *
   * @default - none: no tenant pod reaches this namespace
   */
  readonly tenantFlows?: readonly TenantFlow[];
  /**
   * TCP ports the Kubernetes API server calls (admission and conversion webhooks). On EKS it
   * calls them from control-plane ENIs inside the VPC, so they are admitted from `vpcCidr`.
   *
   * @default - none
   */
  readonly apiServerPorts?: readonly number[];
  /**
   * The VPC range, where the API server's ENIs live. Required with `apiServerPorts`.
   *
   * @default - none
   */
  readonly vpcCidr?: string;
  /**
   * The namespace is a public entry point (the gateway behind an NLB that keeps client
   * addresses): admit every address, but only to these pods on these ports. Tenant pods have
   * VPC addresses, so `0.0.0.0/0` admits them too: the selector and ports keep them off the
   * namespace's other pods (the gateway controller's xDS port).
   *
   * @default - none: no address outside the cluster's namespaces is admitted
   */
  readonly publicEntry?: PublicEntry;
}

/** Who serves the public: the pods that receive the load balancer's traffic, and their ports. */
export interface PublicEntry {
  /** Labels of the pods behind the load balancer. */
  readonly pods: Readonly<Record<string, string>>;
  /** TCP ports they receive it on. */
  readonly ports: readonly number[];
}

const tcp = (p: number): k8s.NetworkPolicyPort => ({
  port: k8s.IntOrString.fromNumber(p),
  protocol: 'TCP',
});

/**
 * Ingress isolation of one platform namespace against tenant pods: a default-deny of every
 * ingress, then one named allowance per source, so `kubectl get netpol` reads as the list of
 * who may reach the namespace. Every namespace that is not a tenant's stays admitted (the
 * platform's components call each other across namespaces); tenants get only their flows.
 * Egress is left open: the tenants' own egress default-deny already keeps them out, and exact
 * egress lists for every add-on (API server, AWS APIs, RDS) cannot be proven without a CNI.
 */
export class PlatformNamespaceIsolation extends Construct {
  constructor(scope: Construct, id: string, props: PlatformNamespaceIsolationProps) {
    super(scope, id);
    const apiServerPorts = props.apiServerPorts ?? [];
    if (apiServerPorts.length > 0 && !props.vpcCidr) {
      throw new Error(
        `PlatformNamespaceIsolation ${props.namespace}: apiServerPorts ${apiServerPorts.join(', ')} need vpcCidr (the range the API server calls from); set vpcCidr to the VPC range`,
      );
    }
    const ns = props.namespace;
    const policy = (name: string, ingress: k8s.NetworkPolicyIngressRule[], pods = {}) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: { name, namespace: ns },
        spec: { podSelector: pods, policyTypes: ['Ingress'], ingress },
      });
    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    policy('allow-platform-namespaces', [
      {
        from: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: props.tenantLabel, operator: 'DoesNotExist' }],
            },
          },
        ],
      },
    ]);
    if (apiServerPorts.length > 0) {
      policy('allow-api-server', [
        { from: [{ ipBlock: { cidr: props.vpcCidr! } }], ports: apiServerPorts.map(tcp) },
      ]);
    }
    const entry = props.publicEntry;
    if (entry) {
      if (Object.keys(entry.pods).length === 0 || entry.ports.length === 0) {
        throw new Error(
          `PlatformNamespaceIsolation ${ns}: publicEntry needs pods and ports, got pods ${JSON.stringify(entry.pods)} and ports [${entry.ports.join(', ')}]; name the load balancer's target pods and their listener ports, or every pod of the namespace is open to the internet`,
        );
      }
      policy(
        'allow-public-entry',
        [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: entry.ports.map(tcp) }],
        { matchLabels: { ...entry.pods } },
      );
    }
    for (const f of props.tenantFlows ?? []) {
      policy(
        `allow-tenant-${f.name}`,
        [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: props.tenantLabel, operator: 'Exists' }],
                },
                ...(f.fromPods ? { podSelector: f.fromPods } : {}),
              },
            ],
            ...(f.ports ? { ports: f.ports.map(tcp) } : {}),
          },
        ],
        f.toPods ? { matchLabels: { ...f.toPods } } : {},
      );
    }
  }
}
