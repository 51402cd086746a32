import { environmentShared } from '../model/environment-shared';
import type {
  EnvironmentContext,
  EnvironmentModel,
  EnvironmentShared,
  PlatformModel,
  TenantModel,
} from '../model/types';
import { BundleCache, contextKey, type BundleCacheOptions } from './bundle-cache';
import type { DistIndex } from './dist-index';
import { addFile, type OutputFiles } from './output';
import { bootstrapLayer, platformLayer } from '../platform/layers';
import { conventionsLayer } from '../policy/conventions-layer';
import { guardrailsLayer } from '../policy/guardrails-layer';
import { registryLayer } from '../registry/deploy/registry-layer';
import { bundleContext, type Layer, type TenantPart } from './layer';
import { LAYERS } from './synthesize';
import { terraformLayer } from './terraform-layer';

/**
 * A piece of one environment's output that can be synthesized on its own: the environment's
 * own objects of one layer (an index into LAYERS), or everything of some of its tenants (their
 * bundles and their objects in the other layers: AppProject, tenant-sync folder, catalog
 * part). Units write disjoint paths (no layer reads another's output), so any thread can
 * build any unit in any order.
 */
export type SynthUnit =
  | { readonly env: number; readonly part: 'shared'; readonly layer: number }
  | { readonly env: number; readonly part: 'tenants'; readonly tenants: readonly number[] };

/** Tenants per unit: small enough to balance two threads, large enough to amortize a message. */
export const TENANTS_PER_UNIT = 25;

/**
 * The layers' environment parts, longest first, so the threads end together instead of one
 * finishing a long part alone. Their cost does not grow with the tenants (each tenant's
 * objects are built in its unit); measured warm at 1,000 tenants, an environment: terraform
 * ~0.1 s, platform 20–50 ms, bootstrap 10–25 ms, registry ~10 ms, the policy layers a few ms.
 */
const SHARED_ORDER: readonly Layer[] = [
  terraformLayer,
  platformLayer,
  bootstrapLayer,
  registryLayer,
  guardrailsLayer,
  conventionsLayer,
];

/**
 * Every unit of `model`: the layers' environment parts of every environment first, longest
 * first, then each environment's tenants 25 at a time.
 */
export function planUnits(model: PlatformModel): SynthUnit[] {
  const order = LAYERS.map((layer, i) => ({ layer, i }))
    .filter(({ layer }) => layer.parts.environment)
    .sort((a, b) => rank(a.layer) - rank(b.layer));
  const units: SynthUnit[] = [];
  for (const { i } of order)
    model.environments.forEach((_, env) => units.push({ env, part: 'shared', layer: i }));
  model.environments.forEach((e, env) => {
    for (const tenants of tenantGroups(e.tenants.length, TENANTS_PER_UNIT))
      units.push({ env, part: 'tenants', tenants });
  });
  return units;
}

/** Indexes 0..count-1 in consecutive groups of `size` (the last may be smaller). */
export function tenantGroups(count: number, size: number): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < count; i += size)
    groups.push(Array.from({ length: Math.min(size, count - i) }, (_, k) => i + k));
  return groups;
}

/** A layer missing from SHARED_ORDER (a new one) goes first: unknown cost, start it early. */
function rank(layer: Layer): number {
  return SHARED_ORDER.indexOf(layer);
}

/** The tenant parts of LAYERS, in their order: everything a tenant unit builds for a tenant. */
export const TENANT_PARTS: readonly TenantPart[] = LAYERS.flatMap((l) =>
  l.parts.tenant ? [l.parts.tenant] : [],
);

/** One unit's files, keyed by path relative to `dist/` (`<env>/…`), and how they were made. */
export interface UnitResult {
  readonly files: OutputFiles;
  /** `<env>/<tenant>` of every tenant bundle built through cdk8s (not taken from the cache). */
  readonly built: readonly string[];
  /** Tenant bundles taken from the cache. */
  readonly cached: number;
  /** Environment parts taken from the cache (or vouched for by the index) instead of built. */
  readonly sharedCached: number;
  /** Cache keys of the unit's bundles and environment parts (the entries a prune keeps). */
  readonly keys: readonly string[];
  /**
   * Files (relative to dist/) the dist index vouches for: generated, with the bytes dist/
   * holds, so neither read nor compared. Not in `files`.
   */
  readonly unchanged: readonly string[];
  /** Their bytes, as the index recorded them. */
  readonly unchangedBytes: number;
  /**
   * Each cached bundle's files for the next dist index: the encoded entry the index vouched
   * for, or their paths (relative to dist/) to stat.
   */
  readonly indexed: readonly (readonly [key: string, files: string | readonly string[]])[];
}

