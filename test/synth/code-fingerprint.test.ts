import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { buildFingerprint, codeFingerprint } from '../../src/synth/code-fingerprint';

let root: string;
const put = (rel: string, content: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
};
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'code-fingerprint-'));
  put('src/a.ts', 'export const a = 1;\n');
  put('constructs/b.ts', 'export const b = 1;\n');
  put('package-lock.json', '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('codeFingerprint', () => {
  it('is the same for the same code', () => {
    expect(codeFingerprint(root)).toBe(codeFingerprint(root));
  });

  it.each([
    ['a source file changes', () => put('src/a.ts', 'export const a = 2;\n')],
    ['a construct is added', () => put('constructs/c.ts', '')],
    ['a source file is removed', () => rmSync(path.join(root, 'src/a.ts'))],
    ['the lock file changes', () => put('package-lock.json', '{"x":1}\n')],
    ['what npm installed changes', () => put('node_modules/.package-lock.json', '{}\n')],
    ['a generated import changes', () => put('imports/k8s.ts', '')],
    ['a workspace package changes', () => put('packages/p/src/x.ts', '')],
    [
      'a file moves between folders',
      () => {
        rmSync(path.join(root, 'src/a.ts'));
        put('constructs/a.ts', 'export const a = 1;\n');
      },
    ],
  ])('changes when %s', (_, change) => {
    const before = codeFingerprint(root);
    change();
    expect(codeFingerprint(root)).not.toBe(before);
  });

  it('ignores installs and build outputs below the code folders', () => {
    const before = codeFingerprint(root);
    put('packages/p/node_modules/dep/index.js', '');
    put('packages/p/dist/index.js', '');
    expect(codeFingerprint(root)).toBe(before);
  });
});

describe('buildFingerprint', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'build-fp-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const moduleUrl = () => pathToFileURL(path.join(dir, 'synth.mjs')).href;

  it('is undefined for a module run from source', () => {
    expect(buildFingerprint(pathToFileURL(path.join(dir, 'synth.ts')).href)).toBeUndefined();
  });

  it("is the fingerprint build.json beside the build's module records", () => {
    const fingerprint = 'ab'.repeat(32);
    writeFileSync(path.join(dir, 'build.json'), JSON.stringify({ fingerprint }));
    expect(buildFingerprint(moduleUrl())).toBe(fingerprint);
  });

  it('refuses a build.json without a sha256 fingerprint, naming the file', () => {
    writeFileSync(path.join(dir, 'build.json'), JSON.stringify({ fingerprint: 'abc' }));
    expect(() => buildFingerprint(moduleUrl())).toThrow(
      `${path.join(dir, 'build.json')} holds no build fingerprint; remove its folder to rebuild`,
    );
  });
});
