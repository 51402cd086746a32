import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckPool, checkDist, type CheckReport } from '../../src/check/run-check';
import type { PlatformModel } from '../../src/model/types';
import { listTree } from '../../src/synth/tree-writer';
import { ROOT, env, repoModel } from '../helpers';

const TODAY = '2026-01-01';
const model = repoModel();
const dev: PlatformModel = { environments: [env(model, 'dev')] };

/** A scratch repository root: a copy of dist/ (to edit), the schemas and their cache linked. */
let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'run-check-'));
  cpSync(path.join(ROOT, 'dist'), path.join(work, 'dist'), { recursive: true });
  symlinkSync(path.join(ROOT, 'schemas'), path.join(work, 'schemas'), 'dir');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const withoutTime = ({ millis: _, ...rest }: CheckReport) => rest;

describe('checkDist', () => {
  it(
    'reports the same findings, counts and exceptions on two threads as on one',
    { timeout: 300_000 },
    async () => {
      // A drift finding in each of two environments, so both threads report something.
      const edited = 'registry/configmap-agent-registry-catalog.yaml';
      appendFileSync(path.join(work, 'dist/dev', edited), '# edited\n');
      appendFileSync(path.join(work, 'dist/prod', edited), '# edited\n');
      try {
        const one = await checkDist(work, model, TODAY, { threads: 1 });
        const two = await checkDist(work, model, TODAY, { threads: 2 });
        expect(withoutTime(two)).toEqual(withoutTime(one));
        expect(one.findings.filter((f) => f.check === 'drift').map((f) => f.file)).toEqual([
          `dev/${edited}`,
          `prod/${edited}`,
        ]);
        expect(one.files).toBe(listTree(path.join(ROOT, 'dist')).size);
      } finally {
        cpSync(path.join(ROOT, 'dist'), path.join(work, 'dist'), { recursive: true });
      }
    },
  );

  it(
    'reports files outside every environment folder, and an edited dist/README.md, as drift',
    { timeout: 120_000 },
    async () => {
      writeFileSync(path.join(work, 'dist/notes.txt'), 'hand-written\n');
      mkdirSync(path.join(work, 'dist/qa'));
      writeFileSync(path.join(work, 'dist/qa/x.yaml'), 'kind: ConfigMap\n');
      appendFileSync(path.join(work, 'dist/README.md'), 'edited\n');
      try {
        // Only dev is in this model: staging/ and prod/ are folders nothing generates.
        const report = await checkDist(work, dev, TODAY);
        const drift = report.findings.filter((f) => f.check === 'drift');
        const byFile = new Map(drift.map((f) => [f.file, f.message]));
        expect(byFile.get('notes.txt')).toMatch(/no longer generated/);
        expect(byFile.get('qa/x.yaml')).toMatch(/no longer generated/);
        expect(byFile.get('README.md')).toMatch(/differs from a fresh synth/);
        expect(byFile.get('prod/terraform/cdk.tf.json')).toMatch(/no longer generated/);
        expect(drift.some((f) => f.file.startsWith('dev/'))).toBe(false);
        // Nothing outside an environment is parsed as a manifest.
        expect(report.findings.filter((f) => f.check !== 'drift')).toEqual([]);
      } finally {
        rmSync(path.join(work, 'dist'), { recursive: true, force: true });
        cpSync(path.join(ROOT, 'dist'), path.join(work, 'dist'), { recursive: true });
      }
    },
  );

  it('refuses a thread count that is not a whole number >= 1', async () => {
    await expect(checkDist(work, model, TODAY, { threads: 0 })).rejects.toThrow(
      /threads must be a whole number >= 1, got 0/,
    );
  });

  it(
    'fails when a started worker fails to load, and ends the pool',
    { timeout: 60_000 },
    async () => {
      const entry = path.join(work, 'bad-worker.mjs');
      writeFileSync(entry, "throw new Error('check worker failed to load');\n");
      const pool = CheckPool.start(1, pathToFileURL(entry).href);
      await vi.waitFor(() => expect(pool.broken).toBe(true), { timeout: 30_000 });
      await expect(checkDist(work, model, TODAY, { threads: 2, pool })).rejects.toThrow(
        /check worker failed to load/,
      );
      expect(pool.size).toBe(0);
    },
  );
});
