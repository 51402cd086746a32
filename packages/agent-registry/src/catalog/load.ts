import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { CATALOG_KEY, CATALOG_LABEL, CATALOG_LABEL_VALUES, TENANT_LABEL } from '../constants.js';
import { InputError } from '../errors.js';
import { assembleCatalog, type CatalogPart } from './assemble.js';
import {
  environmentCatalogSchema,
  tenantCatalogSchema,
  type Catalog,
  type EnvironmentCatalog,
  type TenantCatalog,
} from './schema.js';

/** The fields of a ConfigMap the catalog is read from (a manifest file or the API's object). */
export interface CatalogConfigMap {
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly data?: Readonly<Record<string, string>>;
}

export type ParsedPart =
  | { readonly kind: 'environment'; readonly part: CatalogPart<EnvironmentCatalog> }
  | { readonly kind: 'tenant'; readonly part: CatalogPart<TenantCatalog> };

function validate<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InputError(
      `catalog ${source} does not match the catalog schema (regenerate it with npm run synth): ${first.join('; ')}`,
    );
  }
  return parsed.data as z.output<S>;
}

/**
 * The catalog part a ConfigMap holds, or undefined when it is not labelled as one. A tenant
 * part must carry the tenant label of the tenant it describes.
 */
export function catalogPartOf(cm: CatalogConfigMap, source: string): ParsedPart | undefined {
  const role = cm.metadata?.labels?.[CATALOG_LABEL];
  if (role === undefined) return undefined;
  if (role !== CATALOG_LABEL_VALUES.environment && role !== CATALOG_LABEL_VALUES.tenant) {
    throw new InputError(
      `catalog ${source}: label ${CATALOG_LABEL}=${JSON.stringify(role)} is neither "${CATALOG_LABEL_VALUES.environment}" nor "${CATALOG_LABEL_VALUES.tenant}"`,
    );
  }
  const text = cm.data?.[CATALOG_KEY];
  if (text === undefined) {
    throw new InputError(`catalog ${source}: the ConfigMap has no ${CATALOG_KEY} key`);
  }

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      `catalog ${source}: ${CATALOG_KEY} is not JSON: ${(err as Error).message}`,
    );
  }
  if (role === CATALOG_LABEL_VALUES.environment) {
    return {
      kind: 'environment',
      part: { value: validate(environmentCatalogSchema, raw, source), source },
    };
  }
  const value = validate(tenantCatalogSchema, raw, source);
  const label = cm.metadata?.labels?.[TENANT_LABEL];
  if (label !== value.tenant.name) {
    throw new InputError(
      `catalog ${source}: label ${TENANT_LABEL}=${JSON.stringify(label ?? null)} does not name the tenant it describes (${value.tenant.name})`,
    );
  }
  return { kind: 'tenant', part: { value, source } };
}

/** Assembles the catalog from parsed parts: exactly one environment part, any tenant parts. */
export function catalogFromParts(parts: readonly ParsedPart[], where: string): Catalog {
  const envs = parts.filter((p) => p.kind === 'environment');
  if (envs.length !== 1) {
    throw new InputError(
      envs.length === 0
        ? `catalog: no ConfigMap labelled ${CATALOG_LABEL}=${CATALOG_LABEL_VALUES.environment} in ${where}; run npm run synth (or check REGISTRY_CATALOG_DIR / REGISTRY_CATALOG_NAMESPACE)`
        : `catalog: ${envs.length} environment parts in ${where} (${envs.map((e) => e.part.source).join(', ')}); keep exactly one`,
    );
  }
  const tenants = parts.flatMap((p) => (p.kind === 'tenant' ? [p.part] : []));
  return assembleCatalog(envs[0]!.part, tenants);
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Reads the catalog from the synthesized manifests under `dir` (`dist/<env>/registry/`,
 * tenant parts in its `tenants/<tenant>/` folders): every ConfigMap carrying the catalog
 * label, other manifests ignored. The file mode of `npm run registry`.
 */
export async function readCatalogDir(dir: string): Promise<Catalog> {
  let files: string[];
  try {
    files = await yamlFiles(dir);
  } catch (err) {
    throw new InputError(
      `cannot read the catalog directory ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set REGISTRY_CATALOG_DIR or run npm run synth`,
    );
  }
  const parts: ParsedPart[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (!text.includes(CATALOG_LABEL)) continue;
    const docs = parseAllDocuments(text);
    for (const [i, doc] of docs.entries()) {
      if (doc.errors.length > 0) {
        throw new InputError(`catalog ${file}: not YAML: ${doc.errors[0]!.message}`);
      }
      const cm = doc.toJS() as CatalogConfigMap | null;
      if (cm?.kind !== 'ConfigMap') continue;
      const part = catalogPartOf(cm, docs.length > 1 ? `${file}#${i}` : file);
      if (part) parts.push(part);
    }
  }
  return catalogFromParts(parts, dir);
}
