import type { MemoEntry, SpecMemo } from './spec-memo';
import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type EmptyStream,
  type YAMLError,
} from 'yaml';
import type { ZodType } from 'zod';
import { formatPath, type SpecIssue } from './errors';

/** Limits that keep a hostile or broken file from stalling CI (YAML bombs, huge files). */
export const SPEC_LIMITS = {
  /** Bytes per spec file; a tenant with hundreds of agents stays far below this. */
  maxFileBytes: 256 * 1024,
  /** Alias expansions per document; specs need none, a "billion laughs" needs millions. */
  maxAliasCount: 16,
  /** Nesting depth of mappings and sequences. */
  maxDepth: 32,
  /**
   * Size of the parsed spec as JSON, after aliases are expanded: no more than a file without
   * aliases could hold. This, with the per-field bounds, is what keeps every derived object
   * (a catalog ConfigMap, an Agent) below Kubernetes' 1 MiB object limit.
   */
  maxDataBytes: 256 * 1024,
} as const;

/** One YAML file as read from the repository, before any interpretation. */
export interface SourceFile {
  /** Path relative to the repository root, with `/` separators (`tenants/acme.yaml`). */
  readonly path: string;
  readonly content: string;
}

/** A spec file's text with the way from an offset to its field: what the secret scan reads. */
export interface SpecText {
  readonly file: string;
  /** The file's text, as read. */
  readonly text: string;
  /** The field path of the innermost node at `offset` of `text`, and the offset's line:col. */
  locate(offset: number): Position;
  /**
   * Values that differ from their text by more than quoting and folding: double-quoted
   * scalars with escape sequences (`"\x41KIA…"`), with where each starts.
   */
  escapedStrings(): readonly { readonly value: string; readonly at: Position }[];
}

