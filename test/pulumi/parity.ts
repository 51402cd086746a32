import { snakeCase } from '../../src/infrastructure/description';
import {
  DATA_SOURCE_MAPPINGS,
  mappingForPulumi,
  TERRAFORM_META_ARGUMENTS,
  TYPE_MAPPINGS,
  type TerraformConfig,
  type TypeMapping,
} from './parity-mapping';
import type { MockRun, RegisteredOptions } from './run-under-mocks';

/** One way the two engines disagree, naming the resource and the property. */
export interface Difference {
  /** `<terraform type>.<name>`, `provider.<name>`, `data.<type>` or `output.<name>`. */
  readonly resource: string;
  /** Dotted Terraform path, `[i]` for list items; `(resource)` when the resource itself differs. */
  readonly property: string;
  readonly terraform: unknown;
  readonly pulumi: unknown;
}

export interface ParityReport {
  readonly differences: readonly Difference[];
  /** Resources present in both engines and compared property by property. */
  readonly resourcesCompared: number;
  /** Leaf values compared, over resources, providers, data sources and outputs. */
  readonly propertiesCompared: number;
  /** Distinct Terraform types mapped to a Pulumi type and seen in this environment. */
  readonly typesMapped: number;
}

export function formatDifference(d: Difference): string {
  return `${d.resource}: ${d.property}: terraform ${JSON.stringify(d.terraform)}, pulumi ${JSON.stringify(d.pulumi)}`;
}

/** The signature Pulumi wraps secret values in; the check compares what is inside. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (SECRET_SIG in o) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/** Arguments whose value is a map of user keys (tags, labels, ...): keys are kept as they are. */
const MAP_ARGUMENTS = new Set(['tags', 'labels', 'annotations', 'data', 'manifest']);

/** Pulumi argument names to Terraform's, recursively, except inside maps. */
function toSnake(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toSnake);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => {
        const key = snakeCase(k);
        return [key, MAP_ARGUMENTS.has(key) ? x : toSnake(x)];
      }),
    );
  }
  return v;
}

/** cdk.tf.json writes some booleans as strings (`encrypted = "true"`): one spelling for both. */
function normalizeScalars(v: unknown): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (Array.isArray(v)) return v.map(normalizeScalars);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalizeScalars(x)]),
    );
  }
  return v;
}

function wrapListBlock(obj: Record<string, unknown>, path: readonly string[]): void {
  const [head, ...rest] = path;
  const value = obj[head!];
  if (value === undefined) return;
  if (rest.length === 0) {
    obj[head!] = [value];
    return;
  }
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item !== null && typeof item === 'object')
      wrapListBlock(item as Record<string, unknown>, rest);
  }
}

function parseJsonArguments(props: Record<string, unknown>, mapping: TypeMapping) {
  for (const key of mapping.json ?? []) {
    if (typeof props[key] === 'string') props[key] = JSON.parse(props[key] as string);
  }
}

/** A Pulumi resource's inputs in the shape of the Terraform resource's arguments. */
export function pulumiToTerraform(
  mapping: TypeMapping,
  rawInputs: Record<string, unknown>,
): Record<string, unknown> {
  const inputs = unwrapSecrets(rawInputs) as Record<string, unknown>;
  if (mapping.toTerraform) return mapping.toTerraform(inputs);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (mapping.pulumiImplied && key in mapping.pulumiImplied) continue;
    const tfKey = mapping.renames?.[key] ?? snakeCase(key);
    out[tfKey] = MAP_ARGUMENTS.has(tfKey) ? value : toSnake(value);
  }
  for (const path of mapping.listBlocks ?? []) wrapListBlock(out, path.split('.'));
  parseJsonArguments(out, mapping);
  return normalizeScalars(out) as Record<string, unknown>;
}

/** A Terraform resource's arguments as compared: without meta-arguments, expressions resolved. */
export function terraformArguments(
  mapping: TypeMapping,
  rawProps: Record<string, unknown>,
  config: TerraformConfig,
): Record<string, unknown> {
  const props: Record<string, unknown> = { ...rawProps };
  for (const meta of TERRAFORM_META_ARGUMENTS) delete props[meta];
  const resolved = mapping.fromTerraform ? mapping.fromTerraform(props, config) : props;
  const out = { ...resolved };
  parseJsonArguments(out, mapping);
  return normalizeScalars(out) as Record<string, unknown>;
}

