import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the convergence program's entry point is, relative to the repository root. */
export const CONVERGE_ENTRY = 'src/cli/converge-realm.ts';
/** File name of the bundle in its ConfigMap (`.mjs`: Node runs it as an ES module). */
export const CONVERGE_PROGRAM_FILE = 'converge-realm.mjs';

/**
 * The stock image the program runs on: the Node release and Debian base the registry image
 * is built from (Dockerfile.registry), so one pin is bumped for both. The program needs
 * nothing but Node's standard library.
 */
export const CONVERGE_IMAGE = 'docker.io/library/node:20.19-bookworm-slim';

let bundled: string | undefined;

/**
 * The convergence program (src/cli/converge-realm.ts and what it imports: no dependency
 * beyond Node's own modules) as one ES module, for the Job's stock Node image. Built from
 * this repository's sources at synth time, so the Job runs exactly the code the identity
 * suite ran against a real Keycloak, and a change to it shows in the reviewed dist/ diff.
 * esbuild is pinned (package.json) and given relative paths only: the bytes are the same on
 * every machine.
 */
export function convergeProgram(): string {
  if (bundled !== undefined) return bundled;
  const root = repositoryRoot(fileURLToPath(import.meta.url));
  const out = buildSync({
    absWorkingDir: root,
    entryPoints: [CONVERGE_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    // Any package import would be missing from the stock image: fail the synth instead.
    packages: 'bundle',
  });
  const text = out.outputFiles[0]!.text;
  bundled = `// Bundled by npm run synth from ${CONVERGE_ENTRY} (esbuild). Do not edit.\n${text}`;
  return bundled;
}

/**
 * The repository this module belongs to: the nearest folder above it holding CONVERGE_ENTRY.
 * From source that is two levels up; from the CLI build (src/cli/run-built.mjs, in
 * node_modules/.cache) it is further, and the program is still bundled from the sources.
 */
export function repositoryRoot(moduleFile: string): string {
  for (let dir = path.dirname(moduleFile); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, CONVERGE_ENTRY))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`no folder above ${moduleFile} holds ${CONVERGE_ENTRY}`);
  }
}
