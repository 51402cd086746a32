import path from 'node:path';
import { buildModel } from '../../src/model/build';
import type { PlatformModel } from '../../src/model/types';
import { bootstrapLayer, platformLayer } from '../../src/platform/layers';
import { loadSpecs } from '../../src/spec/load';
import { LAYERS, synthesize } from '../../src/synth/synthesize';
import { parse } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '../..');

let cached: { model: PlatformModel; files: Map<string, string> } | undefined;

/** The repository's specs synthesized with the tenant layers plus the GitOps/platform layers. */
export function synthRepo() {
  if (!cached) {
    const model = buildModel(loadSpecs(ROOT));
    const extra = LAYERS.includes(bootstrapLayer) ? [] : [bootstrapLayer, platformLayer];
    cached = { model, files: synthesize(model, [...LAYERS, ...extra]) };
  }
  return cached;
}

export interface Doc {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  readonly spec: Record<string, any>;
}

/** Parsed objects of every file under `prefix`. */
export function docs(prefix: string): { path: string; doc: Doc }[] {
  const { files } = synthRepo();
  return [...files]
    .filter(([p]) => p.startsWith(prefix) && p.endsWith('.yaml'))
    .map(([p, c]) => ({ path: p, doc: parse(c) as Doc }));
}
