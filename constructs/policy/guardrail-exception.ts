import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PolicyExceptionV1Beta1 } from '../../imports/kyverno-policyexception-policies.kyverno.io';

export interface GuardrailExceptionProps {
  readonly name: string;
  /** Namespace Kyverno reads exceptions from; tenants cannot write there. */
  readonly namespace: string;
  /** Guardrail (ValidatingPolicy) the exception applies to. */
  readonly policy: string;
  /** Last day it holds (`YYYY-MM-DD`, UTC); Kyverno stops applying it after that day. */
  readonly expires: string;
  readonly justification: string;
  /**
   * Restrict the exception to objects in this namespace (a tenant's exception).
   *
   * @default - every namespace (an environment-wide exception)
   */
  readonly objectNamespace?: string;
  /**
   * `Kind/name` of the exempted objects.
   *
   * @default - every object the guardrail matches
   */
  readonly resources?: readonly string[];
}

const quote = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** A time-boxed Kyverno PolicyException, the cluster side of a spec's policy exception. */
export class GuardrailException extends Construct {
  constructor(scope: Construct, id: string, props: GuardrailExceptionProps) {
    super(scope, id);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(props.expires)) {
      throw new Error(
        `GuardrailException ${props.name}: expires must be YYYY-MM-DD, got "${props.expires}"`,
      );
    }
    const conditions: { name: string; expression: string }[] = [];
    if (props.objectNamespace) {
      conditions.push({
        name: 'tenant-namespace',
        expression: `object.metadata.namespace == ${quote(props.objectNamespace)}`,
      });
    }
    if (props.resources && props.resources.length > 0) {
      const terms = props.resources.map((r) => {
        const [kind, name] = r.split('/');
        return `(object.kind == ${quote(kind!)} && object.metadata.name == ${quote(name!)})`;
      });
      conditions.push({ name: 'resources', expression: terms.join(' || ') });
    }
    // Built as a plain ApiObject with the generated class's GVK: the generated class types
    // spec.expiresAt as a Date, which cdk8s can neither resolve nor serialize, while the CRD
    // wants an RFC 3339 string (the end of the last valid day, UTC).
    new ApiObject(this, 'Resource', {
      ...PolicyExceptionV1Beta1.GVK,
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: { 'platform.agentic.io/justification': props.justification },
      },
      spec: {
        policyRefs: [{ kind: 'ValidatingPolicy', name: props.policy }],
        expiresAt: `${props.expires}T23:59:59Z`,
        ...(conditions.length > 0 ? { matchConditions: conditions } : {}),
      },
    });
  }
}
