import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** What one write of a tree did. */
export interface WriteStats {
  /** Files generated (the whole tree). */
  readonly files: number;
  /** UTF-8 bytes of all generated files. */
  readonly bytes: number;
  /** Files whose bytes changed or that are new. */
  readonly written: number;
  /** Files no longer generated, removed. */
  readonly removed: number;
}

/** Every file below `dir`, as '/'-separated paths relative to it (empty when `dir` is absent). */
export function listTree(dir: string): Set<string> {
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const parent = (e as { parentPath?: string; path?: string }).parentPath ?? e.path!;
    out.add(path.relative(dir, path.join(parent, e.name)).split(path.sep).join('/'));
  }
  return out;
}

/** Sibling folders of `dir` that hold a run's new and replaced files until it commits. */
export function stagingDirs(dir: string, id: string) {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  return {
    staging: path.join(parent, `.${base}-staging-${id}`),
    old: path.join(parent, `.${base}-old-${id}`),
  };
}

/**
 * Stages the files of one part of a tree: a file whose bytes equal what `dir` already holds is
 * left alone; any other is written below `staging` at the same relative path. Nothing in `dir`
 * changes here, so a run that fails before `commitStaged` leaves it untouched. Safe to use
 * from several threads at once on disjoint paths.
 */
export class TreeStager {
  private readonly staged: string[] = [];
  private generatedBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly staging: string,
  ) {}

  /** Compares `content` with `dir/rel` and stages it when it differs; true when staged. */
  stage(rel: string, content: string): boolean {
    const bytes = Buffer.from(content);
    this.generatedBytes += bytes.length;
    const target = path.join(this.dir, rel);
    if (sameBytes(target, bytes)) return false;
    const file = path.join(this.staging, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    this.staged.push(rel);
    return true;
  }

  /** Relative paths staged so far. */
  get paths(): readonly string[] {
    return this.staged;
  }

  get bytes(): number {
    return this.generatedBytes;
  }
}

function sameBytes(file: string, bytes: Buffer): boolean {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  // A different size is a change without reading the file.
  return size === bytes.length && readFileSync(file).equals(bytes);
}

/**
 * Moves every staged file into `dir` and removes the files of `existing` that are no longer
 * `generated`, then empty folders. A file it replaces is first moved aside; if any rename
 * fails, every step done so far is undone, so `dir` is either the old tree or the new one.
 */
export function commitStaged(
  dir: string,
  dirs: { staging: string; old: string },
  staged: readonly string[],
  existing: ReadonlySet<string>,
  generated: ReadonlySet<string>,
): void {
  const done: { rel: string; replaced: boolean }[] = [];
  const removed: string[] = [];
  try {
    for (const rel of staged) {
      const target = path.join(dir, rel);
      const replaced = existing.has(rel);
      if (replaced) moveInto(target, path.join(dirs.old, rel));
      else mkdirSync(path.dirname(target), { recursive: true });
      done.push({ rel, replaced });
      renameSync(path.join(dirs.staging, rel), target);
    }
    for (const rel of existing) {
      if (generated.has(rel)) continue;
      moveInto(path.join(dir, rel), path.join(dirs.old, rel));
      removed.push(rel);
    }
  } catch (err) {
    for (const rel of removed.reverse()) moveInto(path.join(dirs.old, rel), path.join(dir, rel));
    for (const { rel, replaced } of done.reverse()) {
      const target = path.join(dir, rel);
      if (existsSync(path.join(dirs.staging, rel)) || !existsSync(target)) {
        // The new file never arrived: only the old one may need to come back.
      } else unlinkSync(target);
      if (replaced) moveInto(path.join(dirs.old, rel), target);
    }
    throw err;
  } finally {
    rmSync(dirs.staging, { recursive: true, force: true });
    rmSync(dirs.old, { recursive: true, force: true });
  }
  for (const rel of removed) removeEmptyParents(dir, rel);
}

function moveInto(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  renameSync(from, to);
}

/** Removes the folders of `rel` below `dir` that became empty, deepest first. */
function removeEmptyParents(dir: string, rel: string): void {
  let current = path.dirname(rel);
  while (current !== '.' && current !== '') {
    const abs = path.join(dir, current);
    try {
      if (readdirSync(abs).length > 0) return;
      rmdirSync(abs);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}
