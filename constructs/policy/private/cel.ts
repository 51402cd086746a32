/**
 * Small helpers for writing CEL into policies from typed values, so constants reach the
 * cluster without hand-quoting.
 */

/**
 * A CEL literal for plain JSON data. JSON strings, numbers, booleans, null, lists and maps
 * with string keys are valid CEL literals of the same value.
 */
export function celLiteral(value: unknown): string {
  return JSON.stringify(value);
}

/** One JSON Pointer segment (RFC 6901): `~` and `/` escaped. */
export function jsonPointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A CEL expression reading `key` from a string map that may be absent or lack it, e.g. labels. */
export function celMapValue(map: string, key: string): string {
  return `(has(${map}) && ${celLiteral(key)} in ${map} ? ${map}[${celLiteral(key)}] : "")`;
}

/** A CEL expression, kept as written when embedded by {@link celObject}. */
export class CelExpression {
  constructor(public readonly expression: string) {}
}

/**
 * A CEL object literal of a Kubernetes object whose leaves are constants or
 * {@link CelExpression}s. Map values are wrapped in `dyn()`, since a map's values differ in
 * type (`port` is an int beside string names), as Kyverno's generator expects.
 */
export function celObject(value: unknown): string {
  if (value instanceof CelExpression) return value.expression;
  if (Array.isArray(value)) return `[${value.map(celObject).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${celLiteral(k)}: dyn(${celObject(v)})`);
    return `{${entries.join(', ')}}`;
  }
  return celLiteral(value);
}