/** A parsed, schema-valid spec together with where each field came from. */
export interface Located<T> extends SpecText {
  readonly spec: T;
  /** Line (1-based) of the node at `path`, or of its closest existing parent. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Where something is in a spec file: field path, line and column (both 1-based). */
export interface Position {
  readonly path: readonly PropertyKey[];
  readonly line: number;
  readonly column: number;
}

/**
 * Parses one YAML spec file and validates it against `schema`.
 * Returns the spec, or the issues that prevent it; never throws for bad input.
 */
export function parseSpecFile<T>(
  source: SourceFile,
  schema: ZodType<T>,
  memo?: { readonly memo: SpecMemo; readonly schema: string },
): ParsedSpec<T> {
  const hit = memo?.memo.get(memo.schema, source.content);
  if (hit) return { ok: true, value: fromMemo(source, schema, hit as MemoEntry & { spec: T }) };
  const parsed = parseFresh(source, schema);
  if (memo && parsed.ok) {
    memo.memo.put(memo.schema, source.content, {
      spec: parsed.value.spec,
      escaped: parsed.value.escapedStrings(),
    });
  }
  return parsed;
}

type ParsedSpec<T> =
  | { ok: true; value: Located<T> }
  | {
      ok: false;
      issues: SpecIssue[];
      /** The file's text when it is YAML of a sane size and only the schema refused it. */
      text?: SpecText;
    };

/**
 * A spec from its memo entry: the same spec and escapes as parsing it gives (the entry is of
 * these exact bytes and this code). Positions are only wanted for an error message, so the
 * file is parsed again the first time one is asked for.
 */
function fromMemo<T>(source: SourceFile, schema: ZodType<T>, entry: MemoEntry & { spec: T }) {
  let parsed: Located<T> | undefined;
  const full = (): Located<T> => {
    if (parsed) return parsed;
    const again = parseFresh(source, schema);
    if (!again.ok) throw new Error(`${source.path}: its memo entry no longer parses; delete .tmp/`);
    return (parsed = again.value);
  };
  const value: Located<T> = {
    file: source.path,
    text: source.content,
    spec: structuredClone(entry.spec),
    locate: (offset) => full().locate(offset),
    lineOf: (p) => full().lineOf(p),
    escapedStrings: () => entry.escaped,
  };
  return value;
}

function parseFresh<T>(source: SourceFile, schema: ZodType<T>): ParsedSpec<T> {
  const file = source.path;
  const bytes = Buffer.byteLength(source.content, 'utf8');
  if (bytes > SPEC_LIMITS.maxFileBytes) {
    return fail(
      file,
      '',
      `file is ${bytes} bytes; the limit is ${SPEC_LIMITS.maxFileBytes} bytes. Split the tenant or trim it.`,
    );
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[] | EmptyStream;
  try {
    docs = parseAllDocuments(source.content, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
    }) as Document.Parsed[] | EmptyStream;
  } catch (err) {
    // The parser recurses per nesting level: thousands of "[" exhaust the stack before the
    // depth limit below can be checked.
    return fail(file, '', `is refused by the YAML parser: ${(err as Error).message}`);
  }
  const at = (offset: number) => lineCounter.linePos(offset);
  if (!Array.isArray(docs) || docs.length === 0) {
    return fail(file, '', 'is empty; a spec file holds one YAML mapping');
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const pos = at(second.contents?.range[0] ?? second.range[0]);
    return {
      ok: false,
      issues: [
        {
          file,
          path: '',
          line: pos.line,
          column: pos.col,
          message: `holds ${docs.length} YAML documents; the second starts here. A spec file holds exactly one: remove the "---" separator or move the rest to its own file`,
        },
      ],
    };
  }
  const doc = docs[0]!;
  const yamlIssues = describeYamlErrors(doc, [...doc.errors, ...doc.warnings], at);
  if (yamlIssues.length > 0) {
    return { ok: false, issues: yamlIssues.map((i) => ({ file, ...i })) };
  }
  /** Line and column of the node at `path`, or of its closest existing parent. */
  const positionOf = (path: readonly PropertyKey[]): { line: number; col: number } | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as
        { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]);
    }
    return undefined;
  };
  const lineOf = (path: readonly PropertyKey[]): number | undefined => positionOf(path)?.line;
  const depth = maxDepth(doc.contents);
  if (depth > SPEC_LIMITS.maxDepth) {
    return fail(file, '', `nests ${depth} levels deep; the limit is ${SPEC_LIMITS.maxDepth}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: SPEC_LIMITS.maxAliasCount });
  } catch (err) {
    return fail(file, '', `is refused: ${(err as Error).message}`);
  }
  const dataBytes = Buffer.byteLength(JSON.stringify(data) ?? '', 'utf8');
  if (dataBytes > SPEC_LIMITS.maxDataBytes) {
    return fail(
      file,
      '',
      `expands to ${dataBytes} bytes of data (aliases included); the limit is ${SPEC_LIMITS.maxDataBytes}. Split the spec`,
    );
  }
  const locate = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { path: pathAt(doc.contents, offset), line, column: col };
  };
  const text: SpecText = {
    file,
    text: source.content,
    locate,
    escapedStrings: () =>
      source.content.includes('\\') ? escapedScalars(doc.contents, source.content, locate) : [],
  };
  const result = schema.safeParse(data);
  if (!result.success) {
    return {
      ok: false,
      text,
      issues: result.error.issues.map((issue) => {
        // Unknown keys are reported on the parent; point at the key itself so the fix is obvious.
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const path = keys.length === 1 ? [...issue.path, keys[0]!] : issue.path;
        const pos = positionOf(path);
        return {
          file,
          path: formatPath(path),
          line: pos?.line,
          ...(pos ? { column: pos.col } : {}),
          message: describeZodIssue(issue),
        };
      }),
    };
  }
  return { ok: true, value: { ...text, spec: result.data, lineOf } };
}

function describeZodIssue(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    return `unknown field${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the schema`;
  }
  return issue.message;
}

type YamlIssue = Omit<SpecIssue, 'file'>;

/**
 * One issue per YAML problem, each with line and column. Every duplicate key is its own
 * problem and names the key and its field path; of the other errors only the first is kept,
 * because a syntax error (a tab used as indentation, an unclosed bracket) makes the parser
 * report follow-on errors for the lines after it that the author has nothing to fix in.
 */
function describeYamlErrors(
  doc: Document.Parsed,
  errors: readonly YAMLError[],
  at: (offset: number) => { line: number; col: number },
): YamlIssue[] {
  const out: YamlIssue[] = [];
  let syntax: YamlIssue | undefined;
  for (const e of errors) {
    const pos = at(e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const dup = findKey(doc.contents, e.pos[0], []);
      const key = dup ? String(dup.key) : '?';
      const first = dup?.firstOffset === undefined ? undefined : at(dup.firstOffset).line;
      out.push({
        path: dup ? formatPath([...dup.path, key]) : '',
        line: pos.line,
        column: pos.col,
        message: `duplicate key "${key}"${first === undefined ? '' : ` (first set on line ${first})`}; a key may appear once in a mapping, remove one of them`,
      });
    } else if (syntax === undefined) {
      syntax = {
        path: '',
        line: pos.line,
        column: pos.col,
        message: `is not valid YAML: ${e.message.split('\n')[0]}`,
      };
    }
  }
  return syntax ? [syntax, ...out] : out;
}

/** The key node starting at `offset`, its parent path, and where the same key first appears. */
function findKey(
  node: unknown,
  offset: number,
  path: PropertyKey[],
): { key: unknown; path: PropertyKey[]; firstOffset?: number } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (isScalar(key) && key.range?.[0] === offset) {
        const first = node.items.find((p) => isScalar(p.key) && p.key.value === key.value);
        const firstKey = first?.key;
        return {
          key: key.value,
          path,
          ...(isScalar(firstKey) && firstKey.range ? { firstOffset: firstKey.range[0] } : {}),
        };
      }
      const keyName = isScalar(key) ? (key.value as PropertyKey) : '?';
      const hit = findKey(pair.value, offset, [...path, keyName]);
      if (hit) return hit;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const hit = findKey(node.items[i], offset, [...path, i]);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Whether `offset` lies in `node`'s source text. */
function holds(node: unknown, offset: number): boolean {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range !== undefined && range[0] <= offset && offset < range[1];
}

/** The path of the innermost map entry or sequence item whose text holds `offset`. */
function pathAt(root: unknown, offset: number): PropertyKey[] {
  const path: PropertyKey[] = [];
  let node = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => holds(p.key, offset) || holds(p.value, offset));
      if (!pair) return path;
      path.push(isScalar(pair.key) ? (pair.key.value as PropertyKey) : '?');
      if (holds(pair.key, offset)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => holds(item, offset));
      if (i < 0) return path;
      path.push(i);
      node = node.items[i];
    } else return path;
  }
}

/** Double-quoted string scalars whose text has an escape sequence, with their position. */
function escapedScalars(
  root: unknown,
  text: string,
  locate: (offset: number) => Position,
): { value: string; at: Position }[] {
  const out: { value: string; at: Position }[] = [];
  const visit = (node: unknown) => {
    if (isMap(node))
      for (const p of node.items) {
        visit(p.key);
        visit(p.value);
      }
    else if (isSeq(node)) for (const i of node.items) visit(i);
    else if (
      isScalar(node) &&
      node.type === 'QUOTE_DOUBLE' &&
      typeof node.value === 'string' &&
      node.range &&
      text.slice(node.range[0], node.range[1]).includes('\\')
    )
      out.push({ value: node.value, at: locate(node.range[0]) });
  };
  visit(root);
  return out;
}

/** Depth of the deepest collection, stopping once past the limit (no spread over huge lists). */
function maxDepth(node: unknown, level = 0): number {
  if (level > SPEC_LIMITS.maxDepth) return level;
  let deepest = level;
  if (isMap(node)) {
    deepest = level + 1;
    for (const p of node.items) deepest = Math.max(deepest, maxDepth(p.value, level + 1));
  } else if (isSeq(node)) {
    deepest = level + 1;
    for (const i of node.items) deepest = Math.max(deepest, maxDepth(i, level + 1));
  }
  return deepest;
}

function fail(file: string, path: string, message: string): { ok: false; issues: SpecIssue[] } {
  return { ok: false, issues: [{ file, path, message }] };
}