/** Leaf-by-leaf comparison; returns how many leaves it compared. */
function compareValues(
  resource: string,
  path: string,
  terraform: unknown,
  pulumi: unknown,
  out: Difference[],
): number {
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(terraform) && Array.isArray(pulumi)) {
    if (terraform.length !== pulumi.length) {
      out.push({
        resource,
        property: `${path} (length)`,
        terraform: terraform.length,
        pulumi: pulumi.length,
      });
      return 1;
    }
    if (terraform.length === 0) return 1;
    return terraform.reduce<number>(
      (n, t, i) => n + compareValues(resource, `${path}[${i}]`, t, pulumi[i], out),
      0,
    );
  }
  if (isObject(terraform) && isObject(pulumi)) {
    const t = terraform as Record<string, unknown>;
    const p = pulumi as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(t), ...Object.keys(p)])].sort();
    if (keys.length === 0) return 1;
    return keys.reduce(
      (n, k) => n + compareValues(resource, path ? `${path}.${k}` : k, t[k], p[k], out),
      0,
    );
  }
  if (JSON.stringify(terraform) !== JSON.stringify(pulumi)) {
    out.push({ resource, property: path || '(value)', terraform, pulumi });
  }
  return 1;
}

/** Items only one of two lists has, as one difference naming both sides' extras. */
function compareSets(
  resource: string,
  property: string,
  terraform: readonly string[],
  pulumi: readonly string[],
  out: Difference[],
): number {
  const onlyTerraform = terraform.filter((t) => !pulumi.includes(t)).sort();
  const onlyPulumi = pulumi.filter((p) => !terraform.includes(p)).sort();
  if (onlyTerraform.length > 0 || onlyPulumi.length > 0)
    out.push({ resource, property, terraform: onlyTerraform, pulumi: onlyPulumi });
  return Math.max(1, new Set([...terraform, ...pulumi]).size);
}

/** `depends_on`, `lifecycle` and `provider` against the options the Pulumi resource was registered with. */
function compareMeta(
  address: string,
  mapping: TypeMapping,
  props: Record<string, unknown>,
  options: RegisteredOptions,
  out: Difference[],
): number {
  const dependsOn = options.dependsOn.map((d) => {
    const i = d.lastIndexOf('::');
    const m = mappingForPulumi(d.slice(0, i));
    return m ? `${m.terraform}.${d.slice(i + 2)}` : `unmapped(${d})`;
  });
  let n = compareSets(
    address,
    'depends_on',
    (props.depends_on as string[] | undefined) ?? [],
    dependsOn,
    out,
  );
  const lifecycle = (props.lifecycle as { ignore_changes?: string[] } | undefined) ?? {};
  const extra = Object.keys(lifecycle).filter((k) => k !== 'ignore_changes');
  for (const k of extra)
    out.push({
      resource: address,
      property: `lifecycle.${k}`,
      terraform: (lifecycle as Record<string, unknown>)[k],
      pulumi: 'no option mapped',
    });
  n += compareSets(
    address,
    'lifecycle.ignore_changes',
    lifecycle.ignore_changes ?? [],
    options.ignoreChanges.map((p) => mapping.ignoreChanges?.[p] ?? `unmapped(${p})`),
    out,
  );
  const provider = (props.provider as string | undefined) ?? mapping.terraform.split('_')[0];
  n += compareValues(address, 'provider', provider, options.provider, out);
  return n;
}

/** Provider blocks: Pulumi registers providers as resources of type `pulumi:providers:<name>`. */
const PROVIDER_MAPPINGS: Readonly<Record<string, TypeMapping>> = {
  aws: {
    terraform: 'provider.aws',
    pulumi: 'pulumi:providers:aws',
    listBlocks: ['default_tags'],
    pulumiImplied: {
      skipCredentialsValidation:
        'the Pulumi SDK default (false), as Terraform validates credentials',
      skipRegionValidation: 'the Pulumi SDK default; the region is compared',
    },
  },
  kubernetes: {
    terraform: 'provider.kubernetes',
    pulumi: 'pulumi:providers:kubernetes',
    // Pulumi takes a kubeconfig; Terraform the same server, CA and exec as arguments. The
    // kubeconfig carries the CA base64-encoded, Terraform's argument decoded: one certificate.
    toTerraform: (inputs) => {
      const k = JSON.parse(inputs.kubeconfig as string);
      const ca = String(k.clusters[0].cluster['certificate-authority-data']);
      const exec = k.users[0].user.exec;
      return {
        host: k.clusters[0].cluster.server,
        cluster_ca_certificate: ca.replace(/^\$\{(.*)\}$/, '$${base64decode($1)}'),
        exec: [{ api_version: exec.apiVersion, command: exec.command, args: exec.args }],
      };
    },
  },
};

/** Provider inputs are strings on the wire: lists and objects arrive JSON-encoded. */
function decodeProviderInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [
      k,
      typeof v === 'string' && /^[[{]/.test(v) && k !== 'kubeconfig' ? JSON.parse(v) : v,
    ]),
  );
}

/**
 * Compares the resources, providers, data sources and outputs of a Pulumi run under mocks
 * with the committed Terraform JSON of the same environment, through TYPE_MAPPINGS. Types
 * or arguments either side has and the mapping does not cover are differences too.
 */
