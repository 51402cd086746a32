import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONVERGE_ENTRY, repositoryRoot } from '../../src/identity/converge-program';
import { ROOT } from '../helpers';

describe('repositoryRoot', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'repo-root-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the repository for a source module and for one of the CLI build in node_modules/.cache', () => {
    expect(repositoryRoot(path.join(ROOT, 'src/identity/converge-program.ts'))).toBe(ROOT);
    expect(
      repositoryRoot(
        path.join(ROOT, 'node_modules/.cache/agentic-platform/cli/0123456789abcdef/chunk-X.mjs'),
      ),
    ).toBe(ROOT);
  });

  it('is the nearest folder holding the convergence entry', () => {
    mkdirSync(path.join(dir, path.dirname(CONVERGE_ENTRY)), { recursive: true });
    writeFileSync(path.join(dir, CONVERGE_ENTRY), '');
    expect(repositoryRoot(path.join(dir, 'a/b/c.mjs'))).toBe(dir);
  });

  it('refuses a module outside every repository, naming it and the entry', () => {
    const file = path.join(dir, 'x.mjs');
    expect(() => repositoryRoot(file)).toThrow(`no folder above ${file} holds ${CONVERGE_ENTRY}`);
  });
});
