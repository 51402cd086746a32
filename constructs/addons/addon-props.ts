import type { NodeTaint } from '../../src/model/conventions';

/** A pod toleration in the chart-values shape (`operator: Equal`). */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal';
  readonly value: string;
  readonly effect: NodeTaint['effect'];
}

/** Where an add-on's pods run: the platform node group's label and a toleration of its taint. */
export interface Placement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** Builds a Placement from a node group's labels and taint (NODE_GROUPS in src/model). */
export function placementOf(group: {
  readonly labels: Readonly<Record<string, string>>;
  readonly taint: NodeTaint;
}): Placement {
  return {
    nodeSelector: { ...group.labels },
    tolerations: [
      {
        key: group.taint.key,
        operator: 'Equal',
        value: group.taint.value,
        effect: group.taint.effect,
      },
    ],
  };
}

/**
 * An add-on's database on the environment's PostgreSQL: a role and a database both called
 * `name` (created by the PostgreSQL bootstrap), the role's password in the Secret `secret` of
 * the add-on's namespace under `key`.
 */
export interface AddonDatabase {
  readonly name: string;
  readonly secret: string;
  readonly key: string;
}

/** Props every add-on construct takes. Flat, as the tenant constructs' props are. */
export interface AddonProps {
  /** Environment name: the cluster Secret label the ApplicationSets select. */
  readonly environment: string;
  /** Platform node group placement for the add-on's controllers. */
  readonly placement: Placement;
  /**
   * Replicas, PodDisruptionBudgets and leader election where the chart has keys for them.
   *
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * Create ServiceMonitors/PodMonitors (needs the kube-prometheus-stack CRDs).
   *
   * @default true
   */
  readonly monitoring?: boolean;
  /**
   * Helm values deep-merged over the add-on's own, by Application name.
   *
   * @default - none
   */
  readonly valueOverrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** AppProject of the add-on Applications. @default 'platform' */
  readonly project?: string;
}
