import type { RenderedObject } from './helm';

/** A toleration as the Pod API has it. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: string;
}

/** Where an object asks for pods to be placed: its own pod template, or an operator CR's placement. */
export interface PodPlacement {
  /** `DaemonSet` pods must run on every node; every other pod on one node group. */
  readonly daemonSet: boolean;
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector: Readonly<Record<string, string>>;
}

type PodSpec = { tolerations?: Toleration[]; nodeSelector?: Record<string, string> };

/**
 * The pod placement an object carries, or undefined when it makes no pods. Covers the
 * workload kinds and the operator CRs the platform's charts render whose operator copies
 * tolerations and nodeSelector onto the pods it creates (Prometheus, Alertmanager,
 * CloudNativePG Cluster under spec.affinity).
 */
export function podPlacement(o: RenderedObject): PodPlacement | undefined {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const pod = (s: PodSpec | undefined, daemonSet = false): PodPlacement => ({
    daemonSet,
    tolerations: s?.tolerations ?? [],
    nodeSelector: s?.nodeSelector ?? {},
  });
  const template = (spec.template as { spec?: PodSpec } | undefined)?.spec;
  switch (`${o.apiVersion.split('/')[0]}/${o.kind}`) {
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/ReplicaSet':
    case 'batch/Job':
      return pod(template);
    case 'apps/DaemonSet':
      return pod(template, true);
    case 'batch/CronJob':
      return pod(
        (spec.jobTemplate as { spec?: { template?: { spec?: PodSpec } } } | undefined)?.spec
          ?.template?.spec,
      );
    case 'v1/Pod':
      return pod(spec as PodSpec);
    case 'monitoring.coreos.com/Prometheus':
    case 'monitoring.coreos.com/Alertmanager':
      return pod(spec as PodSpec);
    case 'postgresql.cnpg.io/Cluster':
      return pod(spec.affinity as PodSpec | undefined);
    default:
      return undefined;
  }
}

/** Kubernetes' rule (ToleratesTaint in k8s.io/api core/v1 toleration.go). */
export function tolerates(
  t: Toleration,
  taint: { readonly key: string; readonly value: string; readonly effect: string },
): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  // Equal (the default operator) needs a key: an empty key with Equal matches nothing.
  return !!t.key && (t.value ?? '') === taint.value;
}
