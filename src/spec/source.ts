import { LineCounter, isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
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
} as const;

/** One YAML file as read from the repository, before any interpretation. */
export interface SourceFile {
  /** Path relative to the repository root, with `/` separators (`tenants/acme.yaml`). */
  readonly path: string;
  readonly content: string;
}

/** A parsed, schema-valid spec together with where each field came from. */
export interface Located<T> {
  readonly file: string;
  readonly spec: T;
  /** Line (1-based) of the node at `path`, or of its closest existing parent. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/**
 * Parses one YAML spec file and validates it against `schema`.
 * Returns the spec, or the issues that prevent it; never throws for bad input.
 */
export function parseSpecFile<T>(
  source: SourceFile,
  schema: ZodType<T>,
): { ok: true; value: Located<T> } | { ok: false; issues: SpecIssue[] } {
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
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(source.content, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (err) {
    return fail(file, '', `is not valid YAML: ${(err as Error).message}`);
  }
  if (!Array.isArray(docs) || docs.length !== 1) {
    return fail(
      file,
      '',
      `must hold exactly one YAML document, found ${Array.isArray(docs) ? docs.length : 0}`,
    );
  }
  const doc = docs[0]!;
  const yamlIssues = [...doc.errors, ...doc.warnings];
  if (yamlIssues.length > 0) {
    return {
      ok: false,
      issues: yamlIssues.map((e) => ({
        file,
        path: '',
        line: e.linePos?.[0].line,
        message: `is not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as
        { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range)
        return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
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
  const result = schema.safeParse(data);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.map((issue) => {
        // Unknown keys are reported on the parent; point at the key itself so the fix is obvious.
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const path = keys.length === 1 ? [...issue.path, keys[0]!] : issue.path;
        return {
          file,
          path: formatPath(path),
          line: lineOf(path),
          message: describeZodIssue(issue),
        };
      }),
    };
  }
  return { ok: true, value: { file, spec: result.data, lineOf } };
}

function describeZodIssue(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    return `unknown field${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the schema`;
  }
  return issue.message;
}

function maxDepth(node: unknown, level = 0): number {
  if (isMap(node))
    return Math.max(level + 1, ...node.items.map((p) => maxDepth(p.value, level + 1)));
  if (isSeq(node)) return Math.max(level + 1, ...node.items.map((i) => maxDepth(i, level + 1)));
  return level;
}

function fail(file: string, path: string, message: string): { ok: false; issues: SpecIssue[] } {
  return { ok: false, issues: [{ file, path, message }] };
}
