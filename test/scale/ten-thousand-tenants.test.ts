import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { scratchRepo, type ScratchRepo } from '../../bench/scale/generate-tenants';
import { checkObjectSizes, MAX_OBJECT_BYTES, objectBytes } from '../../src/check/object-size';
import type { ParsedDocument } from '../../src/check/parsed-manifests';
import { modelFromRepo } from '../../src/cli/pipeline';
import { listTree } from '../../src/synth/tree-writer';
import { synthesizeToDir } from '../../src/synth/write-tree';
import { ROOT } from '../helpers';

/**
 * 10,000 generated tenants in three environments: synth succeeds, `npm run check` passes, and
 * no object of dist/ is at or over the 256 KiB the check admits. An object's compact JSON is at most a few times its
 * YAML file (quotes and escapes; never 6×), so only files over a sixth of the limit can hold
 * one; those are parsed and measured exactly like `npm run check` does.
 */
const TENANTS = 10_000;
let repo: ScratchRepo;
let dist: string;
let files: string[];

beforeAll(async () => {
  repo = scratchRepo(ROOT, TENANTS);
  dist = path.join(repo.root, 'dist');
  await synthesizeToDir(modelFromRepo(repo.root), dist);
  files = [...listTree(dist)];
}, 3_600_000);
afterAll(() => repo?.dispose());

describe(`${TENANTS} generated tenants × 3 environments`, { timeout: 3_600_000 }, () => {
  it('synthesize every tenant bundle in every environment', () => {
    for (const env of ['dev', 'staging', 'prod'])
      expect(
        files.filter((f) => f.startsWith(`${env}/tenants/`) && f.includes('/namespace-')),
      ).toHaveLength(TENANTS);
  });

  it('hold no object at or over 256 KiB', () => {
    const candidates = files.filter(
      (f) => f.endsWith('.yaml') && statSync(path.join(dist, f)).size * 6 >= MAX_OBJECT_BYTES,
    );
    const documents: ParsedDocument[] = candidates.flatMap((file) =>
      (
        parseAllDocuments(readFileSync(path.join(dist, file), 'utf8')) as unknown as {
          toJS(): unknown;
        }[]
      ).map((d) => ({ file, object: d.toJS() as Record<string, unknown> | null })),
    );
    const largest = documents
      .map((d) => `${d.file} ${objectBytes(d.object)}`)
      .sort((a, b) => Number(b.split(' ')[1]) - Number(a.split(' ')[1]))
      .slice(0, 5);
    expect(checkObjectSizes(documents), `largest: ${largest.join(', ')}`).toEqual([]);
  });

  it('pass npm run check: 0 errors over every file', () => {
    // Node's default heap limit: each check thread holds one unit (25 tenants) and the
    // platform's objects, whatever the tenant count.
    const run = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(ROOT, 'src/cli/check.ts'), '--root', repo.root],
      { cwd: repo.root, encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toMatch(new RegExp(`check: ${files.length} files, .*\\b0 errors\\b`));
    expect(run.status, output.slice(-4000)).toBe(0);
  });
});
