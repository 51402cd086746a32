import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchRepo, type ScratchRepo } from '../../bench/scale/generate-tenants';
import { modelFromRepo } from '../../src/cli/pipeline';
import { synthesizeToDir } from '../../src/synth/write-tree';
import { ROOT } from '../helpers';

/**
 * The scale benchmark and the 10,000-tenant suite measure generated tenants; they measure
 * nothing if `npm run check` refuses those tenants (an image from a registry no environment
 * allows did, once a guardrail was added). Three generated tenants, synthesized and checked
 * by the real CLI.
 */
let repo: ScratchRepo;

beforeAll(async () => {
  repo = scratchRepo(ROOT, 3);
  await synthesizeToDir(modelFromRepo(repo.root), path.join(repo.root, 'dist'));
}, 300_000);
afterAll(() => repo?.dispose());

describe('generated tenants', () => {
  it(
    'pass npm run check: no spec, drift, schema or guardrail finding',
    { timeout: 300_000 },
    () => {
      const run = spawnSync(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        [path.join(ROOT, 'src/cli/check.ts'), '--root', repo.root],
        { cwd: repo.root, encoding: 'utf8', maxBuffer: 1 << 28 },
      );
      const output = `${run.stdout}${run.stderr}`;
      expect(output).toMatch(/\b0 errors\b/);
      expect(run.status, output.slice(-4000)).toBe(0);
    },
  );
});
