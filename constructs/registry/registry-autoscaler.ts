import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';

export interface RegistryAutoscalerProps {
  readonly namespace: string;
  readonly name: string;
  readonly deploymentName: string;
  /** @default 2 - one pod may be drained while the other serves */
  readonly minReplicas?: number;
  /** @default 6 */
  readonly maxReplicas?: number;
  /** @default 70 */
  readonly targetCpuPercent?: number;
}

/** autoscaling/v2 HorizontalPodAutoscaler on CPU; it owns the Deployment's replica count. */
export class RegistryAutoscaler extends Construct {
  public readonly minReplicas: number;

  constructor(scope: Construct, id: string, props: RegistryAutoscalerProps) {
    super(scope, id);
    const min = props.minReplicas ?? 2;
    const max = props.maxReplicas ?? 6;
    if (min < 1 || max < min) {
      throw new Error(
        `RegistryAutoscaler ${props.name}: need 1 <= minReplicas <= maxReplicas, got minReplicas=${min} maxReplicas=${max}`,
      );
    }
    this.minReplicas = min;
    new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName },
        minReplicas: min,
        maxReplicas: max,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: props.targetCpuPercent ?? 70 },
            },
          },
        ],
      },
    });
  }
}
