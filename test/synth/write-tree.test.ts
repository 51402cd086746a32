import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformModel } from '../../src/model/types';
import { synthesize } from '../../src/synth/synthesize';
import { readTree } from '../../src/synth/write';
import { SynthPool, synthesizeToDir } from '../../src/synth/write-tree';
import { repoModel } from '../helpers';

let work: string;
let dist: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'write-tree-'));
  dist = path.join(work, 'dist');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const model = repoModel();
const expected = synthesize(model);

/** The model with its first tenant listed twice in dev: two units claim the same files. */
function withDuplicateTenant(): PlatformModel {
  const m = structuredClone(model) as unknown as { environments: { tenants: unknown[] }[] };
  const dev = m.environments[0]!;
  dev.tenants = [...dev.tenants, dev.tenants[0]];
  return m as unknown as PlatformModel;
}

// Worker threads each load the constructs first: slow on a busy machine.
describe.each([1, 2])('synthesizeToDir with %i thread(s)', { timeout: 300_000 }, (threads) => {
  it('writes exactly the bytes synthesize() returns, then nothing on a second run', async () => {
    const first = await synthesizeToDir(model, dist, { threads });
    expect(readTree(dist)).toEqual(expected);
    expect(first).toMatchObject({ files: expected.size, written: expected.size, removed: 0 });
    const file = path.join(dist, 'dev/bootstrap/application-bootstrap.yaml');
    const before = statSync(file);
    const second = await synthesizeToDir(model, dist, { threads });
    expect(second).toMatchObject({ files: expected.size, written: 0, removed: 0 });
    // Unchanged files are left alone: same inode, same modification time.
    expect(statSync(file).ino).toBe(before.ino);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  it('rewrites only a changed file, and removes stale files and their empty folders', async () => {
    await synthesizeToDir(model, dist, { threads });
    writeFileSync(path.join(dist, 'dev/registry/edited.yaml'), 'stale\n');
    mkdirSync(path.join(dist, 'dev/tenants/gone'), { recursive: true });
    writeFileSync(path.join(dist, 'dev/tenants/gone/namespace-gone.yaml'), 'stale\n');
    const changed = 'dev/bootstrap/application-bootstrap.yaml';
    writeFileSync(path.join(dist, changed), 'hand edit\n');
    const stats = await synthesizeToDir(model, dist, { threads });
    expect(stats).toMatchObject({ written: 1, removed: 2 });
    expect(readTree(dist)).toEqual(expected);
    expect(() => statSync(path.join(dist, 'dev/tenants/gone'))).toThrow(/ENOENT/);
  });

  it('with a dist index, neither reads nor compares the bundles it vouches for, and still restores an edited one', async () => {
    const cache = { dir: path.join(work, 'cache'), code: 'test-code' };
    const indexFile = path.join(work, 'dist-index.json');
    const first = await synthesizeToDir(model, dist, { threads, cache, indexFile });
    // Spoiled entries would be misses (rebuilt) if read: the index keeps them unread.
    for (const name of readdirSync(cache.dir)) writeFileSync(path.join(cache.dir, name), '{');
    const vouched = await synthesizeToDir(model, dist, { threads, cache, indexFile });
    expect(vouched).toMatchObject({ written: 0, removed: 0, bundlesBuilt: [] });
    expect(vouched.bundlesCached).toBe(9);
    expect(vouched.bytes).toBe(first.bytes);
    expect(readTree(dist)).toEqual(expected);
    // A later hand edit of one bundle file, same size: that bundle is built again and restored.
    const edited = path.join(dist, 'dev/tenants/acme/namespace-acme.yaml');
    const at = statSync(edited).mtimeMs / 1000 + 1;
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('acme', 'acmf'));
    utimesSync(edited, at, at);
    const restored = await synthesizeToDir(model, dist, { threads, cache, indexFile });
    expect(restored).toMatchObject({ written: 1, bundlesBuilt: ['dev/acme'] });
    expect(readTree(dist)).toEqual(expected);
  });

  it('with a dist tree, still removes stale files from the folders it recorded', async () => {
    const cache = { dir: path.join(work, 'cache'), code: 'test-code' };
    const files = { indexFile: path.join(work, 'i.json'), treeFile: path.join(work, 't.json') };
    await synthesizeToDir(model, dist, { threads, cache, ...files });
    // A second later the folders are outside the racy window: this record is trusted next time.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await synthesizeToDir(model, dist, { threads, cache, ...files });
    writeFileSync(path.join(dist, 'dev/registry/stale.yaml'), 'stale\n');
    mkdirSync(path.join(dist, 'dev/tenants/gone'));
    writeFileSync(path.join(dist, 'dev/tenants/gone/namespace-gone.yaml'), 'stale\n');
    const stats = await synthesizeToDir(model, dist, { threads, cache, ...files });
    expect(stats).toMatchObject({ written: 0, removed: 2 });
    expect(readTree(dist)).toEqual(expected);
    // A damaged record that still names real folders, listing a file that is not there: the
    // synth trusts it (nothing changed the folder) and removes nothing that is not there.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await synthesizeToDir(model, dist, { threads, cache, ...files });
    const tree = JSON.parse(readFileSync(files.treeFile, 'utf8')) as {
      folders: Record<string, unknown[]>;
    };
    tree.folders['dev/registry']!.push('phantom.yaml');
    writeFileSync(files.treeFile, JSON.stringify(tree));
    const trusted = await synthesizeToDir(model, dist, { threads, cache, ...files });
    expect(trusted).toMatchObject({ written: 0, removed: 0 });
    expect(readTree(dist)).toEqual(expected);
  });

  it('leaves dist/ byte-identical and no staging folder when a unit fails', async () => {
    await synthesizeToDir(model, dist, { threads });
    writeFileSync(path.join(dist, 'dev/registry/edited.yaml'), 'stale\n');
    const before = readTree(dist);
    // The bootstrap chart refuses the second AppProject (or two units claim the same files).
    await expect(synthesizeToDir(withDuplicateTenant(), dist, { threads })).rejects.toThrow(
      /Project-acme|two generated objects map to the same file/,
    );
    expect(readTree(dist)).toEqual(before);
    expect(readTree(work).size).toBe(before.size);
  });
});

describe('synthesizeToDir', () => {
  it('undoes a commit that fails half-way: the old tree comes back whole', async () => {
    await synthesizeToDir(model, dist, { threads: 1 });
    const before = readTree(dist);
    // A changed file and then a folder where a generated file must go: its rename fails.
    writeFileSync(path.join(dist, 'README.md'), 'old readme\n');
    const blocked = 'prod/tenants/acme/namespace-acme.yaml';
    rmSync(path.join(dist, blocked));
    mkdirSync(path.join(dist, blocked, 'x'), { recursive: true });
    writeFileSync(path.join(dist, blocked, 'x', 'keep.yaml'), 'keep\n');
    const broken = readTree(dist);
    await expect(synthesizeToDir(model, dist, { threads: 1 })).rejects.toThrow();
    expect(readTree(dist)).toEqual(broken);
    expect(broken.get('README.md')).toBe('old readme\n');
    expect(before.size).toBe(broken.size);
  });

  it('refuses a thread count that is not a whole number >= 1', async () => {
    await expect(synthesizeToDir(model, dist, { threads: 0 })).rejects.toThrow(
      /threads must be a whole number >= 1, got 0/,
    );
  });

  it(
    'builds with workers started before the model, the bytes of synthesize()',
    { timeout: 300_000 },
    async () => {
      const pool = SynthPool.start(1);
      const stats = await synthesizeToDir(model, dist, { threads: 2, pool });
      expect(readTree(dist)).toEqual(expected);
      expect(stats).toMatchObject({ files: expected.size, written: expected.size });
      expect(pool.size).toBe(0);
    },
  );

  it('ends the started workers it does not need', async () => {
    const pool = SynthPool.start(1);
    await synthesizeToDir(model, dist, { threads: 1, pool });
    expect(pool.size).toBe(0);
    expect(readTree(dist)).toEqual(expected);
  });

  it.each([
    ['fails to load', "throw new Error('worker failed to load');", /worker failed to load/],
    ['exits early', 'process.exit(0);', /a synth worker exited before it was given any work/],
  ])(
    'fails, leaving dist/ untouched, when a started worker %s',
    { timeout: 60_000 },
    async (_, source, message) => {
      await synthesizeToDir(model, dist, { threads: 1 });
      const before = readTree(dist);
      const entry = path.join(work, 'entry.mjs');
      writeFileSync(entry, `${source}\n`);
      const pool = SynthPool.start(1, pathToFileURL(entry).href);
      await vi.waitFor(() => expect(pool.broken).toBe(true), { timeout: 30_000 });
      await expect(synthesizeToDir(model, dist, { threads: 2, pool })).rejects.toThrow(message);
      expect(readTree(dist)).toEqual(before);
    },
  );
});
