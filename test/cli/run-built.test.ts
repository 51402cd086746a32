import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../src/synth/write';
import { ROOT } from '../helpers';

const LAUNCHER = path.join(ROOT, 'src', 'cli', 'run-built.mjs');
const BUILDING = 'building the CLI from src/';

// A build folder of this file's own (inside the repository, as the launcher requires), so the
// shared one in node_modules/.cache is neither used nor disturbed.
const buildDir = path.join(
  ROOT,
  'node_modules',
  '.cache',
  'agentic-platform',
  `cli-test-${process.pid}`,
);
let work: string;

const launch = (args: string[], env: Record<string, string> = {}) =>
  spawnSync('node', [LAUNCHER, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, AGENTIC_BUILD_DIR: buildDir, ...env },
  });

const stampFile = path.join(buildDir, 'current.json');
const stamp = () =>
  JSON.parse(readFileSync(stampFile, 'utf8')) as {
    toolchain: string;
    build: string;
    inputs: [string, string][];
  };

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'run-built-'));
  for (const dir of ['environments', 'tenants', 'policies'])
    cpSync(path.join(ROOT, dir), path.join(work, dir), { recursive: true });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
});

describe('run-built.mjs (npm run synth, npm run check)', () => {
  it(
    'builds the CLI once, then runs from the build until an input or the toolchain changes',
    {
      timeout: 120_000,
    },
    () => {
      const first = launch(['synth', '--help']);
      expect(first.status).toBe(0);
      expect(first.stderr).toContain(BUILDING);
      expect(first.stdout).toContain('usage: npm run synth');
      const inputs = stamp().inputs.map(([rel]) => rel);
      // What esbuild read: the entries, the constructs, the packages inlined, and the installed
      // package list the copied secret-scan worker's imports come from.
      for (const rel of [
        'src/cli/synth.ts',
        'src/check/check-worker.ts',
        'constructs/tenant/tenant-bundle.ts',
        'src/spec/secret-scan-worker.mjs',
        'node_modules/.package-lock.json',
      ])
        expect(inputs).toContain(rel);
      expect(inputs.some((rel) => rel.startsWith('node_modules/cdk8s/'))).toBe(true);

      const again = launch(['synth', '--help']);
      expect(again.status).toBe(0);
      expect(again.stderr).not.toContain(BUILDING);

      // An input whose bytes no longer match the stamp: rebuilt.
      const s = stamp();
      writeFileSync(
        stampFile,
        JSON.stringify({
          ...s,
          inputs: s.inputs.map(([rel, h]) => [
            rel,
            rel === 'src/cli/synth.ts' ? '0'.repeat(64) : h,
          ]),
        }),
      );
      expect(launch(['synth', '--help']).stderr).toContain(BUILDING);
      // Another Node.js or esbuild (the toolchain line): rebuilt.
      writeFileSync(stampFile, JSON.stringify({ ...stamp(), toolchain: 'cli-build/1 node v0' }));
      expect(launch(['synth', '--help']).stderr).toContain(BUILDING);
      expect(launch(['synth', '--help']).stderr).not.toContain(BUILDING);
    },
  );

  it(
    'synthesizes from the build the bytes of the committed dist/, on one thread and on two, and caches bundles under the build fingerprint',
    {
      timeout: 180_000,
    },
    () => {
      const committed = readTree(path.join(ROOT, 'dist'));
      const one = path.join(work, 'one');
      const r1 = launch(['synth', '--root', work, '--out', one, '--threads', '1', '--no-cache']);
      expect(r1.status, r1.stderr).toBe(0);
      expect(readTree(one)).toEqual(committed);

      // Two threads: the worker runs the build's synth-worker.mjs, without tsx.
      const two = path.join(work, 'two');
      const r2 = launch(['synth', '--root', work, '--out', two, '--threads', '2', '--json']);
      expect(r2.status, r2.stderr).toBe(0);
      expect(readTree(two)).toEqual(committed);
      expect(JSON.parse(r2.stdout)).toMatchObject({ bundlesBuilt: 9, bundlesCached: 0 });
      const r3 = launch(['synth', '--root', work, '--out', two, '--threads', '2', '--json']);
      expect(JSON.parse(r3.stdout)).toMatchObject({
        bundlesBuilt: 0,
        bundlesCached: 9,
        written: 0,
      });
    },
  );

  it(
    'checks from the build with a worker thread, and passes on the committed dist/',
    {
      timeout: 180_000,
    },
    () => {
      const r = launch(['check', '--threads', '2']);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/check: \d+ files, .* 0 errors/);
    },
  );

  it(
    'lets two runs that find no build build at once, both succeeding',
    {
      timeout: 120_000,
    },
    async () => {
      const dir = `${buildDir}-race`;
      const run = () =>
        new Promise<number | null>((resolve) => {
          const child = spawn('node', [LAUNCHER, 'synth', '--help'], {
            cwd: ROOT,
            env: { ...process.env, AGENTIC_BUILD_DIR: dir },
            stdio: 'ignore',
          });
          child.on('exit', resolve);
        });
      try {
        expect(await Promise.all([run(), run()])).toEqual([0, 0]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('refuses an unknown command with its usage and exit 2', () => {
    const r = launch(['diff']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: node src/cli/run-built.mjs <synth|check>');
  });

  it('fails with exit 3 and the reason when the build cannot be written', () => {
    // A file where the build folder should be: nothing can be made below it.
    const blocked = `${buildDir}-blocked`;
    writeFileSync(blocked, '');
    try {
      const r = launch(['synth', '--help'], { AGENTIC_BUILD_DIR: blocked });
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/synth: could not build the CLI from src\/: .*(EEXIST|ENOTDIR)/);
      expect(r.stdout).toBe('');
    } finally {
      rmSync(blocked, { force: true });
    }
  });

  it('refuses a build folder outside the repository with exit 3, naming it', () => {
    const r = launch(['synth', '--help'], { AGENTIC_BUILD_DIR: tmpdir() });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`AGENTIC_BUILD_DIR must be a folder inside ${ROOT}`);
  });
});
