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

/** An array-index key: enumerated first by JavaScript, ascending by value. */
function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && ARRAY_INDEX.test(k) && Number(k) < 2 ** 32 - 1;
}

/**
 * Keys in the order `yaml` meets them in the object sortKeys rebuilds: JavaScript enumerates
 * array-index keys first, ascending by value, then the others in insertion (sorted) order.
 * Keys whose value is `undefined` are left out, as `yaml` does.
 */
function orderedKeys(map: Readonly<Record<string, unknown>>): string[] {
  const keys: string[] = [];
  let indexed = false;
  for (const k in map) {
    if (!Object.hasOwn(map, k) || map[k] === undefined) continue;
    keys.push(k);
    if (!indexed && isIndexKey(k)) indexed = true;
  }
  keys.sort();
  if (!indexed) return keys;
  const index = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return [...index, ...keys.filter((k) => !isIndexKey(k))];
}

/**
 * A collection at `indent` (its first line is not indented: the caller placed it), `[]` or
 * `{}` when empty. A map's keys are ordered once and handed down with it.
 */
function block(c: Collection, indent: number): string {
  if (Array.isArray(c)) return c.length === 0 ? '[]' : sequence(c, indent);
  const map = c as Readonly<Record<string, unknown>>;
  const keys = orderedKeys(map);
  return keys.length === 0 ? '{}' : mapping(map, keys, indent);
}

function sequence(c: readonly unknown[], indent: number): string {
  let out = '';
  const sep = `\n${' '.repeat(indent)}`;
  for (let i = 0; i < c.length; i++) {
    const item = c[i];
    if (item === undefined) throw OUTSIDE_FAST_PATH;
    if (i > 0) out += sep;
    out += isCollection(item) ? `- ${block(item, indent + 2)}` : `- ${scalar(item, indent)}`;
  }
  return out;
}

function mapping(map: Readonly<Record<string, unknown>>, keys: readonly string[], indent: number) {
  let out = '';
  const sep = `\n${' '.repeat(indent)}`;
  const inner = `\n${' '.repeat(indent + 2)}`;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = map[k];
    if (i > 0) out += sep;
    out += keyText(k);
    if (!isCollection(v)) out += `: ${scalar(v, indent)}`;
    else {
      const text = block(v, indent + 2);
      // An empty collection stays on the key's line, as `yaml` writes it.
      out += text === '[]' || text === '{}' ? `: ${text}` : `:${inner}${text}`;
    }
  }
  return out;
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

/**
 * Strings `yaml` writes as they are, as a value and as a key, decided without asking it: a
 * letter, then letters, digits and `._/-`. No indicator, space, colon or `#` can make them
 * quoted, and starting with a letter no number tag matches them; of the core schema's other
 * tags only these words do (null and bool), so they are left to `yaml`.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const NOT_PLAIN = new Set([
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
]);

function isPlain(s: string): boolean {
  return PLAIN.test(s) && !NOT_PLAIN.has(s);
}

function scalarForm(s: string): ScalarForm {
  if (isPlain(s)) return s;
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
  if (isPlain(k)) return remember(keys, k, k);
  const text = stringify({ [k]: null }, YAML_OPTIONS);
  if (!text.endsWith(': null\n') || text.slice(0, -': null\n'.length).includes('\n')) {
    throw OUTSIDE_FAST_PATH;
  }
  return remember(keys, k, text.slice(0, -': null\n'.length));
}
