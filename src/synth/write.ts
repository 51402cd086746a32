import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { commitStaged, listTree, stagingDirs, TreeStager, type WriteStats } from './tree-writer';

/**
 * Makes `dir` hold exactly `files`: writes only the files whose bytes differ, removes the ones
 * no longer listed, atomically (staged beside `dir`, moved in only when all are staged; see
 * tree-writer.ts), so a failed run leaves the old tree whole.
 */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): WriteStats {
  const dirs = stagingDirs(dir, `${process.pid}-${Date.now()}`);
  const existing = listTree(dir);
  const stager = new TreeStager(dir, dirs.staging);
  try {
    for (const [rel, content] of files) stager.stage(rel, content);
  } catch (err) {
    rmSync(dirs.staging, { recursive: true, force: true });
    throw err;
  }
  mkdirSync(dir, { recursive: true });
  const removed = commitStaged(dir, dirs, stager.paths, existing, new Set(files.keys()));
  return { files: files.size, bytes: stager.bytes, written: stager.paths.length, removed };
}

/** Reads every file below `dir` as `Map<relative path, content>` (empty when absent). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else files.set(child, readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** Paths that differ between two trees: added, removed, changed. */
export function diffTrees(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
) {
  const added = [...expected.keys()].filter((p) => !actual.has(p));
  const removed = [...actual.keys()].filter((p) => !expected.has(p));
  const changed = [...expected.keys()].filter(
    (p) => actual.has(p) && actual.get(p) !== expected.get(p),
  );
  return { added, removed, changed, clean: added.length + removed.length + changed.length === 0 };
}
