import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { parseAllDocuments } from 'yaml';
import { writeFileAtomic } from '../synth/atomic-write';
import { exactInJson } from '../synth/bundle-cache';
import { evaluateCelRules, type CelFinding } from './cel-rules';

/** Where a kind's schema came from and whether the kind is namespaced. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Vendored file the schema was read from, for error messages. */
  readonly source: string;
  readonly validate: ValidateFunction;
  /** Evaluates the CRD's CEL rules (x-kubernetes-validations); core kinds have none here. */
  readonly celRules: (obj: unknown) => CelFinding[];
}

type JsonSchema = Record<string, unknown>;

const K8S_DEFS_ID = 'https://agentic.platform/schemas/kubernetes/definitions.json';

/**
 * Kinds of the Kubernetes core API that are cluster-scoped. The strict OpenAPI schemas do not
 * say which kinds are namespaced, so the ones this platform can emit are listed here; every
 * other core kind is treated as namespaced.
 */
const CLUSTER_SCOPED_CORE = new Set([
  'v1/Namespace',
  'v1/Node',
  'v1/PersistentVolume',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'node.k8s.io/v1/RuntimeClass',
  'storage.k8s.io/v1/StorageClass',
  'scheduling.k8s.io/v1/PriorityClass',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
]);

/**
 * Every schema a manifest can be checked against: Kubernetes core (strict upstream OpenAPI
 * for one minor version) and the vendored CRDs. Validators compile on first use, so a run
 * pays only for the kinds it meets.
 */
/**
 * strict: false because Kubernetes schemas carry x-kubernetes-* keywords and formats (int32,
 * int-or-string, byte) that are annotations, not JSON Schema vocabulary. code.source keeps each
 * validator's generated code, so it can be cached (see `SchemaSetOptions.cacheDir`).
 */
const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  validateFormats: false,
  logger: false,
  code: { source: true },
};

const requireFromHere = createRequire(import.meta.url);

/**
 * What a cached validator depends on besides its schema: the Ajv release that generated it
 * and the options; a change of either is a different cache entry.
 */
const CACHE_FORMAT = `ajv ${(requireFromHere('ajv/package.json') as { version: string }).version} ${JSON.stringify(AJV_OPTIONS)} v1`;

export interface SchemaSetOptions {
  /**
   * Folder for compiled validators (generated code, one file per schema, named by the hash of
   * the schema, the Kubernetes definitions and the Ajv release). Compiling the strict schemas
   * was most of a check's fixed cost; a later run, or another test file, loads them instead.
   *
   * @default - none: every run compiles what it uses
   */
  readonly cacheDir?: string;
}

export class SchemaSet {
  private readonly ajv: Ajv;
  private defsHash = '';
  private readonly entries = new Map<
    string,
    { schema: JsonSchema; raw?: JsonSchema; namespaced: boolean; source: string }
  >();
  private readonly compiled = new Map<string, KindSchema>();

  private constructor(private readonly options: SchemaSetOptions) {
    this.ajv = new Ajv(AJV_OPTIONS);
  }

  /** Loads `schemas/kubernetes/v<version>/_definitions.json` and every CRD below `schemas/crds`. */
  static load(
    schemasDir: string,
    kubernetesVersion: string,
    options: SchemaSetOptions = {},
  ): SchemaSet {
    const set = new SchemaSet(options);
    const defsFile = path.join(
      schemasDir,
      'kubernetes',
      `v${kubernetesVersion}`,
      '_definitions.json',
    );
    let defs: { $defs: Record<string, JsonSchema> };
    try {
      const text = readFileSync(defsFile, 'utf8');
      set.defsHash = createHash('sha256').update(text).digest('hex');
      defs = JSON.parse(text);
    } catch {
      throw new Error(
        `no Kubernetes ${kubernetesVersion} schema at ${path.relative(process.cwd(), defsFile)}; vendor it (schemas/kubernetes/SOURCES.md says how) or use a vendored version`,
      );
    }
    set.addKubernetes(defs, path.relative(schemasDir, defsFile));
    for (const file of listFiles(path.join(schemasDir, 'crds'))) {
      if (!/\.ya?ml$/.test(file)) continue;
      set.addCrdFile(readFileSync(file, 'utf8'), path.relative(schemasDir, file));
    }
    return set;
  }

