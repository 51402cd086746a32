import { parseAllDocuments } from 'yaml';

/**
 * The layers of an environment's output, in the order dist/README.md documents its folders.
 * A folder not listed here (a layer added later) is reported under its own folder name.
 */
export const LAYER_OF_FOLDER: Readonly<Record<string, string>> = {
  terraform: 'infrastructure',
  bootstrap: 'bootstrap',
  platform: 'add-ons',
  policies: 'policies',
  tenants: 'tenants',
  registry: 'registry',
};

export const LAYER_ORDER: readonly string[] = Object.values(LAYER_OF_FOLDER);

/** One object of an environment: a Kubernetes manifest or one block of the Terraform JSON. */
export interface Resource {
  /** Identity used to match the same object in two outputs: `group/Kind namespace/name`. */
  readonly key: string;
  readonly layer: string;
  /** Kubernetes kind, or the Terraform block type (`aws_vpc`, `data.aws_x`, `output`, `provider`). */
  readonly kind: string;
  /** API group of a Kubernetes object (`''` for the core group); `terraform` for Terraform blocks. */
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  /** The tenant whose bundle the object belongs to, when it belongs to one. */
  readonly tenant?: string;
  /** File it was read from, relative to the environment's folder. */
  readonly file: string;
  readonly body: unknown;
}

/** Reading an output failed: names the file and what is wrong with it. */
export class OutputParseError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'OutputParseError';
  }
}

const TENANT_LABEL = 'platform.agentic.io/tenant';

function layerOf(file: string): string {
  const folder = file.split('/')[0]!;
  return LAYER_OF_FOLDER[folder] ?? folder;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `resource`, `data`, `output`, `provider`, `terraform` blocks of one cdktf JSON document. */
function terraformResources(file: string, content: string): Resource[] {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(content) as Record<string, unknown>;
  } catch (err) {
    throw new OutputParseError(file, `not valid JSON: ${(err as Error).message}`);
  }
  const out: Resource[] = [];
  const add = (kind: string, name: string, body: unknown) =>
    out.push({
      key: `terraform/${kind} ${name}`,
      layer: layerOf(file),
      kind,
      group: 'terraform',
      name,
      file,
      body,
    });
  const typed = (block: string, prefix: string) => {
    for (const [type, byName] of Object.entries((doc[block] ?? {}) as Record<string, unknown>))
      for (const [name, body] of Object.entries(byName as Record<string, unknown>))
        add(`${prefix}${type}`, name, body);
  };
  typed('resource', '');
  typed('data', 'data.');
  for (const [name, body] of Object.entries((doc.output ?? {}) as Record<string, unknown>))
    add('output', name, body);
  for (const [name, body] of Object.entries((doc.variable ?? {}) as Record<string, unknown>))
    add('variable', name, body);
  if (doc.locals !== undefined) add('locals', 'locals', doc.locals);
  for (const [name, configs] of Object.entries((doc.provider ?? {}) as Record<string, unknown>)) {
    const list = Array.isArray(configs) ? configs : [configs];
    list.forEach((c, i) => {
      const alias = str((c as Record<string, unknown>)?.alias);
      add('provider', alias ? `${name}.${alias}` : list.length > 1 ? `${name}[${i}]` : name, c);
    });
  }
  if (doc.terraform !== undefined) add('terraform', 'settings', doc.terraform);
  return out;
}

function kubernetesResources(
  file: string,
  content: string,
  tenantOfNamespace: ReadonlyMap<string, string>,
): Resource[] {
  const out: Resource[] = [];
  const docs = parseAllDocuments(content) as unknown as {
    errors: { message: string }[];
    toJS(): unknown;
  }[];
  for (const d of docs) {
    if (d.errors.length > 0) throw new OutputParseError(file, d.errors[0]!.message);
    const obj = d.toJS() as Record<string, unknown> | null;
    if (obj === null) continue;
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    const apiVersion = str(obj.apiVersion);
    const kind = str(obj.kind);
    const name = str(meta.name);
    if (!apiVersion || !kind || !name)
      throw new OutputParseError(file, 'a document without apiVersion, kind or metadata.name');
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    const namespace = str(meta.namespace);
    const labels = (meta.labels ?? {}) as Record<string, unknown>;
    const tenant =
      str(labels[TENANT_LABEL]) ??
      (file.startsWith('tenants/') ? file.split('/')[1] : undefined) ??
      (namespace !== undefined ? tenantOfNamespace.get(namespace) : undefined);
    out.push({
      key: `${group}/${kind} ${namespace ? `${namespace}/` : ''}${name}`,
      layer: layerOf(file),
      kind,
      group,
      ...(namespace !== undefined && { namespace }),
      name,
      ...(tenant !== undefined && { tenant }),
      file,
      body: obj,
    });
  }
  return out;
}

/**
 * Every object of one environment's output (paths relative to `dist/<env>/`): one Resource a
 * Kubernetes document, one a Terraform block. Other files (READMEs) carry no object. An object
 * belongs to a tenant by its tenant label, its `tenants/<tenant>/` folder, or its namespace.
 */
export function readResources(
  files: ReadonlyMap<string, string>,
  tenantOfNamespace: ReadonlyMap<string, string> = new Map(),
): Resource[] {
  const out: Resource[] = [];
  for (const [file, content] of files) {
    if (file.endsWith('.tf.json')) out.push(...terraformResources(file, content));
    else if (file.endsWith('.yaml') || file.endsWith('.yml'))
      out.push(...kubernetesResources(file, content, tenantOfNamespace));
  }
  return out;
}

/** The files of one environment out of a synthesized `dist/` map, keyed relative to `dist/<env>/`. */
export function environmentFiles(
  files: ReadonlyMap<string, string>,
  env: string,
): Map<string, string> {
  const prefix = `${env}/`;
  const out = new Map<string, string>();
  for (const [path, content] of files)
    if (path.startsWith(prefix)) out.set(path.slice(prefix.length), content);
  return out;
}
