import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { REGISTRY_PORT } from '@agentic-platform/agent-registry/constants';

export interface RegistryServiceProps {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
}

/** ClusterIP Service in front of the registry pods, on the service's own port. */
export class RegistryService extends Construct {
  public readonly name: string;
  public readonly port = REGISTRY_PORT;

  constructor(scope: Construct, id: string, props: RegistryServiceProps) {
    super(scope, id);
    this.name = props.name;
    new kplus.k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.selector } },
      spec: {
        type: 'ClusterIP',
        selector: { ...props.selector },
        ports: [
          {
            name: 'http',
            port: REGISTRY_PORT,
            targetPort: kplus.k8s.IntOrString.fromString('http'),
            protocol: 'TCP',
            appProtocol: 'http',
          },
        ],
      },
    });
  }
}
