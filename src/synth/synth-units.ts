import type { PlatformModel } from '../model/types';
import { BundleCache, contextKey, type BundleCacheOptions } from './bundle-cache';
import { addFile, type OutputFiles } from './output';
import { bootstrapLayer, platformLayer } from '../platform/layers';
import { conventionsLayer } from '../policy/conventions-layer';
import { guardrailsLayer } from '../policy/guardrails-layer';
import { registryLayer } from '../registry/deploy/registry-layer';
import { LAYERS, type Layer } from './synthesize';
import { bundleContext, tenantBundleFiles, tenantLayer } from './tenant-layer';
import { terraformLayer } from './terraform-layer';

/**
 * A piece of one environment's output that can be synthesized on its own: one of the layers
 * shared by all tenants (an index into LAYERS), or the bundles of some of its tenants. Units
 * write disjoint paths (no layer reads another's output), so any thread can build any unit in
 * any order.
 */
export type SynthUnit =
  | { readonly env: number; readonly part: 'shared'; readonly layer: number }
  | { readonly env: number; readonly part: 'tenants'; readonly tenants: readonly number[] };

/** Tenants per unit: small enough to balance two threads, large enough to amortize a message. */
export const TENANTS_PER_UNIT = 25;

/**
 * The shared layers, longest first (at 1,000 tenants: platform ~2.5 s an environment,
 * bootstrap and registry ~0.5–1 s, terraform ~0.3 s, the policy layers milliseconds), so
 * the threads end together instead of one finishing a long layer alone.
 */
const SHARED_ORDER: readonly Layer[] = [
  platformLayer,
  registryLayer,
  bootstrapLayer,
  terraformLayer,
  guardrailsLayer,
  conventionsLayer,
];

/**
 * Every unit of `model`: the shared layers of every environment first, longest layer first,
 * then each environment's tenants 25 at a time.
 */
export function planUnits(model: PlatformModel): SynthUnit[] {
  const order = LAYERS.map((layer, i) => ({ layer, i }))
    .filter(({ layer }) => layer !== tenantLayer)
    .sort((a, b) => rank(a.layer) - rank(b.layer));
  const units: SynthUnit[] = [];
  for (const { i } of order)
    model.environments.forEach((_, env) => units.push({ env, part: 'shared', layer: i }));
  model.environments.forEach((e, env) => {
    for (let i = 0; i < e.tenants.length; i += TENANTS_PER_UNIT) {
      const tenants = Array.from(
        { length: Math.min(TENANTS_PER_UNIT, e.tenants.length - i) },
        (_, k) => i + k,
      );
      units.push({ env, part: 'tenants', tenants });
    }
  });
  return units;
}

/** A layer missing from SHARED_ORDER (a new one) goes first: unknown cost, start it early. */
function rank(layer: Layer): number {
  return SHARED_ORDER.indexOf(layer);
}

/** One unit's files, keyed by path relative to `dist/` (`<env>/…`), and how they were made. */
export interface UnitResult {
  readonly files: OutputFiles;
  /** `<env>/<tenant>` of every tenant bundle built through cdk8s (not taken from the cache). */
  readonly built: readonly string[];
  /** Tenant bundles taken from the cache. */
  readonly cached: number;
  /** Cache keys of the unit's bundles (the entries a prune keeps). */
  readonly keys: readonly string[];
}

/**
 * Builds units of one model, taking tenant bundles from a cache when one is given (and storing
 * the ones it had to build). One a thread: it remembers each environment's context key.
 */
export class UnitBuilder {
  private readonly cache: BundleCache | undefined;
  private readonly contexts = new Map<number, string | undefined>();

  constructor(
    private readonly model: PlatformModel,
    cache?: BundleCacheOptions,
  ) {
    this.cache = cache && new BundleCache(cache);
  }

  build(unit: SynthUnit): UnitResult {
    const env = this.model.environments[unit.env]!;
    const out: OutputFiles = new Map();
    const built: string[] = [];
    const keys: string[] = [];
    let cached = 0;
    if (unit.part === 'shared') {
      LAYERS[unit.layer]!(env, out);
    } else {
      for (const i of unit.tenants) {
        const tenant = env.tenants[i]!;
        const key = this.cache && this.bundleKey(unit.env, i);
        if (key !== undefined) keys.push(key);
        const hit = key === undefined ? undefined : this.cache!.read(key);
        if (hit) {
          for (const [p, content] of hit) addFile(out, p, content);
          cached++;
          continue;
        }
        const own: OutputFiles = new Map();
        tenantBundleFiles(env, tenant, own);
        for (const [p, content] of own) addFile(out, p, content);
        if (key !== undefined) this.cache!.write(key, [...own]);
        built.push(`${env.name}/${tenant.name}`);
      }
    }
    const files: OutputFiles = new Map();
    for (const [p, content] of out) files.set(`${env.name}/${p}`, content);
    return { files, built, cached, keys };
  }

  private bundleKey(env: number, tenant: number): string | undefined {
    const e = this.model.environments[env]!;
    if (!this.contexts.has(env)) this.contexts.set(env, contextKey(bundleContext(e)));
    const context = this.contexts.get(env);
    return context === undefined ? undefined : this.cache!.key(context, e.tenants[tenant]!);
  }
}

/** The files of one unit, keyed by path relative to `dist/` (`<env>/…`), built without a cache. */
export function unitFiles(model: PlatformModel, unit: SynthUnit): OutputFiles {
  return new UnitBuilder(model).build(unit).files;
}
