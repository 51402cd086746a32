import { parse } from 'yaml';
import { helmInput, type RenderAddonsOptions } from './render-addons';
import { helmTemplateText, HelmRenderError } from './helm';
import type { RenderFinding } from './check-rendered';
import type { RenderedApplication, RenderedEnvironment } from './render-addons';

/** The kinds of value whose effect is checked, by the name of the key that holds it. */
export const EFFECT_CATEGORIES = {
  placement: /^(nodeSelector|tolerations|affinity|topologySpreadConstraints)$/,
  replicas: /^(replicas|replicaCount|minReplicas|maxReplicas|autoscaleMin|autoscaleMax)$/,
  resources: /^resources$/,
  secrets:
    /secret|password|credential|^(envValueFrom|extraEnv|extraEnvs|additionalEnv|envFrom|volumes|volumeMounts|extraVolumes|extraVolumeMounts)$/i,
  oidc: /(^|[._])(oidc|oauth|sso)([._]|$)|generic_oauth|issuer/i,
  storage:
    /^(storage|storageSpec|persistence|storageClass|storageClassName|volumeClaimTemplate|retention|s3|bucket)$/i,
} as const;

export type EffectCategory = keyof typeof EFFECT_CATEGORIES;

/** A value set on purpose although it changes nothing the chart renders: a guard. */
export interface GuardValue {
  readonly application: string;
  /** Dotted path below the Application's Helm values. */
  readonly path: string;
  readonly why: string;
}

/**
 * Guards: values that change nothing in the rendered output and are set anyway. Each says
 * why; a guard that has an effect after all, or that no Application sets, is itself a finding.
 */
export const GUARD_VALUES: readonly GuardValue[] = [];

export interface ProbedValue {
  readonly path: readonly string[];
  readonly category: EffectCategory;
}

/** The values of `values` in a checked category: the first key on each path that names one. */
export function probedValues(
  values: Readonly<Record<string, unknown>>,
  prefix: readonly string[] = [],
): ProbedValue[] {
  const out: ProbedValue[] = [];
  for (const [k, v] of Object.entries(values)) {
    const p = [...prefix, k];
    const category = (Object.keys(EFFECT_CATEGORIES) as EffectCategory[]).find((c) =>
      EFFECT_CATEGORIES[c].test(k),
    );
    if (category) out.push({ path: p, category });
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...probedValues(v as Record<string, unknown>, p));
  }
  return out;
}

type Json = unknown;

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** `values` without the value at `path`. */
export function without(
  values: Readonly<Record<string, unknown>>,
  path: readonly string[],
): Record<string, unknown> {
  const out = clone(values) as Record<string, unknown>;
  let node = out;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string, unknown>;
  delete node[path[path.length - 1]!];
  return out;
}

/**
 * `values` with the first scalar inside the value at `path` changed (a number + 1, a boolean
 * flipped, a string suffixed): a value the templates read then renders differently even
 * when it equals the chart's default. Undefined when the value holds no scalar.
 */
export function perturbed(
  values: Readonly<Record<string, unknown>>,
  path: readonly string[],
): Record<string, unknown> | undefined {
  const out = clone(values) as Record<string, unknown>;
  let parent: Record<string, Json> | Json[] = out;
  let key: string | number = path[0]!;
  for (const seg of path.slice(1)) {
    parent = (parent as Record<string, Json>)[key as string] as Record<string, Json>;
    key = seg;
  }
  const change = (v: Json): Json | undefined => {
    if (typeof v === 'number') return v + 1;
    if (typeof v === 'boolean') return !v;
    if (typeof v === 'string')
      return /^\d+/.test(v) ? v.replace(/^\d+/, (d) => String(Number(d) + 1)) : `${v}-probe`;
    return undefined;
  };
  // Depth-first to the first scalar, then replace it in place.
  const visit = (holder: Record<string, Json> | Json[], k: string | number): boolean => {
    const v = (holder as Record<string | number, Json>)[k];
    const c = change(v);
    if (c !== undefined) {
      (holder as Record<string | number, Json>)[k] = c;
      return true;
    }
    if (Array.isArray(v)) return v.some((_, i) => visit(v, i));
    if (v && typeof v === 'object')
      return Object.keys(v).some((kk) => visit(v as Record<string, Json>, kk));
    return false;
  };
  return visit(parent, key) ? out : undefined;
}

/** One render as documents keyed by their `# Source:` template and position in it. */
type Render = Map<string, string>;

function documents(text: string): Render {
  const out: Render = new Map();
  const seen = new Map<string, number>();
  for (const doc of text.split(/^---\s*$/m)) {
    const body = doc.trim();
    if (!body) continue;
    const source = /^# Source: (.+)$/m.exec(body)?.[1] ?? '-';
    const n = seen.get(source) ?? 0;
    seen.set(source, n + 1);
    out.set(`${source}#${n}`, body);
  }
  return out;
}

