import type { PlatformModel } from '../model/types';
import type { OutputFiles } from './output';
import { LAYERS } from './synthesize';
import { tenantBundleFiles, tenantLayer } from './tenant-layer';

/**
 * A piece of one environment's output that can be synthesized on its own: the layers shared
 * by all tenants, or the bundles of some of its tenants. Units of one environment write
 * disjoint paths, so any thread can build any unit in any order.
 */
export type SynthUnit =
  | { readonly env: number; readonly part: 'shared' }
  | { readonly env: number; readonly part: 'tenants'; readonly tenants: readonly number[] };

/** Tenants per unit: small enough to balance two threads, large enough to amortize a message. */
export const TENANTS_PER_UNIT = 25;

/** Every unit of `model`: the shared part of each environment first (the longest), then tenants. */
export function planUnits(model: PlatformModel): SynthUnit[] {
  const units: SynthUnit[] = model.environments.map((_, env) => ({ env, part: 'shared' }));
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

/** The files of one unit, keyed by path relative to `dist/` (`<env>/…`). */
export function unitFiles(model: PlatformModel, unit: SynthUnit): OutputFiles {
  const env = model.environments[unit.env]!;
  const out: OutputFiles = new Map();
  if (unit.part === 'shared') {
    for (const layer of LAYERS) if (layer !== tenantLayer) layer(env, out);
  } else {
    for (const i of unit.tenants) tenantBundleFiles(env, env.tenants[i]!, out);
  }
  const files: OutputFiles = new Map();
  for (const [p, content] of out) files.set(`${env.name}/${p}`, content);
  return files;
}
