import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';

export interface RegistryDisruptionBudgetProps {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  /**
   * Pods that must stay up during voluntary disruptions (node drains).
   *
   * @default 1
   */
  readonly minAvailable?: number;
}

/** Keeps the registry answering the gateway's authorization checks while nodes drain. */
export class RegistryDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: RegistryDisruptionBudgetProps) {
    super(scope, id);
    new kplus.k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        minAvailable: kplus.k8s.IntOrString.fromNumber(props.minAvailable ?? 1),
        selector: { matchLabels: { ...props.selector } },
      },
    });
  }
}
