import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { CATALOG_KEY } from '../constants.js';
import { InputError } from '../errors.js';
import { catalogSchema, type Catalog } from './schema.js';

/**
 * Parses a catalog from the text of either the JSON file mounted from the ConfigMap, or the
 * synthesized ConfigMap YAML itself (`dist/<env>/registry/…`, used by `npm run registry`).
 */
export function parseCatalog(text: string, source: string): Catalog {
  let raw: unknown;
  try {
    const doc: unknown = text.trimStart().startsWith('{') ? JSON.parse(text) : parse(text);
    const data = (doc as { kind?: unknown; data?: Record<string, unknown> } | null) ?? {};
    raw = data.kind === 'ConfigMap' ? JSON.parse(String(data.data?.[CATALOG_KEY] ?? 'null')) : doc;
  } catch (err) {
    throw new InputError(`catalog ${source} is not JSON or YAML: ${(err as Error).message}`);
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InputError(
      `catalog ${source} does not match the catalog schema (regenerate it with npm run synth): ${first.join('; ')}`,
    );
  }
  return parsed.data;
}

export async function readCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(
      `cannot read the catalog ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set REGISTRY_CATALOG_FILE or run npm run synth`,
    );
  }
  return parseCatalog(text, path);
}
