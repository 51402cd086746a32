/**
 * IAM policy documents as typed values: the object both engines render (cdktf as the JSON
 * string Terraform expects, with `${...}` references inside; the description as a value whose
 * references the Pulumi program resolves). `V` is the type of a resource reference.
 */

export interface PolicyStatement<V = string> {
  readonly sid: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly (string | V)[];
  /** Condition block: operator -> key -> value(s). */
  readonly conditions?: Readonly<
    Record<string, Readonly<Record<string, string | V | readonly (string | V)[]>>>
  >;
  /** Set for resource policies (key and bucket policies) only. */
  readonly principals?: Readonly<Record<string, string | readonly string[]>> | '*';
}

/** The policy document object, field order as IAM shows it. */
export function policyObject<V>(statements: readonly PolicyStatement<V>[]) {
  return {
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect ?? 'Allow',
      ...(s.principals ? { Principal: s.principals } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  };
}

/**
 * Renders statements as a policy JSON string. Terraform references inside values stay as
 * `${...}` interpolations in the string, which Terraform resolves at plan time, and the
 * guardrails can still parse the document.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(policyObject(statements));
}

/** Trust policy object letting an AWS service assume a role. */
export function trustPolicyObject(
  service: string,
  actions: readonly string[] = ['sts:AssumeRole'],
) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ServiceAssume', Effect: 'Allow', Principal: { Service: service }, Action: actions },
    ],
  };
}

/** Trust policy letting an AWS service assume a role, as a JSON string. */
export function serviceTrustPolicy(
  service: string,
  actions: readonly string[] = ['sts:AssumeRole'],
): string {
  return JSON.stringify(trustPolicyObject(service, actions));
}
