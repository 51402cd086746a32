import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A git ref that cannot be resolved, or a base that does not synthesize. */
export class BaseSynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseSynthError';
  }
}

export interface BaseOutput {
  /** The commit the ref resolved to. */
  readonly commit: string;
  /** `dist/`-relative path → content, as the base's own synth writes it. */
  readonly files: Map<string, string>;
  /** How the base got its node_modules: shared with the working tree, or installed. */
  readonly nodeModules: 'linked' | 'installed';
}

function git(root: string, args: readonly string[], options: ExecFileSyncOptions = {}): string {
  return execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  })
    .toString()
    .trim();
}

/** The default base: where the current branch left `main` (or `origin/main`). */
export function defaultBaseRef(root: string): string {
  for (const candidate of ['main', 'origin/main']) {
    try {
      return git(root, ['merge-base', 'HEAD', candidate]);
    } catch {
      // try the next candidate: a CI checkout may have only the remote-tracking branch
    }
  }
  throw new BaseSynthError('no merge base with main or origin/main; pass --base <ref>');
}

export function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new BaseSynthError(
      `--base ${ref}: not a commit in ${root}; fetch it or name another ref`,
    );
  }
}

function readTree(dir: string, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(full, rel, out);
    else if (entry.isFile()) out.set(rel, readFileSync(full, 'utf8'));
  }
  return out;
}

/**
 * Checks `ref` out in a temporary `git worktree`, runs THAT commit's own synth there (its
 * constructs, its specs) and returns what it wrote. node_modules is linked from the working
 * tree when the base's package-lock.json is the same, installed with `npm ci` otherwise. The
 * worktree is removed afterwards, whatever happened.
 */
export function synthesizeBase(root: string, ref: string): BaseOutput {
  const commit = resolveCommit(root, ref);
  const scratch = mkdtempSync(path.join(tmpdir(), 'agentic-diff-base-'));
  const worktree = path.join(scratch, 'tree');
  const linked = path.join(worktree, 'node_modules');
  let nodeModules: BaseOutput['nodeModules'] = 'linked';
  try {
    git(root, ['worktree', 'add', '--detach', '--quiet', worktree, commit]);
    const lock = (dir: string) => {
      const f = path.join(dir, 'package-lock.json');
      return existsSync(f) ? readFileSync(f, 'utf8') : '';
    };
    if (existsSync(linked)) {
      // the base brings its own (a committed link): use it as it is
    } else if (lock(worktree) === lock(root) && existsSync(path.join(root, 'node_modules'))) {
      symlinkSync(path.join(root, 'node_modules'), linked, 'dir');
    } else {
      nodeModules = 'installed';
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
        cwd: worktree,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    }
    try {
      execFileSync(path.join(worktree, 'node_modules', '.bin', 'tsx'), ['src/cli/synth.ts'], {
        cwd: worktree,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
      throw new BaseSynthError(
        `synth of the base ${ref} (${commit.slice(0, 12)}) failed:\n${stderr}`,
      );
    }
    return { commit, files: readTree(path.join(worktree, 'dist')), nodeModules };
  } finally {
    // Unlink first so removing the worktree can never reach into the shared node_modules.
    if (lstatSync(linked, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(linked);
    try {
      git(root, ['worktree', 'remove', '--force', worktree]);
    } catch {
      // the worktree may not have been created; prune drops a half-registered one
    }
    git(root, ['worktree', 'prune']);
    rmSync(scratch, { recursive: true, force: true });
  }
}
