import { manifestFileName, type Manifest } from './manifest';
import { renderYaml } from './render';

/** Files of one environment, keyed by path relative to `dist/<env>/`. */
export type OutputFiles = Map<string, string>;

/** Adds one file a manifest under `folder`; two objects claiming the same file is a bug. */
export function addManifests(
  out: OutputFiles,
  folder: string,
  manifests: readonly Manifest[],
  source: string,
): void {
  for (const m of manifests)
    addFile(out, `${folder}/${manifestFileName(m)}`, renderYaml(m, source));
}

export function addFile(out: OutputFiles, path: string, content: string): void {
  if (out.has(path)) {
    throw new Error(`two generated objects map to the same file ${path}; give them distinct names`);
  }
  out.set(path, content);
}
