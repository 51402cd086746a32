import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonRecordChunks, writeChunksAtomic, writeFileAtomic } from '../../src/synth/atomic-write';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'atomic-write-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, 'old');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('throws, and removes its temporary file, when the rename fails', () => {
    // A folder where the file should go: the rename cannot replace it.
    const file = path.join(dir, 'taken');
    mkdirSync(file);
    expect(() => writeFileAtomic(file, 'x')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('throws when the folder is missing', () => {
    expect(() => writeFileAtomic(path.join(dir, 'no', 'a.json'), 'x')).toThrow(/ENOENT/);
  });
});

describe('writeChunksAtomic', () => {
  it('writes the chunks one after the other, replacing the file whole', () => {
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, 'old');
    writeChunksAtomic(file, ['{"a":', '[1,', '"é"]}']);
    expect(readFileSync(file, 'utf8')).toBe('{"a":[1,"é"]}');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('keeps the old file and no temporary one when a chunk cannot be made', () => {
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, 'old');
    function* failing() {
      yield 'half';
      throw new Error('no second chunk');
    }
    expect(() => writeChunksAtomic(file, failing())).toThrow('no second chunk');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('throws, and removes its temporary file, when the rename fails', () => {
    const file = path.join(dir, 'taken');
    mkdirSync(file);
    expect(() => writeChunksAtomic(file, ['x'])).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('jsonRecordChunks', () => {
  it("joins to JSON.stringify's bytes of the fields and the record, one entry a chunk", () => {
    const entries: [string, unknown][] = [
      ['b', 'x\ty\n"q"'],
      ['a/é', [1, 'two']],
    ];
    const chunks = [...jsonRecordChunks({ format: 'f/1', dir: '/d', at: 2 }, 'rows', entries)];
    expect(chunks).toHaveLength(entries.length + 2);
    expect(chunks.join('')).toBe(
      JSON.stringify({ format: 'f/1', dir: '/d', at: 2, rows: Object.fromEntries(entries) }),
    );
  });

  it('writes an empty record and no fields as JSON.stringify does', () => {
    expect([...jsonRecordChunks({}, 'rows', [])].join('')).toBe(JSON.stringify({ rows: {} }));
    expect([...jsonRecordChunks({ a: 1 }, 'rows', [])].join('')).toBe('{"a":1,"rows":{}}');
  });
});
