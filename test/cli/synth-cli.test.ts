import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree } from '../../src/synth/write';
import { ROOT } from '../helpers';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SYNTH = path.join(ROOT, 'src', 'cli', 'synth.ts');

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'synth-cli-'));
  for (const dir of ['environments', 'tenants', 'policies', 'dist'])
    cpSync(path.join(ROOT, dir), path.join(work, dir), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(TSX, [SYNTH, '--root', work, ...args], { encoding: 'utf8' });
const runWithEnv = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(TSX, [SYNTH, '--root', work, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

describe('npm run synth', () => {
  it('refuses a bad tenant with file and field, exits non-zero and leaves dist/ byte-identical', () => {
    const before = readTree(path.join(work, 'dist'));
    const acme = path.join(work, 'tenants', 'acme.yaml');
    writeFileSync(
      acme,
      readFileSync(acme, 'utf8').replace(
        'isolation: shared',
        'isolation: shared\nisolaton: dedicated',
      ),
    );
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/tenants\/acme\.yaml:\d+:\d+ isolaton: unknown field "isolaton"/);
    expect(result.stderr).toMatch(/dist\/ was not changed/);
    expect(readTree(path.join(work, 'dist'))).toEqual(before);
  });

  it('prunes files of a removed tenant and reports a JSON summary', () => {
    rmSync(path.join(work, 'tenants', 'globex.yaml'));
    const result = run('--json');
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      tenants: 2,
      environments: [{ name: 'dev', tenants: 2 }, { name: 'prod' }, { name: 'staging' }],
    });
    const files = [...readTree(path.join(work, 'dist')).keys()];
    expect(files.some((f) => f.includes('/tenants/globex/'))).toBe(false);
    expect(files.some((f) => f.includes('/tenants/acme/'))).toBe(true);
    expect(result.stderr).toMatch(/synth: 3 environments, 2 tenants, \d+ files in \d+ ms/);
  });

  it('rejects unknown options with usage and exit 2', () => {
    const result = run('--bogus');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: npm run synth/);
  });

  it('writes the same bytes on a second run', () => {
    expect(run().status).toBe(0);
    const first = readTree(path.join(work, 'dist'));
    expect(run().status).toBe(0);
    expect(readTree(path.join(work, 'dist'))).toEqual(first);
    expect(execFileSync('ls', [work]).toString()).not.toMatch(/staging|old/);
  });

  it('takes unchanged tenant bundles from .tmp/synth-cache on the next run, same bytes', () => {
    expect(run().status).toBe(0);
    const first = readTree(path.join(work, 'dist'));
    // And the parsed specs: one memo entry a spec file.
    const memo = path.join(work, '.tmp', 'spec-memo.json');
    expect(Object.keys(JSON.parse(readFileSync(memo, 'utf8')).entries)).toHaveLength(
      ['environments', 'tenants', 'policies'].flatMap((d) =>
        readdirSync(path.join(work, d)).filter((f) => f.endsWith('.yaml')),
      ).length,
    );
    const second = run('--json');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ bundlesBuilt: 0, bundlesCached: 9 });
    expect(second.stderr).toMatch(/tenant bundles: 0 built, 9 cached\)/);
    expect(readTree(path.join(work, 'dist'))).toEqual(first);
  });

  it.each([
    { how: '--no-cache', args: ['--no-cache'], env: {} as Record<string, string> },
    { how: 'AGENTIC_SYNTH_CACHE=off', args: [], env: { AGENTIC_SYNTH_CACHE: 'off' } },
  ])('builds every bundle and leaves no cache with $how', ({ args, env }) => {
    const result = runWithEnv(env, '--json', ...args);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ bundlesBuilt: 9, bundlesCached: 0 });
    expect(result.stderr).toMatch(/9 built, 0 cached, cache off\)/);
    expect(existsSync(path.join(work, '.tmp', 'synth-cache'))).toBe(false);
    expect(existsSync(path.join(work, '.tmp', 'spec-memo.json'))).toBe(false);
  });

  it('refuses an AGENTIC_SYNTH_CACHE other than on or off with exit 2', () => {
    const result = runWithEnv({ AGENTIC_SYNTH_CACHE: 'no' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/AGENTIC_SYNTH_CACHE must be on or off, got "no"/);
  });
});
