import { manifestFileName, type Manifest } from './manifest';
import { renderYaml } from './render';

/** Files of one environment, keyed by path relative to `dist/<env>/`. */
export type OutputFiles = Map<string, string>;

/**
 * The object each manifest file of an output was rendered from, by path: `npm run check` reads
 * a committed file that is byte-identical to the fresh synth as this object instead of parsing
 * its YAML again (the YAML writer is exact, so parsing it gives this object back).
 */
const renderedObjects = new WeakMap<ReadonlyMap<string, string>, Map<string, Manifest>>();

/** Adds one file a manifest under `folder`; two objects claiming the same file is a bug. */
export function addManifests(
  out: OutputFiles,
  folder: string,
  manifests: readonly Manifest[],
  source: string,
): void {
  let objects = renderedObjects.get(out);
  if (!objects) renderedObjects.set(out, (objects = new Map()));
  for (const m of manifests) {
    const file = `${folder}/${manifestFileName(m)}`;
    addFile(out, file, renderYaml(m, source));
    objects.set(file, m);
  }
}

/** The manifest `out`'s file `path` was rendered from, if it was rendered from one. */
export function renderedObject(
  out: ReadonlyMap<string, string>,
  path: string,
): Manifest | undefined {
  return renderedObjects.get(out)?.get(path);
}

/** Records that `to`'s file `toPath` holds what `from`'s `fromPath` was rendered from. */
export function carryRenderedObject(
  from: ReadonlyMap<string, string>,
  fromPath: string,
  to: ReadonlyMap<string, string>,
  toPath: string,
): void {
  const m = renderedObject(from, fromPath);
  if (!m) return;
  let objects = renderedObjects.get(to);
  if (!objects) renderedObjects.set(to, (objects = new Map()));
  objects.set(toPath, m);
}

export function addFile(out: OutputFiles, path: string, content: string): void {
  if (out.has(path)) {
    throw new Error(`two generated objects map to the same file ${path}; give them distinct names`);
  }
  out.set(path, content);
}
