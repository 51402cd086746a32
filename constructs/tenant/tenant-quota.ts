import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Quota } from '../../src/spec';

export interface TenantQuotaProps {
  readonly namespace: string;
  readonly quota: Quota;
  /** Per-container request applied when a container sets none, e.g. `100m`. */
  readonly defaultCpuRequest: string;
  readonly defaultMemoryRequestMiB: number;
  /** Per-container limit applied when a container sets none, e.g. `1000m`. */
  readonly defaultCpuLimit: string;
  readonly defaultMemoryLimitMiB: number;
}

/**
 * ResourceQuota (compute, object counts, and zero NodePort / LoadBalancer Services: tenants
 * are reached only through the gateway) and the LimitRange that gives every container
 * requests and limits, so the quota can be enforced at all.
 */
export class TenantQuota extends Construct {
  constructor(scope: Construct, id: string, props: TenantQuotaProps) {
    super(scope, id);
    const q = props.quota;
    const cpu = k8s.Quantity.fromString(String(q.cpu));
    const memory = k8s.Quantity.fromString(`${q.memoryGiB}Gi`);
    const count = (n: number) => k8s.Quantity.fromNumber(n);
    new k8s.KubeResourceQuota(this, 'Resource', {
      metadata: { name: 'tenant-quota', namespace: props.namespace },
      spec: {
        hard: {
          'requests.cpu': cpu,
          'limits.cpu': cpu,
          'requests.memory': memory,
          'limits.memory': memory,
          pods: count(q.pods),
          services: count(q.services),
          configmaps: count(q.configMaps),
          secrets: count(q.secrets),
          persistentvolumeclaims: count(q.persistentVolumeClaims),
          'services.nodeports': count(0),
          'services.loadbalancers': count(0),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: 'tenant-defaults', namespace: props.namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: k8s.Quantity.fromString(props.defaultCpuRequest),
              memory: k8s.Quantity.fromString(`${props.defaultMemoryRequestMiB}Mi`),
            },
            default: {
              cpu: k8s.Quantity.fromString(props.defaultCpuLimit),
              memory: k8s.Quantity.fromString(`${props.defaultMemoryLimitMiB}Mi`),
            },
          },
        ],
      },
    });
  }
}
