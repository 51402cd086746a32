import { isCelError } from '@bufbuild/cel';
import { compileCel } from '../policy/cel';

type JsonSchema = Record<string, unknown>;

interface Rule {
  rule: string;
  message?: string;
  messageExpression?: string;
}

/** A CRD validation rule (`x-kubernetes-validations`) that a manifest breaks. */
export interface CelFinding {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * Evaluates the CEL rules a CRD schema carries (`x-kubernetes-validations`) against an object,
 * the way the API server does on create: `self` is the value at the rule's node, integers
 * are CEL ints. JSON Schema alone skips these rules (agentgateway's one-of provider blocks,
 * kagent's tool kinds), so a manifest could pass validation and still be refused by the API
 * server. Transition rules (using `oldSelf`) only run on update and are not evaluated. A rule
 * this engine cannot evaluate is reported, never passed silently.
 */
export function evaluateCelRules(schema: JsonSchema, value: unknown, path = ''): CelFinding[] {
  const findings: CelFinding[] = [];
  walk(schema, applyDefaults(schema, value), path, findings);
  return findings;
}

/**
 * Fills absent fields from the schema's `default`s, recursively, as the API server does
 * before it validates: rules such as Gateway API's `size(self.group) == 0` rely on it.
 */
export function applyDefaults(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema || value === null || value === undefined) return value;
  if (Array.isArray(value))
    return value.map((v) => applyDefaults(schema.items as JsonSchema | undefined, v));
  if (typeof value !== 'object') return value;
  const props = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  const additional =
    typeof schema.additionalProperties === 'object'
      ? (schema.additionalProperties as JsonSchema)
      : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = applyDefaults(props[k] ?? additional, v);
  for (const [k, sub] of Object.entries(props)) {
    if (out[k] === undefined && sub.default !== undefined)
      out[k] = applyDefaults(sub, structuredClone(sub.default));
  }
  return out;
}

function walk(schema: JsonSchema, value: unknown, path: string, findings: CelFinding[]): void {
  if (value === undefined || value === null) return;
  const rules = (schema['x-kubernetes-validations'] as Rule[] | undefined) ?? [];
  // Converted once for all the node's rules (evaluation only reads it).
  let self: unknown;
  for (const r of rules) {
    if (/\boldSelf\b/.test(r.rule)) continue;
    self ??= toCel(value, schema);
    const result = evaluate(r.rule, self);
    if (result === true) continue;
    const where = path === '' ? '(root)' : path;
    if (result === false) {
      findings.push({
        path: where,
        rule: r.rule,
        message: `${where}: ${r.message ?? `fails the CRD rule ${r.rule}`} (CEL rule of the CRD)`,
      });
    } else {
      findings.push({
        path: where,
        rule: r.rule,
        message: `${where}: CRD rule could not be evaluated (${result}): ${r.rule}`,
      });
    }
  }
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const additional = schema.additionalProperties as JsonSchema | boolean | undefined;
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    if (items) value.forEach((v, i) => walk(items, v, `${path}[${i}]`, findings));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = props?.[k] ?? (typeof additional === 'object' ? additional : undefined);
      if (sub) walk(sub, v, path === '' ? k : `${path}.${k}`, findings);
    }
  }
}

function evaluate(rule: string, self: unknown): true | false | string {
  try {
    const result = compileCel(rule)({ self });
    if (result === true || result === false) return result;
    if (isCelError(result)) return result.message;
    return `rule returned ${String(result)}, not a bool`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** JSON → CEL value: objects become maps, integral numbers ints where the schema says so. */
function toCel(value: unknown, schema: JsonSchema | undefined): unknown {
  if (Array.isArray(value))
    return value.map((v) => toCel(v, schema?.items as JsonSchema | undefined));
  if (value && typeof value === 'object') {
    const props = schema?.properties as Record<string, JsonSchema> | undefined;
    const additional = schema?.additionalProperties;
    return new Map(
      Object.entries(value).map(([k, v]) => [
        k,
        toCel(
          v,
          props?.[k] ?? (typeof additional === 'object' ? (additional as JsonSchema) : undefined),
        ),
      ]),
    );
  }
  if (typeof value === 'number') {
    const integral =
      schema?.type === 'integer' ||
      schema?.['x-kubernetes-int-or-string'] === true ||
      (schema?.type === undefined && Number.isInteger(value));
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  return value;
}
