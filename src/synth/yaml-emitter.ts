import { stringify } from 'yaml';

/**
 * The options every generated YAML file is written with: no line folding (a long string stays
 * on one line, so a one-word change is a one-line diff) and no anchors for repeated objects.
 */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * Writes `value` as the YAML document `yaml`'s `stringify(sortKeys(value), YAML_OPTIONS)` writes,
 * byte for byte, in a fraction of its time: synth writes ~120 files per tenant and environment,
 * and building a `yaml` node tree for each was half of synth's CPU time at 1,000 tenants.
 *
 * This writes the block structure (maps, sequences, indentation) itself and asks `yaml` only how
 * to write each distinct scalar, memoized, so quoting, escaping and block scalars are exactly
 * `yaml`'s. Anything outside the shapes synth produces (a scalar document, a multi-line key, a
 * non-finite number, `undefined` in a list, a non-plain object) goes to `yaml` whole.
 * `test/synth/yaml-emitter.test.ts` compares both over all of dist/ and a generated corpus.
 */
export function emitYaml(value: unknown): string {
  if (!isCollection(value)) return fallback(value);
  try {
    return `${block(value, 0)}\n`;
  } catch (e) {
    if (e === OUTSIDE_FAST_PATH) return fallback(value);
    throw e;
  }
}

const OUTSIDE_FAST_PATH = Symbol('outside the fast path');

function fallback(value: unknown): string {
  return stringify(sortKeysLikeYaml(value), YAML_OPTIONS);
}

/** Sorted keys, rebuilt as `sortKeys` in render.ts does, so `yaml` sees the same order. */
function sortKeysLikeYaml(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysLikeYaml);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = sortKeysLikeYaml((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

type Collection = readonly unknown[] | Readonly<Record<string, unknown>>;

function isCollection(v: unknown): v is Collection {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) throw OUTSIDE_FAST_PATH;
  return true;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Keys in the order `yaml` meets them in the object sortKeys rebuilds: JavaScript enumerates
 * array-index keys first, ascending by value, then the others in insertion (sorted) order.
 * Keys whose value is `undefined` are left out, as `yaml` does.
 */
function orderedKeys(map: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(map)
    .filter((k) => map[k] !== undefined)
    .sort();
  if (!keys.some((k) => ARRAY_INDEX.test(k) && Number(k) < 2 ** 32 - 1)) return keys;
  const index = keys
    .filter((k) => ARRAY_INDEX.test(k) && Number(k) < 2 ** 32 - 1)
    .sort((a, b) => Number(a) - Number(b));
  return [...index, ...keys.filter((k) => !index.includes(k))];
}

function isEmpty(c: Collection): boolean {
  return Array.isArray(c) ? c.length === 0 : orderedKeys(c as Record<string, unknown>).length === 0;
}

/** A non-empty collection at `indent`; its first line is not indented (the caller placed it). */
function block(c: Collection, indent: number): string {
  if (isEmpty(c)) return Array.isArray(c) ? '[]' : '{}';
  const sep = `\n${' '.repeat(indent)}`;
  if (Array.isArray(c)) {
    return c
      .map((item) => {
        if (item === undefined) throw OUTSIDE_FAST_PATH;
        if (isCollection(item)) return `- ${block(item, indent + 2)}`;
        return `- ${scalar(item, indent)}`;
      })
      .join(sep);
  }
  const map = c as Readonly<Record<string, unknown>>;
  return orderedKeys(map)
    .map((k) => {
      const v = map[k];
      const key = keyText(k);
      if (isCollection(v)) {
        if (isEmpty(v)) return `${key}: ${Array.isArray(v) ? '[]' : '{}'}`;
        return `${key}:\n${' '.repeat(indent + 2)}${block(v, indent + 2)}`;
      }
      return `${key}: ${scalar(v, indent)}`;
    })
    .join(sep);
}

/** How `yaml` writes a scalar as a map value: one line, or a block scalar's header and lines. */
type ScalarForm = string | { readonly header: string; readonly lines: readonly string[] };

const scalars = new Map<string, ScalarForm>();
const keys = new Map<string, string>();
const MEMO_LIMIT = 200_000;

function remember<V>(memo: Map<string, V>, k: string, v: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(k, v);
  return v;
}

/** A scalar value whose line starts at `indent` (a block scalar's lines go 2 deeper). */
function scalar(v: unknown, indent: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw OUTSIDE_FAST_PATH;
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v !== 'string') throw OUTSIDE_FAST_PATH;
  const form = scalars.get(v) ?? remember(scalars, v, scalarForm(v));
  if (typeof form === 'string') return form;
  const pad = ' '.repeat(indent + 2);
  return `${form.header}\n${form.lines.map((l) => (l === '' ? '' : pad + l)).join('\n')}`;
}

function scalarForm(s: string): ScalarForm {
  // As the value of a one-letter key at the top level: `k: <scalar>\n`, a block scalar's lines
  // indented by 2.
  const text = stringify({ k: s }, YAML_OPTIONS);
  const body = text.slice('k: '.length, -1);
  const nl = body.indexOf('\n');
  if (nl < 0) return body;
  const header = body.slice(0, nl);
  if (!/^[|>]/.test(header)) throw OUTSIDE_FAST_PATH;
  const lines = body.slice(nl + 1).split('\n');
  for (const l of lines) if (l !== '' && !l.startsWith('  ')) throw OUTSIDE_FAST_PATH;
  return { header, lines: lines.map((l) => l.slice(2)) };
}

function keyText(k: string): string {
  const known = keys.get(k);
  if (known !== undefined) return known;
  const text = stringify({ [k]: null }, YAML_OPTIONS);
  if (!text.endsWith(': null\n') || text.slice(0, -': null\n'.length).includes('\n')) {
    throw OUTSIDE_FAST_PATH;
  }
  return remember(keys, k, text.slice(0, -': null\n'.length));
}
