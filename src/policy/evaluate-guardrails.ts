import { isCelError } from '@bufbuild/cel';
import { compileCel } from './cel';
import { LABELS } from '../model/conventions';
import type { BundleGuardrail, GuardrailSpec, ObjectGuardrail } from '../spec/guardrail';

type Json = Record<string, unknown>;

/** The outcome of one guardrail on one object (or one tenant bundle). */
export interface GuardrailResult {
  readonly matched: boolean;
  /** Messages of the validations that evaluated to false. */
  readonly violations: readonly string[];
  /** Expressions that failed to evaluate; Kyverno fails closed on these, so do we. */
  readonly errors: readonly string[];
}

/**
 * JSON → CEL input: objects become maps and integral numbers CEL ints, as the API server
 * decodes them for admission (Kubernetes JSON has no floats where ints are declared).
 */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object')
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

function run(g: GuardrailSpec, bindings: Record<string, unknown>): GuardrailResult {
  const violations: string[] = [];
  const errors: string[] = [];
  const variables = new Map<string, unknown>();
  const ctx = { ...bindings, variables };
  for (const v of g.variables) {
    const value = compileCel(v.expression)(ctx);
    if (isCelError(value)) {
      errors.push(`variable ${v.name}: ${value.message}`);
      return { matched: true, violations, errors };
    }
    variables.set(v.name, value);
  }
  for (const check of g.validations) {
    const result = compileCel(check.expression)(ctx);
    if (result === true) continue;
    if (result === false) violations.push(violationMessage(check, ctx));
    else
      errors.push(
        `${check.expression}: ${isCelError(result) ? result.message : `returned ${String(result)}, not a bool`}`,
      );
  }
  return { matched: true, violations, errors };
}

/** `messageExpression` where it yields a non-empty string, else `message` (Kyverno's rule). */
function violationMessage(
  check: GuardrailSpec['validations'][number],
  ctx: Record<string, unknown>,
): string {
  if (!check.messageExpression) return check.message;
  const m = compileCel(check.messageExpression)(ctx);
  return typeof m === 'string' && m.trim() !== '' ? m : check.message;
}

/** Whether an object guardrail applies to `object`, given its namespace (when it has one). */
export function guardrailMatches(
  g: ObjectGuardrail,
  object: Json,
  namespaceObject?: Json,
): boolean {
  const kindMatches = g.match.some(
    (m) => m.apiVersion === object.apiVersion && m.kind === object.kind,
  );
  if (!kindMatches) return false;
  if (g.namespaces === 'all') return true;
  const labels = ((namespaceObject?.metadata as Json | undefined)?.labels ?? {}) as Record<
    string,
    string
  >;
  return LABELS.tenant in labels;
}

/**
 * `toCel` that converts each object once: an object is evaluated by every guardrail that
 * matches its kind, and a tenant's Namespace is bound beside each of its objects (at 1,000
 * tenants, ~94,000 evaluations converted the same objects again and again). For objects that
 * are not changed while it is in use: one a check run.
 */
export function celConverter(): (value: Json | readonly Json[]) => unknown {
  const converted = new WeakMap<object, unknown>();
  const convert = (value: Json | readonly Json[]): unknown => {
    if (Array.isArray(value)) return value.map((v: Json) => convert(v));
    let cel = converted.get(value);
    if (cel === undefined) converted.set(value, (cel = toCel(value)));
    return cel;
  };
  return convert;
}

/**
 * Evaluates an object guardrail with the bindings Kyverno gives a ValidatingPolicy. `cel`
 * converts the bound objects (a `celConverter` to share the conversions between guardrails).
 */
export function evaluateObject(
  g: ObjectGuardrail,
  object: Json,
  namespaceObject?: Json,
  cel: (value: Json) => unknown = toCel,
): GuardrailResult {
  if (!guardrailMatches(g, object, namespaceObject))
    return { matched: false, violations: [], errors: [] };
  return run(g, {
    object: cel(object),
    namespaceObject: namespaceObject ? cel(namespaceObject) : null,
  });
}

/**
 * Evaluates a bundle guardrail over every object of one tenant folder, bound as `objects`,
 * with the tenant's namespace as `tenantNamespace` (`namespace` is reserved in CEL).
 */
export function evaluateBundle(
  g: BundleGuardrail,
  tenantNamespace: string,
  objects: readonly Json[],
  cel: (value: readonly Json[]) => unknown = toCel,
): GuardrailResult {
  return run(g, { tenantNamespace, objects: cel(objects) });
}