  private addKubernetes(defs: { $defs: Record<string, JsonSchema> }, source: string): void {
    this.ajv.addSchema({ $id: K8S_DEFS_ID, $defs: defs.$defs });
    for (const [name, def] of Object.entries(defs.$defs)) {
      const gvks = def['x-kubernetes-group-version-kind'] as
        { group: string; version: string; kind: string }[] | undefined;
      for (const gvk of gvks ?? []) {
        const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
        const key = `${apiVersion}/${gvk.kind}`;
        this.entries.set(key, {
          schema: { $ref: `${K8S_DEFS_ID}#/$defs/${name}` },
          namespaced: !CLUSTER_SCOPED_CORE.has(key),
          source,
        });
      }
    }
  }

  private addCrdFile(content: string, source: string): void {
    for (const doc of this.crdDocuments(content)) this.addCrd(doc, source, true);
  }

  /**
   * The documents of a CRD file: parsed once, then read back as JSON from the cache folder
   * (named by the hash of the file), since parsing the vendored CRDs' YAML took ~1.4 s of every
   * check on every thread. Kept only when JSON gives back exactly what the parse gave.
   */
  private crdDocuments(content: string): unknown[] {
    const dir = this.options.cacheDir;
    const parse = () => parseAllDocuments(content).map((d) => d.toJS() as unknown);
    if (!dir) return parse();
    const hash = createHash('sha256').update(`crd-documents v1\0${content}`).digest('hex');
    const file = path.join(dir, `crd-${hash}.json`);
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (Array.isArray(cached)) return cached;
    } catch {
      // Missing or unreadable: parsed below and written again.
    }
    const docs = parse();
    if (exactInJson(docs)) {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(file, JSON.stringify(docs));
    }
    return docs;
  }

  /**
   * Adds the schemas of CRD objects (e.g. the CRDs a rendered chart installs) for kinds no
   * vendored schema defines yet; a vendored schema of the same kind is kept.
   */
  addCrds(crds: readonly unknown[], source: string): void {
    for (const crd of crds) this.addCrd(crd, source, false);
  }

  private addCrd(doc: unknown, source: string, replace: boolean): void {
    const crd = doc as CrdDocument | null;
    if (!crd || crd.kind !== 'CustomResourceDefinition') return;
    const { group, names, scope, versions } = crd.spec;
    for (const v of versions) {
      if (!v.served || !v.schema?.openAPIV3Schema) continue;
      const apiVersion = `${group}/${v.name}`;
      if (!replace && this.entries.has(`${apiVersion}/${names.kind}`)) continue;
      this.entries.set(`${apiVersion}/${names.kind}`, {
        schema: crdRootSchema(v.schema.openAPIV3Schema, apiVersion, names.kind),
        raw: v.schema.openAPIV3Schema,
        namespaced: scope === 'Namespaced',
        source,
      });
    }
  }

  /** The schema of `apiVersion`/`kind`, or undefined when no vendored schema knows it. */
  get(apiVersion: string, kind: string): KindSchema | undefined {
    const key = `${apiVersion}/${kind}`;
    const hit = this.compiled.get(key);
    if (hit) return hit;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const compiled: KindSchema = {
      apiVersion,
      kind,
      namespaced: entry.namespaced,
      source: entry.source,
      validate: this.validator(entry.schema),
      celRules: (obj) => (entry.raw ? evaluateCelRules(entry.raw, obj) : []),
    };
    this.compiled.set(key, compiled);
    return compiled;
  }

  /**
   * The validator of `schema`: loaded from the cache when an earlier run compiled the same
   * schema against the same definitions with the same Ajv, else compiled (and cached). A cache
   * file that does not load (truncated, edited) is compiled again and replaced.
   */
  private validator(schema: JsonSchema): ValidateFunction {
    const dir = this.options.cacheDir;
    if (!dir) return this.ajv.compile(schema);
    const hash = createHash('sha256')
      .update(CACHE_FORMAT)
      .update('\0')
      .update(this.defsHash)
      .update('\0')
      .update(JSON.stringify(schema))
      .digest('hex');
    const file = path.join(dir, `${hash}.cjs`);
    const cached = loadValidator(file);
    if (cached) return cached;
    const validate = this.ajv.compile(schema);
    // Whole, so a concurrent run never loads half a file.
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(file, standaloneCode(this.ajv, validate));
    return validate;
  }

  /** Every `apiVersion/kind` known, sorted (for messages and tests). */
  kinds(): string[] {
    return [...this.entries.keys()].sort();
  }
}

