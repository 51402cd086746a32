import { Construct } from 'constructs';
import {
  ValidatingPolicyV1Beta1,
  ValidatingPolicyV1Beta1SpecValidationActions,
} from '../../imports/kyverno-validatingpolicy-policies.kyverno.io';
import { LABELS } from '../../src/model/conventions';
import type { ObjectGuardrail } from '../../src/spec/guardrail';

export interface GuardrailPolicyProps {
  /** The guardrail, with this environment's parameters already filled in. */
  readonly guardrail: ObjectGuardrail;
  /** `Deny` refuses violating requests; `Audit` records them in policy reports. */
  readonly action: 'Audit' | 'Deny';
}

/**
 * One guardrail as a Kyverno ValidatingPolicy: the very CEL expressions CI evaluates over
 * dist/, enforced at admission for whatever reaches the cluster another way.
 */
export class GuardrailPolicy extends Construct {
  constructor(scope: Construct, id: string, props: GuardrailPolicyProps) {
    super(scope, id);
    const g = props.guardrail;
    if (g.ciOnly) {
      throw new Error(
        `GuardrailPolicy ${g.id}: the guardrail is CI-only (${g.ciOnly}); do not emit it to the cluster`,
      );
    }
    const rules = new Map<
      string,
      { apiGroups: string[]; apiVersions: string[]; resources: string[] }
    >();
    for (const m of g.match) {
      const [group, version] = m.apiVersion.includes('/')
        ? m.apiVersion.split('/')
        : ['', m.apiVersion];
      const key = `${group}/${version}`;
      const rule = rules.get(key) ?? {
        apiGroups: [group!],
        apiVersions: [version!],
        resources: [],
      };
      rule.resources.push(m.resource);
      rules.set(key, rule);
    }
    new ValidatingPolicyV1Beta1(this, 'Resource', {
      metadata: {
        name: g.id,
        annotations: {
          'policies.kyverno.io/title': g.title,
          'policies.kyverno.io/category': g.category,
          'policies.kyverno.io/severity': g.severity === 'error' ? 'high' : 'medium',
          'policies.kyverno.io/description': g.description,
        },
      },
      spec: {
        validationActions: [
          props.action === 'Deny'
            ? ValidatingPolicyV1Beta1SpecValidationActions.DENY
            : ValidatingPolicyV1Beta1SpecValidationActions.AUDIT,
        ],
        matchConstraints: {
          resourceRules: [...rules.values()].map((r) => ({
            ...r,
            operations: ['CREATE', 'UPDATE'],
          })),
          ...(g.namespaces === 'tenant'
            ? {
                namespaceSelector: {
                  matchExpressions: [{ key: LABELS.tenant, operator: 'Exists' }],
                },
              }
            : {}),
        },
        ...(g.variables.length > 0
          ? { variables: g.variables.map((v) => ({ name: v.name, expression: v.expression })) }
          : {}),
        validations: g.validations.map((v) => ({
          expression: v.expression,
          message: v.message,
          ...(v.messageExpression ? { messageExpression: v.messageExpression } : {}),
        })),
      },
    });
  }
}
