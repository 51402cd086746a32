import { parseAllDocuments } from 'yaml';

/** One YAML document of a generated file, parsed once and shared by every check. */
export interface ParsedDocument {
  /** Path relative to dist/. */
  readonly file: string;
  /** The document as JSON; null for an empty document or one that failed to parse. */
  readonly object: Record<string, unknown> | null;
  /** The parse error, when the document is not valid YAML. */
  readonly error?: string;
}

/** Raw files (path → content) or documents already parsed by parseManifests. */
export type ManifestInput = ReadonlyMap<string, string> | readonly ParsedDocument[];

/**
 * Parses every `.yaml` file into its documents; other files (README, Terraform JSON) are skipped.
 * `known` may give, for a file, the one object its content is the exact rendering of (a file
 * byte-identical to a fresh synth): that object's JSON is taken instead of parsing the YAML,
 * which at a thousand tenants was a third of the check's time.
 */
export function parseManifests(
  files: ReadonlyMap<string, string>,
  known: (file: string, content: string) => object | undefined = () => undefined,
): ParsedDocument[] {
  const out: ParsedDocument[] = [];
  for (const [file, content] of files) {
    if (!file.endsWith('.yaml')) continue;
    const object = known(file, content);
    if (object) {
      // A JSON copy: what parsing the file gives (no undefined members, no shared references).
      out.push({ file, object: JSON.parse(JSON.stringify(object)) as Record<string, unknown> });
      continue;
    }
    for (const doc of parseAllDocuments(content) as ReturnType<typeof parseAllDocuments> &
      unknown[]) {
      const d = doc as { errors: { message: string }[]; toJS(): unknown };
      if (d.errors.length > 0) out.push({ file, object: null, error: d.errors[0]!.message });
      else out.push({ file, object: d.toJS() as Record<string, unknown> | null });
    }
  }
  return out;
}

export function asParsed(input: ManifestInput): readonly ParsedDocument[] {
  return input instanceof Map ? parseManifests(input) : (input as readonly ParsedDocument[]);
}
