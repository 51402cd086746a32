/** IAM policy documents as typed values, rendered to the JSON string Terraform expects. */

export interface PolicyStatement {
  readonly sid: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Condition block: operator -> key -> value(s). */
  readonly conditions?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[]>>>
  >;
  /** Set for resource policies (key and bucket policies) only. */
  readonly principals?: Readonly<Record<string, string | readonly string[]>> | '*';
}

/**
 * Renders statements as a policy JSON string. Terraform references inside values stay as
 * `${...}` interpolations in the string, which Terraform resolves at plan time, and the
 * guardrails can still parse the document.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect ?? 'Allow',
      ...(s.principals ? { Principal: s.principals } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** Trust policy letting an AWS service assume a role. */
export function serviceTrustPolicy(
  service: string,
  actions: readonly string[] = ['sts:AssumeRole'],
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ServiceAssume', Effect: 'Allow', Principal: { Service: service }, Action: actions },
    ],
  });
}