/** A validator module written by `validator`, or undefined when it is absent or does not load. */
function loadValidator(file: string): ValidateFunction | undefined {
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const module = { exports: {} as unknown };
    // The module is Ajv's standalone output: CommonJS requiring only Ajv's runtime helpers.
    new Function('module', 'exports', 'require', code)(module, module.exports, requireFromHere);
    const validate = module.exports as ValidateFunction;
    return typeof validate === 'function' ? validate : undefined;
  } catch {
    return undefined;
  }
}

interface CrdDocument {
  kind: string;
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
  };
}

/**
 * A CRD version's schema as the API server applies it: `metadata` is a real ObjectMeta,
 * apiVersion and kind are fixed, and unknown fields are errors wherever the CRD does not
 * preserve them (the API server would silently prune them: the worst kind of bug here).
 */
export function crdRootSchema(openApi: JsonSchema, apiVersion: string, kind: string): JsonSchema {
  const root = structuralToStrict(openApi) as JsonSchema;
  const properties = { ...(root.properties as Record<string, JsonSchema> | undefined) };
  properties.apiVersion = { const: apiVersion };
  properties.kind = { const: kind };
  properties.metadata = {
    $ref: `${K8S_DEFS_ID}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`,
  };
  return {
    ...root,
    type: 'object',
    properties,
    required: [
      ...new Set(['apiVersion', 'kind', 'metadata', ...((root.required as string[]) ?? [])]),
    ],
  };
}

/** Rewrites a Kubernetes structural schema into strict JSON Schema, recursively. */
export function structuralToStrict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structuralToStrict);
  if (!node || typeof node !== 'object') return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, structuralToStrict(v)]),
      );
    } else if (key === 'pattern' && typeof value === 'string' && value.includes('(?i)')) {
      out[key] = ecmaCaseInsensitive(value.replaceAll('(?i)', ''));
    } else if (
      key === 'x-kubernetes-validations' ||
      key === 'default' ||
      key === 'example' ||
      key === 'enum'
    ) {
      out[key] = value; // data, not schema: copy as is
    } else {
      out[key] = structuralToStrict(value);
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserves = src['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = src['x-kubernetes-embedded-resource'] === true;
  if (embedded && out.properties) {
    const props = out.properties as Record<string, JsonSchema>;
    props.apiVersion ??= { type: 'string' };
    props.kind ??= { type: 'string' };
    props.metadata ??= { type: 'object' };
  }
  if (
    src.type === 'object' &&
    src.properties &&
    !preserves &&
    src.additionalProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * CRD `pattern`s are Go (RE2) regular expressions; JSON Schema's are ECMA-262, which has no
 * inline `(?i)` flag (prometheus-operator's PrometheusRule uses it; Ajv refuses to compile
 * it). The pattern becomes the same one with every ASCII letter matched in both cases:
 * slightly wider where `(?i)` starts mid-pattern, never narrower.
 */
export function ecmaCaseInsensitive(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    if (!/[a-z]/i.test(c)) out += c;
    else
      out += inClass ? c.toLowerCase() + c.toUpperCase() : `[${c.toLowerCase()}${c.toUpperCase()}]`;
  }
  return out;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}
