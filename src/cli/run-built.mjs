// `npm run synth` and `npm run check`: runs the CLI from a JavaScript build of its sources, made
// by esbuild the first time and again whenever one of its inputs changed. Under tsx, loading
// the code took 2–5 s of every run (about a thousand modules through the loader's hooks, on
// the main thread and again in each worker thread); the build loads in a fraction of that, and
// its fingerprint (build.json) stands in for hashing the source tree for the synth caches.
// Plain JavaScript: it must run before anything can load TypeScript.
//
//   node src/cli/run-built.mjs <synth|check> [args...]
//
// `npm run synth` and `npm run check` start it with V8's --heap-growing-percent=30: after each
// full collection a heap may grow to 1.3 times what it holds (V8's own factor goes up to 4, and
// a synth's heaps grew to 2-3 GiB holding well under one). That bounds memory by what a run
// holds, not by a fixed limit that a larger platform could outgrow; measured at 10,000 tenants
// and at 1,000 in the README's "Scale". They also start it with --max-semi-space-size=32: V8's
// young generation may grow to two 32 MiB semi-spaces (16 MiB by default on this Node.js, on
// every thread, workers included). Synth and check allocate short-lived objects by the
// million (each cdk8s object is built, resolved and serialized, then dropped), and with the
// smaller nursery more of them survive a scavenge and are copied, or promoted for a full
// collection to find. Measured at 1,000 tenants: full synth ~7-18% less wall time, one-tenant
// re-synth unchanged, check ~5% less, for ~50-70 MiB more peak RSS; at 10,000 tenants 172 s
// against 222 s, 1,391 MiB against 1,315 MiB. Flags on the command line, not set from here:
// Node.js documents changing flags after start as unsupported.
//
// AGENTIC_BUILD_DIR moves the build folder (tests), inside the repository: the build finds
// the sources it bundles at synth time (converge-program.ts) by walking up from itself. Its
// default is in node_modules/.cache, so `npm ci` and a fresh clone start without one and
// nothing is committed.
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
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
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The commands, and the worker threads' modules they start (write-tree.ts, run-check.ts). */
const ENTRIES = {
  synth: 'src/cli/synth.ts',
  check: 'src/cli/check.ts',
  'synth-worker': 'src/synth/synth-worker.ts',
  'check-worker': 'src/check/check-worker.ts',
};
const COMMANDS = ['synth', 'check'];

/**
 * Plain-JavaScript modules started by path beside the module that starts them
 * (secret-scan.ts): copied into the build as they are, with their own imports left to Node.
 */
const COPIED = ['src/spec/secret-scan-worker.mjs'];

/**
 * Inputs esbuild does not see: the installed packages the copied modules import, and the
 * build's own recipe (this file).
 */
const EXTRA_INPUTS = ['node_modules/.package-lock.json', 'src/cli/run-built.mjs'];

/** Bumped when the build's layout or options change: older builds are rebuilt. */
const FORMAT = 'cli-build/1';

/** Builds older than this that are not the current one are removed (a run may still use one). */
const KEEP_OLD_MS = 60 * 60 * 1000;

// ESM output of CommonJS packages: esbuild's require shim needs a real `require`.
const BANNER =
  "import { createRequire as __agenticRequire } from 'node:module';\nconst require = __agenticRequire(import.meta.url);";

