import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runsFromSource } from './sibling-module';

/**
 * What a cached tenant bundle's bytes may depend on besides its inputs: every file of the code
 * that builds it. Deliberately wide (a stale cache is a wrong dist/, a too-wide fingerprint only
 * a slower synth): all of src/, constructs/, imports/ (the generated cdk8s classes), vendor/
 * and every workspace package's sources, the package manifests and lock files (the resolved
 * dependency versions, including what `npm ci` actually installed), tsconfig.json, and the
 * Node.js version.
 */
export const FINGERPRINTED_DIRS = ['src', 'constructs', 'imports', 'vendor', 'packages'] as const;
export const FINGERPRINTED_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'node_modules/.package-lock.json',
] as const;

/** Folders below the fingerprinted ones that are not code: installs and build outputs. */
const SKIPPED = new Set(['node_modules', 'dist', '.git']);

/** sha256 (hex) over the code below `codeRoot` that synthesizes a tenant bundle. */
export function codeFingerprint(codeRoot: string): string {
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\0`);
  const files: string[] = [...FINGERPRINTED_FILES];
  for (const dir of FINGERPRINTED_DIRS) collect(codeRoot, dir, files);
  files.sort();
  for (const rel of files) {
    const abs = path.join(codeRoot, rel);
    // A listed file that is absent hashes as absent, so adding it later changes the fingerprint.
    const content = existsSync(abs) ? readFileSync(abs) : undefined;
    hash.update(`${rel}\0${content === undefined ? -1 : content.length}\0`);
    if (content) hash.update(content);
  }
  return hash.digest('hex');
}

function collect(root: string, rel: string, files: string[]): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIPPED.has(e.name)) collect(root, child, files);
    } else if (e.isFile() || e.isSymbolicLink()) {
      files.push(child);
    }
  }
}

/**
 * The fingerprint of the CLI build (src/cli/run-built.mjs) a module runs from, given its
 * `import.meta.url`; undefined when it runs from source. The build holds all the code a
 * bundle's bytes come from (every source and package module inlined), so its hash is the
 * narrower and exact fingerprint, and reading it costs nothing where hashing the tree cost
 * ~0.3 s a run.
 */
export function buildFingerprint(moduleUrl: string): string | undefined {
  if (runsFromSource(moduleUrl)) return undefined;
  const file = fileURLToPath(new URL('./build.json', moduleUrl));
  const { fingerprint } = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint?: unknown };
  if (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint))
    throw new Error(`${file} holds no build fingerprint; remove its folder to rebuild`);
  return fingerprint;
}
