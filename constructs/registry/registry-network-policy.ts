import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { CLOUD_METADATA_CIDR } from '../../src/model/conventions';
import { REGISTRY_PORT } from '@agentic-platform/agent-registry/constants';

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

export interface RegistryNetworkPolicyProps {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  /** Namespace of the central gateway (public API and ext-authz calls come from it). */
  readonly gatewayNamespace: string;
  /** Namespace of Prometheus, which scrapes /metrics. */
  readonly monitoringNamespace: string;
  /** Pod labels of the database instances. */
  readonly databaseSelector: Readonly<Record<string, string>>;
}

/**
 * The registry pods accept only the gateway and Prometheus, and reach only DNS, their
 * database, and HTTPS (the identity provider's JWKS), never the cloud metadata endpoint.
 */
export class RegistryNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: RegistryNetworkPolicyProps) {
    super(scope, id);
    const k8s = kplus.k8s;
    const port = (p: number, protocol = 'TCP') => ({
      port: k8s.IntOrString.fromNumber(p),
      protocol,
    });
    const fromNamespace = (ns: string) => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: ns } },
    });
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.selector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [fromNamespace(props.gatewayNamespace)], ports: [port(REGISTRY_PORT)] },
          { from: [fromNamespace(props.monitoringNamespace)], ports: [port(REGISTRY_PORT)] },
        ],
        egress: [
          { to: [fromNamespace('kube-system')], ports: [port(53, 'UDP'), port(53)] },
          {
            to: [{ podSelector: { matchLabels: { ...props.databaseSelector } } }],
            ports: [port(5432)],
          },
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [CLOUD_METADATA_CIDR] } }],
            ports: [port(443)],
          },
        ],
      },
    });
  }
}