function buildRoot() {
  const dir = process.env.AGENTIC_BUILD_DIR;
  if (!dir) return path.join(ROOT, 'node_modules', '.cache', 'agentic-platform', 'cli');
  const abs = path.resolve(dir);
  if (path.relative(ROOT, abs).startsWith('..') || path.isAbsolute(path.relative(ROOT, abs)))
    throw new Error(`AGENTIC_BUILD_DIR must be a folder inside ${ROOT}, got "${dir}"`);
  return abs;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function readOrUndefined(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** What the build depends on besides its inputs' bytes. */
function toolchain() {
  const esbuild = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules/esbuild/package.json'), 'utf8'),
  );
  return `${FORMAT} node ${process.version} esbuild ${esbuild.version}`;
}

/** Hash of every input (relative to ROOT), absent ones as absent. */
function inputHashes(inputs) {
  return inputs.map((rel) => {
    const bytes = readOrUndefined(path.join(ROOT, rel));
    return [rel, bytes === undefined ? '-' : sha256(bytes)];
  });
}

/** The current build's folder when its stamp still matches the sources, else undefined. */
function currentBuild(root, chain) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, 'current.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (stamp?.toolchain !== chain || !Array.isArray(stamp.inputs) || typeof stamp.build !== 'string')
    return undefined;
  const dir = path.join(root, stamp.build);
  if (!existsSync(path.join(dir, 'build.json'))) return undefined;
  const now = inputHashes(stamp.inputs.map(([rel]) => rel));
  for (let i = 0; i < now.length; i++) if (now[i][1] !== stamp.inputs[i][1]) return undefined;
  return dir;
}

async function build(root, chain) {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(root, { recursive: true });
  const tmp = path.join(root, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const result = await esbuild({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      outExtension: { '.js': '.mjs' },
      banner: { js: BANNER },
      metafile: true,
      logLevel: 'error',
      // Finds its binary beside its own files: bundled, it could not.
      external: ['esbuild'],
    });
    for (const rel of COPIED)
      copyFileSync(path.join(ROOT, rel), path.join(tmp, path.basename(rel)));
    // The build's identity: every file it holds and what the copied modules import.
    const id = createHash('sha256').update(chain);
    for (const name of readdirSync(tmp).sort())
      id.update(`${name}\0`).update(readFileSync(path.join(tmp, name)));
    for (const rel of EXTRA_INPUTS)
      id.update(`${rel}\0`).update(readOrUndefined(path.join(ROOT, rel)) ?? '-');
    const fingerprint = id.digest('hex');
    writeFileSync(
      path.join(tmp, 'build.json'),
      `${JSON.stringify({ fingerprint, toolchain: chain })}\n`,
    );
    const dir = path.join(root, fingerprint.slice(0, 16));
    // Another run may have made the same build meanwhile: theirs is as good as this one.
    if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true });
    else {
      try {
        renameSync(tmp, dir);
      } catch (err) {
        // Renamed into place by another run between the check and here.
        if (!existsSync(path.join(dir, 'build.json'))) throw err;
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    const inputs = [
      ...new Set([...Object.keys(result.metafile.inputs), ...COPIED, ...EXTRA_INPUTS]),
    ].sort();
    const stamp = path.join(root, `current.json.${process.pid}.tmp`);
    writeFileSync(
      stamp,
      `${JSON.stringify({ toolchain: chain, build: path.basename(dir), inputs: inputHashes(inputs) })}\n`,
    );
    renameSync(stamp, path.join(root, 'current.json'));
    pruneOld(root, path.basename(dir));
    return dir;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function pruneOld(root, keep) {
  const now = Date.now();
  for (const name of readdirSync(root)) {
    if (name === keep || name === 'current.json') continue;
    const file = path.join(root, name);
    try {
      if (now - statSync(file).mtimeMs > KEEP_OLD_MS)
        rmSync(file, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}

const command = process.argv[2];
if (!COMMANDS.includes(command)) {
  process.stderr.write(`usage: node src/cli/run-built.mjs <${COMMANDS.join('|')}> [args...]\n`);
  process.exit(2);
}
let dir;
try {
  const root = buildRoot();
  const chain = toolchain();
  dir = currentBuild(root, chain);
  if (!dir) {
    process.stderr.write(`${command}: building the CLI from src/ (once after each code change)\n`);
    dir = await build(root, chain);
  }
} catch (err) {
  process.stderr.write(`${command}: could not build the CLI from src/: ${err.message}\n`);
  process.exit(3);
}
// The command sees its own arguments only, as under tsx.
process.argv.splice(2, 1);
await import(pathToFileURL(path.join(dir, `${command}.mjs`)).href);
