import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/**
 * Replaces `dir` with exactly `files`, atomically: everything is written to a sibling temp
 * folder first and swapped in with two renames, so an interrupted or failed run leaves the
 * old tree whole, and files no longer generated disappear.
 */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  const staging = path.join(parent, `.${base}-staging-${process.pid}`);
  const old = path.join(parent, `.${base}-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [rel, content] of files) {
      const target = path.join(staging, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    if (!existsSync(staging)) mkdirSync(staging, { recursive: true });
    const hadOld = existsSync(dir);
    if (hadOld) renameSync(dir, old);
    try {
      renameSync(staging, dir);
    } catch (err) {
      if (hadOld) renameSync(old, dir);
      throw err;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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
