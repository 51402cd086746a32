import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DistIndex, encodeIndexEntry, statIndexed } from '../../src/synth/dist-index';

let work: string;
let dist: string;
let file: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dist-index-'));
  dist = path.join(work, 'dist');
  file = path.join(work, '.tmp', 'dist-index.json');
  mkdirSync(path.join(dist, 'dev/tenants/acme'), { recursive: true });
  writeFileSync(path.join(dist, 'dev/tenants/acme/a.yaml'), 'a: 1\n');
  writeFileSync(path.join(dist, 'dev/tenants/acme/b.yaml'), 'b: 2\n');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const FILES = ['dev/tenants/acme/a.yaml', 'dev/tenants/acme/b.yaml'];
const statted = (files: readonly string[]) => files.map((f) => statIndexed(path.join(dist, f), f)!);
const indexed = () => {
  DistIndex.write(file, dist, new Map([['k1', encodeIndexEntry(statted(FILES))]]));
  return DistIndex.load(file, dist);
};

describe('DistIndex', () => {
  it('vouches for a bundle whose files keep the size and time stat found after the commit', () => {
    const same = indexed().unchanged('k1')?.files;
    const a = statSync(path.join(dist, FILES[0]!));
    expect(same).toEqual([
      [FILES[0], a.size, a.mtimeMs],
      [FILES[1], 5, statSync(path.join(dist, FILES[1]!)).mtimeMs],
    ]);
    expect(indexed().unchanged('other-key')).toBeUndefined();
  });

  it('keeps files given with their stat data as given when rewritten', () => {
    const a = statSync(path.join(dist, FILES[0]!));
    DistIndex.write(
      file,
      dist,
      new Map([['k1', encodeIndexEntry([[FILES[0]!, a.size, a.mtimeMs]])]]),
    );
    expect(DistIndex.load(file, dist).unchanged('k1')?.files).toEqual([
      [FILES[0], a.size, a.mtimeMs],
    ]);
  });

  it('writes a vouched entry back as stored, and it vouches the same next time', () => {
    const first = indexed().unchanged('k1')!;
    expect(typeof first.entry).toBe('string');
    DistIndex.write(file, dist, new Map([['k1', first.entry]]));
    expect(DistIndex.load(file, dist).unchanged('k1')).toEqual(first);
  });

  it.each([
    [
      'edited in place, same size, a later time',
      () => {
        // A later edit: the clock's tick (a few ms on ext4) has passed since the commit.
        const at = statSync(path.join(dist, FILES[0]!)).mtimeMs / 1000 + 1;
        writeFileSync(path.join(dist, FILES[0]!), 'a: 2\n');
        utimesSync(path.join(dist, FILES[0]!), at, at);
      },
    ],
    ['given another size', () => writeFileSync(path.join(dist, FILES[1]!), 'b: 22\n')],
    ['touched, bytes unchanged', () => utimesSync(path.join(dist, FILES[0]!), 1, 1)],
    ['removed', () => rmSync(path.join(dist, FILES[1]!))],
    [
      'replaced by a folder',
      () => {
        rmSync(path.join(dist, FILES[1]!));
        mkdirSync(path.join(dist, FILES[1]!));
      },
    ],
  ])('stops vouching for a bundle once one of its files is %s', (_, change) => {
    const index = indexed();
    change();
    expect(index.unchanged('k1')).toBeUndefined();
  });

  it('has no entry for a file that is gone, or a folder, when synth stats it', () => {
    rmSync(path.join(dist, FILES[1]!));
    expect(statIndexed(path.join(dist, FILES[1]!), FILES[1]!)).toBeUndefined();
    mkdirSync(path.join(dist, FILES[1]!));
    expect(statIndexed(path.join(dist, FILES[1]!), FILES[1]!)).toBeUndefined();
    expect(statIndexed(path.join(dist, FILES[0]!), FILES[0]!)).toEqual([
      FILES[0],
      5,
      statSync(path.join(dist, FILES[0]!)).mtimeMs,
    ]);
  });

  it.each([
    ['missing', () => rmSync(file)],
    ['not JSON', () => writeFileSync(file, '{')],
    [
      'of another format',
      () => writeFileSync(file, readFileSync(file, 'utf8').replace('dist-index/2', 'dist-index/1')),
    ],
    [
      'with a malformed size',
      () => writeFileSync(file, readFileSync(file, 'utf8').replace(/\\t5\\t/, '\\tfive\\t')),
    ],
    [
      'with a line of four fields',
      () => writeFileSync(file, readFileSync(file, 'utf8').replace(/\\t5\\t/, '\\t5\\t5\\t')),
    ],
    [
      'with an entry that is not one string',
      () => {
        const i = JSON.parse(readFileSync(file, 'utf8')) as { bundles: Record<string, unknown> };
        i.bundles['k1'] = [[FILES[0], 5, 1]];
        writeFileSync(file, JSON.stringify(i));
      },
    ],
  ])('is empty when its file is %s', (_, spoil) => {
    indexed();
    spoil();
    expect(DistIndex.load(file, dist).unchanged('k1')).toBeUndefined();
  });

  it('is empty for another dist/ folder than the one it was written for', () => {
    indexed();
    expect(DistIndex.load(file, path.join(work, 'elsewhere')).unchanged('k1')).toBeUndefined();
  });
});