export function compareEngines(config: TerraformConfig, run: MockRun): ParityReport {
  const differences: Difference[] = [];
  let propertiesCompared = 0;
  let resourcesCompared = 0;
  const typesSeen = new Set<string>();

  const tfResources = new Map<
    string,
    { mapping: TypeMapping | undefined; props: Record<string, unknown> }
  >();
  for (const [type, byName] of Object.entries(config.resource)) {
    for (const [name, props] of Object.entries(byName)) {
      // kubernetes_manifest maps to one Pulumi type per kind; pick by the manifest's kind.
      const candidates = TYPE_MAPPINGS.filter((m) => m.terraform === type);
      const kind = props.manifest as { apiVersion?: string; kind?: string } | undefined;
      const mapping =
        candidates.length > 1
          ? candidates.find((m) => m.pulumi === `kubernetes:${kind?.apiVersion}:${kind?.kind}`)
          : candidates[0];
      tfResources.set(`${type}.${name}`, { mapping, props });
    }
  }
  const puResources = new Map<
    string,
    { mapping: TypeMapping; inputs: Record<string, unknown>; options: RegisteredOptions }
  >();
  for (const r of run.resources) {
    if (r.type.startsWith('pulumi:providers:')) continue;
    const mapping = mappingForPulumi(r.type);
    if (!mapping) {
      differences.push({
        resource: `${r.type} ${r.name}`,
        property: '(type)',
        terraform:
          'no Terraform type mapped; add one to TYPE_MAPPINGS in test/pulumi/parity-mapping.ts',
        pulumi: r.type,
      });
      continue;
    }
    puResources.set(`${mapping.terraform}.${r.name}`, {
      mapping,
      inputs: r.inputs,
      options: r.options,
    });
  }

  for (const [address, tf] of tfResources) {
    if (!tf.mapping) {
      differences.push({
        resource: address,
        property: '(type)',
        terraform: address.split('.')[0],
        pulumi: 'no Pulumi type mapped; add one to TYPE_MAPPINGS in test/pulumi/parity-mapping.ts',
      });
      continue;
    }
    const pu = puResources.get(address);
    if (!pu) {
      differences.push({
        resource: address,
        property: '(resource)',
        terraform: 'declared',
        pulumi: 'missing',
      });
      continue;
    }
    if (pu.mapping.pulumi !== tf.mapping.pulumi) {
      differences.push({
        resource: address,
        property: '(type)',
        terraform: tf.mapping.pulumi,
        pulumi: pu.mapping.pulumi,
      });
      continue;
    }
    typesSeen.add(tf.mapping.terraform);
    resourcesCompared += 1;
    propertiesCompared += compareValues(
      address,
      '',
      terraformArguments(tf.mapping, tf.props, config),
      pulumiToTerraform(pu.mapping, pu.inputs),
      differences,
    );
    propertiesCompared += compareMeta(address, tf.mapping, tf.props, pu.options, differences);
  }
  for (const address of puResources.keys()) {
    if (!tfResources.has(address))
      differences.push({
        resource: address,
        property: '(resource)',
        terraform: 'missing',
        pulumi: 'declared',
      });
  }

  for (const [name, blocks] of Object.entries(config.provider)) {
    const mapping = PROVIDER_MAPPINGS[name];
    const pu = run.resources.find((r) => r.type === `pulumi:providers:${name}`);
    if (!mapping || !pu) {
      differences.push({
        resource: `provider.${name}`,
        property: '(provider)',
        terraform: 'declared',
        pulumi: mapping ? 'missing' : 'unmapped',
      });
      continue;
    }
    propertiesCompared += compareValues(
      `provider.${name}`,
      '',
      terraformArguments(mapping, blocks[0]!, config),
      pulumiToTerraform(mapping, decodeProviderInputs(pu.inputs)),
      differences,
    );
  }

  const tfData = Object.entries(config.data ?? {}).flatMap(([type, byName]) =>
    Object.values(byName).map((props) => ({ type, props })),
  );
  const invokes = run.invokes.map((i) => ({
    type:
      DATA_SOURCE_MAPPINGS.find((m) => m.pulumi === i.token)?.terraform ?? `unmapped(${i.token})`,
    props: toSnake(i.inputs) as Record<string, unknown>,
  }));
  const key = (d: { type: string; props: Record<string, unknown> }) =>
    JSON.stringify([d.type, d.props]);
  propertiesCompared += compareValues(
    'data',
    '',
    tfData.map(key).sort(),
    [...new Set(invokes.map(key))].sort(),
    differences,
  );

  const puOutputs = Object.fromEntries(
    Object.entries(run.outputs).map(([name, value]) => [`output_${snakeCase(name)}`, value]),
  );
  const tfOutputs = Object.fromEntries(Object.entries(config.output).map(([n, o]) => [n, o.value]));
  propertiesCompared += compareValues('output', '', tfOutputs, puOutputs, differences);

  return { differences, resourcesCompared, propertiesCompared, typesMapped: typesSeen.size };
}
