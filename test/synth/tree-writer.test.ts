import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitStaged, listTree, stagingDirs, TreeStager } from '../../src/synth/tree-writer';
import { readTree } from '../../src/synth/write';

let work: string;
let dir: string;
let dirs: { staging: string; old: string };
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'tree-writer-'));
  dir = path.join(work, 'dist');
  dirs = stagingDirs(dir, 'test');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function put(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

/** Stages `files` against `dir` and commits them as the whole generated tree. */
function commit(files: Record<string, string>): string[] {
  const existing = listTree(dir);
  const stager = new TreeStager(dir, dirs.staging);
  for (const [rel, content] of Object.entries(files)) stager.stage(rel, content);
  commitStaged(dir, dirs, stager.paths, existing, new Set(Object.keys(files)));
  return [...stager.paths];
}

describe('commitStaged', () => {
  it('moves a folder that dist/ lacks in one rename: its files are the staged ones, not copies', () => {
    const existing = listTree(dir);
    const stager = new TreeStager(dir, dirs.staging);
    stager.stage('dev/tenants/acme/namespace-acme.yaml', 'a\n');
    stager.stage('dev/tenants/acme/role-x.yaml', 'b\n');
    const staged = statSync(path.join(dirs.staging, 'dev')).ino;
    const file = statSync(path.join(dirs.staging, 'dev/tenants/acme/role-x.yaml')).ino;
    commitStaged(dir, dirs, stager.paths, existing, new Set(stager.paths));
    expect(statSync(path.join(dir, 'dev')).ino).toBe(staged);
    expect(statSync(path.join(dir, 'dev/tenants/acme/role-x.yaml')).ino).toBe(file);
    expect(readTree(dir)).toEqual(
      new Map([
        ['dev/tenants/acme/namespace-acme.yaml', 'a\n'],
        ['dev/tenants/acme/role-x.yaml', 'b\n'],
      ]),
    );
    expect(() => statSync(dirs.staging)).toThrow(/ENOENT/);
  });

  it('moves a new tenant folder in whole and leaves the files beside it alone', () => {
    put(dir, { 'dev/tenants/acme/namespace-acme.yaml': 'a\n' });
    const kept = statSync(path.join(dir, 'dev/tenants/acme/namespace-acme.yaml'));
    const staged = commit({
      'dev/tenants/acme/namespace-acme.yaml': 'a\n',
      'dev/tenants/globex/namespace-globex.yaml': 'g\n',
      'dev/tenants/globex/sub/role-g.yaml': 'r\n',
    });
    expect(staged).toEqual([
      'dev/tenants/globex/namespace-globex.yaml',
      'dev/tenants/globex/sub/role-g.yaml',
    ]);
    expect(readTree(dir).get('dev/tenants/globex/sub/role-g.yaml')).toBe('r\n');
    const after = statSync(path.join(dir, 'dev/tenants/acme/namespace-acme.yaml'));
    expect([after.ino, after.mtimeMs]).toEqual([kept.ino, kept.mtimeMs]);
  });

  it('fills an empty folder left in dist/ file by file', () => {
    put(dir, { 'dev/keep.yaml': 'k\n' });
    mkdirSync(path.join(dir, 'dev/tenants/empty'), { recursive: true });
    commit({ 'dev/keep.yaml': 'k\n', 'dev/tenants/empty/new/namespace.yaml': 'n\n' });
    expect(readTree(dir)).toEqual(
      new Map([
        ['dev/keep.yaml', 'k\n'],
        ['dev/tenants/empty/new/namespace.yaml', 'n\n'],
      ]),
    );
  });

  it('takes a moved-in folder out again when a later rename fails', () => {
    put(dir, { 'dev/a.yaml': 'old\n', 'dev/b/c.yaml/x/keep.yaml': 'blocks c.yaml\n' });
    const before = readTree(dir);
    const existing = listTree(dir);
    const stager = new TreeStager(dir, dirs.staging);
    stager.stage('dev/new/n.yaml', 'n\n');
    stager.stage('dev/a.yaml', 'new\n');
    // A file where a folder with content stands: its rename fails after the two above.
    stager.stage('dev/b/c.yaml', 'c\n');
    expect(() => commitStaged(dir, dirs, stager.paths, existing, new Set(stager.paths))).toThrow();
    expect(readTree(dir)).toEqual(before);
    expect(() => statSync(path.join(dir, 'dev/new'))).toThrow(/ENOENT/);
    expect(() => statSync(dirs.staging)).toThrow(/ENOENT/);
    expect(() => statSync(dirs.old)).toThrow(/ENOENT/);
  });
});