/** Leaf values of a YAML document by JSON path. */
function leaves(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, p: string) => {
    if (v && typeof v === 'object') {
      const entries = Array.isArray(v)
        ? v.map((x, i) => [String(i), x] as const)
        : Object.entries(v);
      if (entries.length === 0) out.set(p, JSON.stringify(v));
      for (const [k, x] of entries) walk(x, `${p}/${k}`);
    } else out.set(p, JSON.stringify(v));
  };
  walk(parse(text), '');
  return out;
}

/**
 * What differs between two renders of the same values (generated certificates, random
 * passwords, checksums of them): documents, and within them leaf paths, to ignore.
 */
interface Noise {
  readonly paths: ReadonlyMap<string, ReadonlySet<string>>;
}

function noiseOf(a: Render, b: Render): Noise {
  const paths = new Map<string, Set<string>>();
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || w === v) continue;
    const la = leaves(v);
    const lb = leaves(w);
    paths.set(
      k,
      new Set([...new Set([...la.keys(), ...lb.keys()])].filter((p) => la.get(p) !== lb.get(p))),
    );
  }
  return { paths };
}

function differs(base: Render, other: Render, noise: Noise): boolean {
  if (base.size !== other.size) return true;
  for (const [k, v] of base) {
    const w = other.get(k);
    if (w === undefined) return true;
    if (w === v) continue;
    const noisy = noise.paths.get(k);
    if (!noisy) return true;
    const la = leaves(v);
    const lb = leaves(w);
    for (const p of new Set([...la.keys(), ...lb.keys()]))
      if (!noisy.has(p) && la.get(p) !== lb.get(p)) return true;
  }
  return false;
}

/**
 * For every value an Application sets for placement, replicas, resources, secrets, OIDC or
 * storage: renders the chart without it and, when nothing changes, with it changed; a value
 * that changes nothing either way is read by no template, which is a finding (unless it is
 * a listed guard). Renders with helm, so it costs two to four renders a value.
 */
export async function checkValueEffects(
  env: RenderedEnvironment,
  options: Pick<RenderAddonsOptions, 'root' | 'helm'> & {
    readonly concurrency?: number;
    readonly guards?: readonly GuardValue[];
  },
): Promise<{ findings: RenderFinding[]; probed: number; renders: number }> {
  const guards = options.guards ?? GUARD_VALUES;
  const findings: RenderFinding[] = [];
  let probed = 0;
  let renders = 0;
  const render = async (a: RenderedApplication, values: Record<string, unknown>) => {
    renders++;
    try {
      const input = helmInput(
        options,
        a.app,
        a.source,
        env.kubernetesVersion,
        env.apiVersions,
        values,
      );
      return documents(await helmTemplateText(options.helm, input, false));
    } catch (err) {
      if (err instanceof HelmRenderError) return err;
      throw err;
    }
  };
  const jobs: (() => Promise<void>)[] = [];
  for (const a of env.applications) {
    const values = a.app.source.values;
    if (!values || a.source.plain) continue;
    const probes = probedValues(values);
    if (probes.length === 0) continue;
    jobs.push(async () => {
      const base = await render(a, values as Record<string, unknown>);
      const again = await render(a, values as Record<string, unknown>);
      if (base instanceof HelmRenderError) throw base;
      if (again instanceof HelmRenderError) throw again;
      const noisy = noiseOf(base, again);
      for (const probe of probes) {
        probed++;
        const dotted = probe.path.join('.');
        const guard = guards.find((g) => g.application === a.app.name && g.path === dotted);
        let effect = false;
        const removed = await render(a, without(values, probe.path));
        effect = removed instanceof HelmRenderError || differs(base, removed, noisy);
        if (!effect) {
          const changed = perturbed(values, probe.path);
          if (changed) {
            const r = await render(a, changed);
            effect = r instanceof HelmRenderError || differs(base, r, noisy);
          }
        }
        const add = (message: string) =>
          findings.push({
            check: 'value-effect',
            environment: env.name,
            application: a.app.name,
            resource: dotted,
            message,
          });
        if (!effect && !guard)
          add(
            `${probe.category} value ${dotted} changes nothing the chart renders (removed or changed); no template reads it`,
          );
        if (effect && guard)
          add(
            `${dotted} is listed as a guard (${guard.why}) but changes the rendered output; remove it from GUARD_VALUES`,
          );
      }
    });
  }
  const n = options.concurrency ?? 2;
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
  for (const g of guards) {
    const app = env.applications.find((a) => a.app.name === g.application);
    if (app && !probedValues(app.app.source.values ?? {}).some((p) => p.path.join('.') === g.path))
      findings.push({
        check: 'value-effect',
        environment: env.name,
        application: g.application,
        resource: g.path,
        message: `is listed as a guard but ${g.application} does not set it; remove it from GUARD_VALUES`,
      });
  }
  return { findings, probed, renders };
}