/** A value built from one environment, with its serialization for cache keys (`keyed`). */
interface Keyed<T> {
  readonly value: T;
  readonly key?: string;
}

/** What `build` gathers for one unit. */
interface Accumulated {
  readonly out: OutputFiles;
  readonly built: string[];
  readonly keys: string[];
  readonly unchanged: string[];
  unchangedBytes: number;
  readonly indexed: [string, string | readonly string[]][];
  cached: number;
  sharedCached: number;
}

/**
 * Builds units of one model, taking tenant bundles and the layers' environment parts from a
 * cache when one is given (and storing the ones it had to build). One a thread: it remembers
 * each environment's context and shared keys.
 */
export class UnitBuilder {
  private readonly cache: BundleCache | undefined;
  private readonly contexts = new Map<number, Keyed<EnvironmentContext>>();
  private readonly shareds = new Map<number, Keyed<EnvironmentShared>>();

  constructor(
    private readonly model: PlatformModel,
    cache?: BundleCacheOptions,
    /** What the last synth committed (dist-index.ts); only used with a cache (its keys). */
    private readonly index?: DistIndex,
  ) {
    this.cache = cache && new BundleCache(cache);
  }

  build(unit: SynthUnit): UnitResult {
    const env = this.model.environments[unit.env]!;
    const acc: Accumulated = {
      out: new Map(),
      built: [],
      keys: [],
      unchanged: [],
      unchangedBytes: 0,
      indexed: [],
      cached: 0,
      sharedCached: 0,
    };
    if (unit.part === 'shared') {
      const part = LAYERS[unit.layer]!.parts.environment!;
      const { value: shared, key: sharedKey } = this.keyed(
        this.shareds,
        unit.env,
        environmentShared,
      );
      const key =
        sharedKey === undefined ? undefined : this.cache!.sharedKey(sharedKey, unit.layer);
      if (this.cachedPart(env.name, key, acc, (own) => part(shared, own))) acc.sharedCached++;
    } else {
      const { value: context, key: contextKey } = this.keyed(
        this.contexts,
        unit.env,
        bundleContext,
      );
      for (const i of unit.tenants) {
        const tenant = env.tenants[i]!;
        const key = contextKey === undefined ? undefined : this.cache!.key(contextKey, tenant);
        const build = (out: OutputFiles) => this.buildTenant(context, tenant, out);
        if (this.cachedPart(env.name, key, acc, build)) acc.cached++;
        else acc.built.push(`${env.name}/${tenant.name}`);
      }
    }
    const { out, ...result } = acc;
    const files: OutputFiles = new Map();
    for (const [p, content] of out) files.set(`${env.name}/${p}`, content);
    return { files, ...result };
  }

  /**
   * One cacheable part (a tenant's files, or a layer's environment part) under `key`: vouched
   * for by the dist index, else read from the cache, else built with `build` and stored.
   * Undefined key: built, not cached. True when it was not built.
   */
  private cachedPart(
    env: string,
    key: string | undefined,
    acc: Accumulated,
    build: (out: OutputFiles) => void,
  ): boolean {
    if (key === undefined) {
      build(acc.out);
      return false;
    }
    acc.keys.push(key);
    const same = this.index?.unchanged(key);
    if (same) {
      for (const [rel, size] of same.files) {
        acc.unchanged.push(rel);
        acc.unchangedBytes += size;
      }
      acc.indexed.push([key, same.entry]);
      return true;
    }
    const hit = this.cache!.read(key);
    const own: OutputFiles = new Map();
    if (hit) for (const [p, content] of hit) addFile(own, p, content);
    else {
      build(own);
      this.cache!.write(key, [...own]);
    }
    for (const [p, content] of own) addFile(acc.out, p, content);
    acc.indexed.push([key, [...own.keys()].map((p) => `${env}/${p}`)]);
    return hit !== undefined;
  }

  private buildTenant(context: EnvironmentContext, tenant: TenantModel, out: OutputFiles): void {
    for (const part of TENANT_PARTS) part(context, tenant, out);
  }

  /**
   * What environment `env`'s parts are built from, made once a thread by `make` (its bundle
   * context, or `environmentShared`), and with a cache its serialization for their keys
   * (undefined: not cacheable).
   */
  private keyed<T extends EnvironmentContext>(
    memo: Map<number, Keyed<T>>,
    env: number,
    make: (env: EnvironmentModel) => T,
  ): Keyed<T> {
    let k = memo.get(env);
    if (!k) {
      const value = make(this.model.environments[env]!);
      const key = this.cache && contextKey(value);
      k = key === undefined ? { value } : { value, key };
      memo.set(env, k);
    }
    return k;
  }
}
