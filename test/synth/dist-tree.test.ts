import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DistTree } from '../../src/synth/dist-tree';
import { listTree } from '../../src/synth/tree-writer';

let work: string;
let dist: string;
let file: string;
const FILES = [
  'README.md',
  'dev/bootstrap/app.yaml',
  'dev/tenants/acme/a.yaml',
  'dev/tenants/acme/b.yaml',
  'dev/tenants/beta/a.yaml',
];
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dist-tree-'));
  dist = path.join(work, 'dist');
  file = path.join(work, '.tmp', 'dist-tree.json');
  for (const rel of FILES) {
    mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
    writeFileSync(path.join(dist, rel), `${rel}\n`);
  }
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const FOLDERS = ['', 'dev', 'dev/bootstrap', 'dev/tenants', 'dev/tenants/acme', 'dev/tenants/beta'];
/**
 * Lets the folders' ctimes fall behind the clock (a folder's ctime cannot be set back), so a
 * tree recorded now and loaded with no racy window trusts them.
 */
function age(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
}
/** The tree as the next synth loads it, without the racy window (age() stands for it). */
const load = (dir = dist) => DistTree.load(file, dir, 0);
/** Rewrites the recorded files of `folder` in the tree file. */
function spoilRecord(folder: string, files: string[]): void {
  const t = JSON.parse(readFileSync(file, 'utf8')) as { folders: Record<string, unknown[]> };
  t.folders[folder] = [...t.folders[folder]!.slice(0, 1), ...files];
  writeFileSync(file, JSON.stringify(t));
}

describe('DistTree', () => {
  it('lists exactly the files listTree finds', () => {
    age();
    DistTree.write(file, dist, FILES);
    expect(load().list()).toEqual(listTree(dist));
    expect([...load().list()].sort()).toEqual(FILES);
  });

  it('does not read a recorded folder whose time and links are unchanged', () => {
    age();
    DistTree.write(file, dist, FILES);
    // Were the folder read, the real a.yaml and b.yaml would be listed, not the record.
    spoilRecord('dev/tenants/acme', ['recorded.yaml']);
    const listed = load().list();
    expect(listed.has('dev/tenants/acme/recorded.yaml')).toBe(true);
    expect(listed.has('dev/tenants/acme/a.yaml')).toBe(false);
  });

  it('reads a folder recorded within the racy window, even with its time unchanged', () => {
    age();
    DistTree.write(file, dist, FILES);
    spoilRecord('dev/tenants/acme', ['recorded.yaml']);
    expect(DistTree.load(file, dist).list()).toEqual(listTree(dist));
  });

  it('reads a folder that holds an empty subfolder the record does not list', () => {
    mkdirSync(path.join(dist, 'dev/tenants/empty'));
    age();
    DistTree.write(file, dist, FILES);
    // Its parent's ctime stays; the link count says it holds more than the record lists.
    writeFileSync(path.join(dist, 'dev/tenants/empty/x.yaml'), 'x\n');
    expect(load().list()).toEqual(listTree(dist));
    expect(load().list().has('dev/tenants/empty/x.yaml')).toBe(true);
  });

  it.each([
    ['a file added', () => writeFileSync(path.join(dist, 'dev/tenants/acme/new.yaml'), 'x\n')],
    ['a file removed', () => rmSync(path.join(dist, 'dev/tenants/acme/b.yaml'))],
    [
      'a file renamed',
      () =>
        renameSync(
          path.join(dist, 'dev/tenants/beta/a.yaml'),
          path.join(dist, 'dev/tenants/beta/c.yaml'),
        ),
    ],
    [
      'a folder with files added',
      () => {
        mkdirSync(path.join(dist, 'dev/tenants/gamma/deep'), { recursive: true });
        writeFileSync(path.join(dist, 'dev/tenants/gamma/deep/x.yaml'), 'x\n');
      },
    ],
    ['a folder removed', () => rmSync(path.join(dist, 'dev/tenants/beta'), { recursive: true })],
    [
      'a folder removed and restored with its old times (as cp -a or tar do)',
      () => {
        const acme = statSync(path.join(dist, 'dev/tenants/acme'));
        const tenants = statSync(path.join(dist, 'dev/tenants'));
        rmSync(path.join(dist, 'dev/tenants/acme'), { recursive: true });
        mkdirSync(path.join(dist, 'dev/tenants/acme'));
        writeFileSync(path.join(dist, 'dev/tenants/acme/other.yaml'), 'x\n');
        utimesSync(path.join(dist, 'dev/tenants/acme'), acme.atime, acme.mtime);
        utimesSync(path.join(dist, 'dev/tenants'), tenants.atime, tenants.mtime);
      },
    ],
    ['dist/ removed', () => rmSync(dist, { recursive: true })],
  ])('sees %s since the record', (_, change) => {
    age();
    DistTree.write(file, dist, FILES);
    change();
    expect(load().list()).toEqual(listTree(dist));
  });

  it.each([
    ['missing', () => rmSync(file)],
    ['corrupt', () => writeFileSync(file, '{')],
    [
      'of another format',
      () => writeFileSync(file, readFileSync(file, 'utf8').replace('dist-tree/1', 'dist-tree/0')),
    ],
    ['naming a path outside dist/', () => spoilRecord('dev/tenants/acme', ['../../../x'])],
    [
      'naming a folder outside dist/',
      () => {
        const t = JSON.parse(readFileSync(file, 'utf8')) as { folders: Record<string, unknown> };
        t.folders['..'] = [0, 'passwd'];
        writeFileSync(file, JSON.stringify(t));
      },
    ],
  ])('lists every folder when the tree file is %s', (_, spoil) => {
    age();
    DistTree.write(file, dist, FILES);
    spoilRecord('dev/tenants/acme', ['recorded.yaml']);
    spoil();
    expect(load().list()).toEqual(listTree(dist));
  });

  it('lists every folder when the tree was recorded for another folder', () => {
    age();
    DistTree.write(file, dist, FILES);
    spoilRecord('dev/tenants/acme', ['recorded.yaml']);
    const other = path.join(work, 'other');
    mkdirSync(other);
    expect(load(other).list()).toEqual(new Set());
    expect(load().list().has('dev/tenants/acme/recorded.yaml')).toBe(true);
  });

  it('leaves out a folder gone before the record, so it is read next time', () => {
    age();
    DistTree.write(file, dist, [...FILES, 'dev/gone/x.yaml']);
    const t = JSON.parse(readFileSync(file, 'utf8')) as { folders: Record<string, unknown> };
    expect(Object.keys(t.folders).sort()).toEqual(FOLDERS);
  });
});
