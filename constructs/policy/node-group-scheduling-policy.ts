import { Construct } from 'constructs';
import { MutatingPolicyV1Beta1 } from '../../imports/kyverno-mutatingpolicy-policies.kyverno.io';
import type { NodeTaint } from '../../src/model/conventions';
import { celLiteral, celMapValue, jsonPointerSegment } from './private/cel';

/** One requirement on a namespace's labels (Kubernetes label selector semantics). */
export interface NamespaceLabelRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Required for `In` and `NotIn`, absent otherwise. */
  readonly values?: readonly string[];
}

export interface NodeGroupSchedulingPolicyProps {
  /** Policy name; also the name of its Kyverno CLI suite. */
  readonly name: string;
  /** Which namespaces' pods the policy places (all requirements must hold). */
  readonly namespaceSelector: readonly NamespaceLabelRequirement[];
  /** The node group's labels (become the nodeSelector) and taint (becomes a toleration). */
  readonly nodeGroup: {
    readonly labels: Readonly<Record<string, string>>;
    readonly taint: NodeTaint;
  };
  /**
   * RuntimeClass the pods run with.
   *
   * @default - runtimeClassName is left as the pod has it
   */
  readonly runtimeClassName?: string;
  /**
   * Leave pods alone that already select a node with one of the node group's label keys.
   *
   * Platform components whose Helm values place them elsewhere (a gateway proxy on the
   * gateway group) keep that choice. Tenant policies leave this off: a tenant pod that asks
   * for the platform nodes is moved back to its own group, not let through.
   *
   * @default false - the node group's labels overwrite the pod's values for those keys
   */
  readonly keepChosenNodeGroup?: boolean;
  /**
   * Leave DaemonSet pods alone.
   *
   * Node agents (Istio ztunnel and CNI, node exporters) must run on every node, whatever
   * namespace they live in.
   *
   * @default false
   */
  readonly skipDaemonSetPods?: boolean;
}

/**
 * Puts pods of the selected namespaces onto one node group at admission: the group's labels
 * as nodeSelector, a toleration of its taint, and optionally a RuntimeClass.
 *
 * JSONPatch rather than ApplyConfiguration: `spec.nodeSelector` and `spec.tolerations` are
 * atomic in the Pod schema, and Kyverno 1.19 refuses an ApplyConfiguration that touches them
 * ("may not mutate atomic arrays, maps or structs"); replacing the whole list would also drop
 * the tolerations the pod already has. The patches add only what is missing, so re-running
 * the policy changes nothing.
 */
export class NodeGroupSchedulingPolicy extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NodeGroupSchedulingPolicyProps) {
    super(scope, id);
    const labels = Object.entries(props.nodeGroup.labels).sort(([a], [b]) => (a < b ? -1 : 1));
    if (labels.length === 0) {
      throw new Error(
        `NodeGroupSchedulingPolicy ${props.name}: nodeGroup.labels is empty; a node group needs at least one label for the nodeSelector`,
      );
    }
    if (props.namespaceSelector.length === 0) {
      throw new Error(
        `NodeGroupSchedulingPolicy ${props.name}: namespaceSelector is empty, which would match every namespace; select the namespaces explicitly`,
      );
    }
    for (const r of props.namespaceSelector) {
      const needsValues = r.operator === 'In' || r.operator === 'NotIn';
      if (needsValues !== (r.values !== undefined && r.values.length > 0)) {
        throw new Error(
          `NodeGroupSchedulingPolicy ${props.name}: namespaceSelector requirement on "${r.key}" with operator ${r.operator} ${needsValues ? 'needs' : 'takes no'} values`,
        );
      }
    }
    this.name = props.name;

    const taint = props.nodeGroup.taint;
    const toleration = {
      effect: taint.effect,
      key: taint.key,
      operator: 'Equal',
      value: taint.value,
    };
    const nodeSelectorPatch =
      `(has(object.spec.nodeSelector) ? [` +
      labels
        .map(
          ([k, v]) =>
            `JSONPatch{op: "add", path: ${celLiteral(`/spec/nodeSelector/${jsonPointerSegment(k)}`)}, value: ${celLiteral(v)}}`,
        )
        .join(', ') +
      `] : [JSONPatch{op: "add", path: "/spec/nodeSelector", value: ${celLiteral(Object.fromEntries(labels))}}])`;
    const tolerated =
      `object.spec.tolerations.exists(t, has(t.key) && t.key == ${celLiteral(taint.key)} && ` +
      `has(t.value) && t.value == ${celLiteral(taint.value)} && has(t.effect) && t.effect == ${celLiteral(taint.effect)})`;
    const tolerationPatch =
      `(!has(object.spec.tolerations) ? [JSONPatch{op: "add", path: "/spec/tolerations", value: [${celLiteral(toleration)}]}] : ` +
      `${tolerated} ? [] : [JSONPatch{op: "add", path: "/spec/tolerations/-", value: ${celLiteral(toleration)}}])`;
    const runtimePatch = props.runtimeClassName
      ? ` + [JSONPatch{op: "add", path: "/spec/runtimeClassName", value: ${celLiteral(props.runtimeClassName)}}]`
      : '';

    const matchConditions = [
      ...(props.skipDaemonSetPods
        ? [
            {
              name: 'not-a-daemonset-pod',
              expression:
                '!has(object.metadata.ownerReferences) || !object.metadata.ownerReferences.exists(r, r.kind == "DaemonSet")',
            },
          ]
        : []),
      ...(props.keepChosenNodeGroup
        ? [
            {
              name: 'no-node-group-chosen',
              expression: labels
                .map(([k]) => `${celMapValue('object.spec.nodeSelector', k)} == ""`)
                .join(' && '),
            },
          ]
        : []),
    ];

    new MutatingPolicyV1Beta1(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        matchConstraints: {
          namespaceSelector: {
            matchExpressions: props.namespaceSelector.map((r) => ({
              key: r.key,
              operator: r.operator,
              ...(r.values ? { values: [...r.values] } : {}),
            })),
          },
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
        },
        ...(matchConditions.length > 0 ? { matchConditions } : {}),
        mutations: [
          {
            patchType: 'JSONPatch',
            jsonPatch: { expression: `${nodeSelectorPatch} + ${tolerationPatch}${runtimePatch}` },
          },
        ],
      },
    });
  }
}
