import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../src/synth/write';
import { ROOT } from '../helpers';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = {
  synth: path.join(ROOT, 'src', 'cli', 'synth.ts'),
  check: path.join(ROOT, 'src', 'cli', 'check.ts'),
};

/**
 * One row per class of bad or hostile input, run through the real CLI: exit code 1, the
 * message names the file (with line:col where the input has one) and the field, no stack
 * trace, and dist/ byte-identical. The in-process table (bad-inputs.test.ts) covers the
 * variants of each class; this one proves the CLI end of each.
 */
interface Row {
  readonly name: string;
  readonly cli?: 'synth' | 'check';
  readonly setup: (work: string) => void;
  /** What stderr must contain: `file[:line[:col]][ field]: message`. */
  readonly expected: RegExp;
}

const T = (work: string, name: string) => path.join(work, 'tenants', name);
const editAcme = (work: string, edit: (s: string) => string) =>
  writeFileSync(T(work, 'acme.yaml'), edit(readFileSync(T(work, 'acme.yaml'), 'utf8')));

const rows: Row[] = [
  {
    name: 'a directory named like a spec',
    setup: (w) => mkdirSync(T(w, 'x.yaml')),
    expected: /tenants\/x\.yaml: is a directory; a spec must be a regular \.yaml file/,
  },
  {
    name: 'a named pipe (would hang a plain read)',
    cli: 'check',
    setup: (w) => execFileSync('mkfifo', [T(w, 'pipe.yaml')]),
    expected: /tenants\/pipe\.yaml: is a named pipe/,
  },
  {
    name: 'a symlink to a device',
    setup: (w) => symlinkSync('/dev/zero', T(w, 'zero.yaml')),
    expected: /tenants\/zero\.yaml: is a symlink to \/dev\/zero, outside the repository/,
  },
  {
    name: 'a symlink to a file outside the repository',
    setup: (w) => symlinkSync('/etc/hostname', T(w, 'host.yaml')),
    expected: /tenants\/host\.yaml: is a symlink to \/etc\/hostname, outside the repository/,
  },
  {
    name: 'a file named .yaml',
    setup: (w) => writeFileSync(T(w, '.yaml'), 'name: x\n'),
    expected: /tenants\/\.yaml: is a hidden \.yaml file/,
  },
  {
    name: 'a duplicate key',
    setup: (w) =>
      editAcme(w, (s) => s.replace('isolation: shared', 'isolation: shared\nisolation: dedicated')),
    expected:
      /tenants\/acme\.yaml:8:1 isolation: duplicate key "isolation" \(first set on line 7\)/,
  },
  {
    name: 'a tab as indentation',
    setup: (w) =>
      editAcme(w, (s) => s.replace('  - /tenants/acme/developers', '\t- /tenants/acme/developers')),
    expected:
      /tenants\/acme\.yaml:5:1: is not valid YAML: Tabs are not allowed as indentation\n(?!\s+tenants\/acme)/,
  },
  {
    name: 'invalid UTF-8',
    cli: 'check',
    setup: (w) =>
      writeFileSync(
        T(w, 'acme.yaml'),
        Buffer.concat([readFileSync(T(w, 'acme.yaml')).subarray(0, 80), Buffer.from([0xff, 0x0a])]),
      ),
    expected: /tenants\/acme\.yaml:\d+: is not valid UTF-8 on this line/,
  },
];

const DIST_SLICE = 'dist/dev/tenants/acme';
let work: string;
let before: Map<string, string>;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'hostile-cli-'));
  // A slice of the committed dist/ stands for all of it: a run that wrote anything would
  // replace and prune the whole tree, so any write shows here.
  before = readTree(path.join(ROOT, DIST_SLICE));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the CLIs refuse hostile spec input with file, line and field, touching nothing', () => {
  it.each(rows)('refuses $name', ({ setup, expected, cli = 'synth' }) => {
    const root = mkdtempSync(path.join(work, 'row-'));
    for (const dir of ['environments', 'tenants', 'policies', DIST_SLICE])
      cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
    setup(root);
    const result = spawnSync(TSX, [CLI[cli], '--root', root], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.error, 'the CLI did not finish').toBeUndefined();
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readTree(path.join(root, DIST_SLICE))).toEqual(before);
    expect(readTree(path.join(root, 'dist')).size).toBe(before.size);
  });
});
