import { performance } from 'node:perf_hooks';
import { buildModel } from '../model/build';
import type { PlatformModel } from '../model/types';
import { loadSpecs, type SpecOptions } from '../spec/load';
import { synthesize } from '../synth/synthesize';

export interface SynthResult {
  readonly model: PlatformModel;
  readonly files: Map<string, string>;
  readonly millis: number;
}

/** Specs below `root` → model. Reads specs; throws SpecError naming file, line and field. */
export function modelFromRepo(root: string, options: SpecOptions = {}): PlatformModel {
  return buildModel(loadSpecs(root, options));
}

/** Specs below `root` → model → files. Reads specs; writes nothing. */
export function synthFromRepo(root: string, options: SpecOptions = {}): SynthResult {
  const start = performance.now();
  const model = modelFromRepo(root, options);
  const files = synthesize(model);
  return { model, files, millis: Math.round(performance.now() - start) };
}

export function summary(result: SynthResult) {
  return {
    environments: result.model.environments.map((e) => ({
      name: e.name,
      tenants: e.tenants.length,
      files: [...result.files.keys()].filter((p) => p.startsWith(`${e.name}/`)).length,
    })),
    tenants: new Set(result.model.environments.flatMap((e) => e.tenants.map((t) => t.name))).size,
    files: result.files.size,
    millis: result.millis,
  };
}
