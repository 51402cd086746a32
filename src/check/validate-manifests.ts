import type { ErrorObject } from 'ajv';
import { asParsed, type ManifestInput } from './parsed-manifests';
import type { SchemaSet } from './schemas';

/** One problem in a generated file. */
export interface SchemaFinding {
  /** Path relative to dist/ (`dev/tenants/acme/agent-triage.yaml`). */
  readonly file: string;
  /** `Kind/name` of the object, when it could be read. */
  readonly resource: string;
  readonly message: string;
}

export interface SchemaReport {
  readonly manifests: number;
  readonly findings: readonly SchemaFinding[];
}

/**
 * Validates every YAML manifest of `files` against the strict schema of its kind. An
 * apiVersion/kind no vendored schema knows is a finding, never a skip; so is a namespaced
 * object without a namespace, or a cluster-scoped one with one.
 */
export function validateManifests(
  input: ManifestInput,
  schemasFor: (file: string) => SchemaSet,
): SchemaReport {
  const findings: SchemaFinding[] = [];
  let manifests = 0;
  for (const { file, object: obj, error } of asParsed(input)) {
    if (error !== undefined) {
      findings.push({ file, resource: '-', message: `is not valid YAML: ${error}` });
      continue;
    }
    if (obj === null) continue;
    manifests++;
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    const resource = `${String(obj.kind)}/${String(meta.name)}`;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      findings.push({ file, resource, message: 'has no apiVersion or kind' });
      continue;
    }
    const schema = schemasFor(file).get(obj.apiVersion, obj.kind);
    if (!schema) {
      findings.push({
        file,
        resource,
        message: `unknown kind ${obj.apiVersion} ${obj.kind}: no vendored schema (schemas/kubernetes or schemas/crds) defines it`,
      });
      continue;
    }
    if (!schema.validate(obj)) {
      for (const e of schema.validate.errors ?? [])
        findings.push({ file, resource, message: describe(e, schema.source) });
    }
    for (const f of schema.celRules(obj)) findings.push({ file, resource, message: f.message });
    if (schema.namespaced && typeof meta.namespace !== 'string') {
      findings.push({
        file,
        resource,
        message: `${obj.kind} is namespaced but metadata.namespace is not set`,
      });
    }
    if (!schema.namespaced && meta.namespace !== undefined) {
      findings.push({
        file,
        resource,
        message: `${obj.kind} is cluster-scoped but sets metadata.namespace`,
      });
    }
  }
  return { manifests, findings };
}

function describe(e: ErrorObject, source: string): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replaceAll('/', '.');
  if (e.keyword === 'additionalProperties') {
    const field = (e.params as { additionalProperty: string }).additionalProperty;
    return `${at}: unknown field "${field}" (not in ${source}; the API server would drop it)`;
  }
  if (e.keyword === 'required') {
    return `${at}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
  }
  if (e.keyword === 'enum') {
    return `${at}: ${e.message} ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return `${at}: ${e.message}`;
}
