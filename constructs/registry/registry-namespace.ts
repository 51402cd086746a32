import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { LABELS, RESTRICTED_POD_SECURITY_LABELS } from '../../src/model/conventions';

export interface RegistryNamespaceProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The registry's namespace, Pod Security `restricted` in every mode, admitted to the central
 * gateway's listeners so the registry's public route attaches.
 */
export class RegistryNamespace extends Construct {
  constructor(scope: Construct, id: string, props: RegistryNamespaceProps) {
    super(scope, id);
    new kplus.k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          ...RESTRICTED_POD_SECURITY_LABELS,
          [LABELS.gatewayRoutes]: 'true',
        },
      },
    });
  }
}
