import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers';

const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
const diff = (...args: string[]) =>
  spawnSync(tsx, ['src/cli/diff.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
const out = mkdtempSync(path.join(tmpdir(), 'diff-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run diff', () => {
  it('exits 0 for an environment against itself and writes each --out in its own format', () => {
    const html = path.join(out, 'r.html');
    const md = path.join(out, 'r.md');
    const json = path.join(out, 'r.json');
    const r = diff('dev', 'dev', '--out', html, '--out', md, '--out', json);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^diff dev → dev\n0 added, 0 removed, 0 changed/);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(md, 'utf8')).toMatch(/^### Semantic diff: dev → dev/);
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.changed).toBe(0);
  });

  it.each([
    [
      ['--format', 'yaml', 'dev', 'prod'],
      /--format must be one of text, markdown, json, html, got "yaml"/,
    ],
    [['--out', 'report.pdf', 'dev', 'prod'], /--out report.pdf: name it .txt, .md, .json or .html/],
    [['dev'], /name two environments, --base \[ref\] or --live <env>/],
    [['--base', '--live', 'dev'], /--base and --live are two different comparisons/],
    [['--base', 'a', 'b'], /--base takes one ref, got a b/],
    [['--color', 'sometimes', 'dev', 'prod'], /--color must be auto, always or never/],
    [['--nope'], /Unknown option '--nope'/],
  ])('exits 2 on %j', (args, message) => {
    const r = diff(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(ROOT, 'report.pdf'))).toBe(false);
  });

  it('prints usage with the exit codes for --help', () => {
    const r = diff('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /exit codes: 0 no difference, 1 differences none of them flagged, 3 at least one flagged/,
    );
  });
});
