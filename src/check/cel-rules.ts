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
  walk(schema, value, false, undefined, path, findings);
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

/** What the walk needs of a schema node, derived once per node (CRD schemas are trees). */
interface NodeFacts {
  /** The node's rules that run on create (transition rules, using `oldSelf`, do not). */
  readonly rules: readonly Rule[];
  /** Whether the node or any node below it has such a rule: a subtree without one is skipped. */
  readonly ruled: boolean;
}

const facts = new WeakMap<JsonSchema, NodeFacts>();

function factsOf(schema: JsonSchema): NodeFacts {
  const known = facts.get(schema);
  if (known) return known;
  const all = (schema['x-kubernetes-validations'] as Rule[] | undefined) ?? [];
  const rules = all.filter((r) => !/\boldSelf\b/.test(r.rule));
  const below = [
    ...Object.values((schema.properties as Record<string, JsonSchema> | undefined) ?? {}),
    ...(typeof schema.items === 'object' ? [schema.items as JsonSchema] : []),
    ...(typeof schema.additionalProperties === 'object'
      ? [schema.additionalProperties as JsonSchema]
      : []),
  ];
  const out = { rules, ruled: rules.length > 0 || below.some((s) => factsOf(s).ruled) };
  facts.set(schema, out);
  return out;
}

/**
 * Evaluates every rule at or below `schema` against `value`, as if the whole object had been
 * defaulted (applyDefaults) and converted (toCel) first, but doing each only where a rule
 * reads it: a subtree with no rule is neither defaulted, converted nor walked, defaults are
 * applied once at the first node with a rule (`defaulted` below it), and `cel`, the node's
 * value already converted by a rule node above, is reused instead of converting it again.
 * At 1,000 tenants, defaulting, converting and walking every object whole was most of the
 * check's CRD-rule time (HTTPRoutes carry 90 rules, most of them below spec.rules).
 */
function walk(
  schema: JsonSchema,
  value: unknown,
  defaulted: boolean,
  cel: unknown,
  path: string,
  findings: CelFinding[],
): void {
  if (value === undefined || value === null) return;
  const { rules, ruled } = factsOf(schema);
  if (!ruled) return;
  if (rules.length > 0) {
    if (!defaulted) {
      value = applyDefaults(schema, value);
      defaulted = true;
      cel = undefined;
    }
    // Converted once for all the node's rules (evaluation only reads it).
    cel ??= toCel(value, schema);
    for (const r of rules) {
      const result = evaluate(r.rule, cel);
      if (result === true) continue;
      const where = path === '' ? '(root)' : path;
      findings.push({
        path: where,
        rule: r.rule,
        message:
          result === false
            ? `${where}: ${r.message ?? `fails the CRD rule ${r.rule}`} (CEL rule of the CRD)`
            : `${where}: CRD rule could not be evaluated (${result}): ${r.rule}`,
      });
    }
  }
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    const celItems = cel as unknown[] | undefined;
    if (items)
      value.forEach((v, i) => walk(items, v, defaulted, celItems?.[i], `${path}[${i}]`, findings));
    return;
  }
  if (typeof value !== 'object') return;
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const additional = schema.additionalProperties as JsonSchema | boolean | undefined;
  const celMap = cel as Map<string, unknown> | undefined;
  const object = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(object)) {
    const sub = props?.[k] ?? (typeof additional === 'object' ? additional : undefined);
    if (sub) walk(sub, v, defaulted, celMap?.get(k), path === '' ? k : `${path}.${k}`, findings);
  }
  if (defaulted || !props) return;
  // Not yet defaulted: a field absent here but defaulted by the schema is walked as the API
  // server would see it (applyDefaults adds such fields after the present ones, in this order).
  for (const [k, sub] of Object.entries(props)) {
    if (object[k] === undefined && sub.default !== undefined && factsOf(sub).ruled)
      walk(
        sub,
        applyDefaults(sub, structuredClone(sub.default)),
        true,
        undefined,
        path === '' ? k : `${path}.${k}`,
        findings,
      );
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
