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
import { CREDENTIALS, plantInSystemMessage } from './credential-samples';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = {
  synth: path.join(ROOT, 'src', 'cli', 'synth.ts'),
  check: path.join(ROOT, 'src', 'cli', 'check.ts'),
};

/**
 * One row per class of bad or hostile input, run through the real CLIs. Every row plants its
 * input in its own file of one repository copy, and synth and check each run once over it
 * (a CLI start costs seconds, and reporting every problem of a run at once is itself the
 * contract): exit code 1, each row's message naming the file (with line:col where the input
 * has one) and the field, no stack trace, and dist/ byte-identical. The in-process table
 * (bad-inputs.test.ts) covers the variants of each class, and the model-level rules (quota
 * minimums), which run only once every spec passes.
 */
interface Row {
  readonly name: string;
  readonly setup: (work: string) => void;
  /** What stderr must contain: `file[:line[:col]][ field]: message`. */
  readonly expected: RegExp;
}

const T = (work: string, name: string) => path.join(work, 'tenants', name);
const ACME = readFileSync(path.join(ROOT, 'tenants', 'acme.yaml'), 'utf8');
/** A copy of tenants/acme.yaml as tenant `name`, edited. */
const tenantFile = (work: string, name: string, edit: (s: string) => string | Buffer) =>
  writeFileSync(
    T(work, `${name}.yaml`),
    edit(ACME.replaceAll('acme', name).replace('ACME', name.toUpperCase())),
  );

const rows: Row[] = [
  {
    name: 'a directory named like a spec',
    setup: (w) => mkdirSync(T(w, 'x.yaml')),
    expected: /tenants\/x\.yaml: is a directory; a spec must be a regular \.yaml file/,
  },
  {
    name: 'a named pipe (would hang a plain read)',
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
      tenantFile(w, 'dupkey', (s) =>
        s.replace('isolation: shared', 'isolation: shared\nisolation: dedicated'),
      ),
    expected:
      /tenants\/dupkey\.yaml:8:1 isolation: duplicate key "isolation" \(first set on line 7\)/,
  },
  {
    name: 'a tab as indentation, once',
    setup: (w) =>
      tenantFile(w, 'tabbed', (s) =>
        s.replace('  - /tenants/tabbed/developers', '\t- /tenants/tabbed/developers'),
      ),
    expected:
      /tenants\/tabbed\.yaml:5:1: is not valid YAML: Tabs are not allowed as indentation\n(?!\s+tenants\/tabbed)/,
  },
  {
    name: 'invalid UTF-8',
    setup: (w) =>
      tenantFile(w, 'latin', (s) =>
        Buffer.concat([Buffer.from(s.replace('LATIN', 'Caf')), Buffer.from([0xe9, 0x0a])]),
      ),
    expected: /tenants\/latin\.yaml:\d+: is not valid UTF-8 on this line/,
  },
  {
    name: 'a list of 50,000 identical entries',
    setup: (w) =>
      writeFileSync(
        T(w, 'long.yaml'),
        JSON.stringify({
          name: 'long',
          displayName: 'L',
          owners: Array(50_000).fill('g'),
          environments: ['dev'],
        }),
      ),
    expected: /tenants\/long\.yaml:1:\d+ owners: lists 50000 owner groups; at most 20 are allowed/,
  },
  {
    name: 'a derived-name collision, in both files',
    setup: (w) =>
      writeFileSync(
        T(w, 'initech-platform.yaml'),
        'name: initech-platform\ndisplayName: X\nowners: [/tenants/initech-platform/d]\nenvironments: [dev]\n',
      ),
    expected:
      /tenants\/initech-platform\.yaml:1 name: derives Application "tenant-initech-platform", as tenants\/initech\.yaml:2 name does/,
  },
  {
    name: 'the same collision, in the other file',
    setup: () => {},
    expected:
      /tenants\/initech\.yaml:2 name: derives Application "tenant-initech-platform", as tenants\/initech-platform\.yaml:1 name does/,
  },
  {
    name: 'a policy exception for ever',
    setup: (w) =>
      tenantFile(
        w,
        'forever',
        (s) =>
          `${s}policyExceptions:\n  - { policy: images-pinned, justification: vendor image ships as latest only, expires: '2999-12-31' }\n`,
      ),
    expected:
      /tenants\/forever\.yaml:\d+ policyExceptions\[0\]\.expires: 2999-12-31 is more than 180 days after/,
  },
  {
    // In staging: an invalid environment drops out, and the collision rows need dev.
    name: 'a malformed image registry in an environment',
    setup: (w) =>
      writeFileSync(
        path.join(w, 'environments', 'staging.yaml'),
        `${readFileSync(path.join(ROOT, 'environments', 'staging.yaml'), 'utf8')}guardrails:\n  imageRegistries:\n    additional: [ghcr.io/acme:latest]\n`,
      ),
    expected:
      /environments\/staging\.yaml:\d+:18 guardrails\.imageRegistries\.additional\[0\]: must not carry a tag or digest/,
  },
  // One tenant per credential family of secretlint's recommended preset.
  ...CREDENTIALS.map((c, i): Row => {
    const name = `secret${i}`;
    const { line, column } = plantInSystemMessage(ACME, c);
    return {
      name: `${c.family} (${name})`,
      setup: (w) => tenantFile(w, name, (s) => plantInSystemMessage(s, c).content),
      expected: new RegExp(
        `tenants/${name}\\.yaml:${line}:${column} agents\\[0\\]\\.systemMessage: is a credential \\(secretlint ${c.rule}: ${c.messageId}\\)`,
      ),
    };
  }),
];

const DIST_SLICE = 'dist/dev/tenants/acme';
let root: string;
let before: Map<string, string>;
const runs: Record<'synth' | 'check', ReturnType<typeof spawnSync>> = {} as never;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hostile-cli-'));
  // A slice of the committed dist/ stands for all of it: a run that wrote anything would
  // replace and prune the whole tree, so any write shows here.
  for (const dir of ['environments', 'tenants', 'policies', DIST_SLICE])
    cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
  before = readTree(path.join(root, 'dist'));
  for (const row of rows) row.setup(root);
  for (const cli of ['synth', 'check'] as const)
    runs[cli] = spawnSync(TSX, [CLI[cli], '--root', root], { encoding: 'utf8', timeout: 120_000 });
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(['synth', 'check'] as const)(
  'npm run %s refuses hostile spec input with file, line and field, touching nothing',
  (cli) => {
    it('finishes, exits 1, prints no stack trace and leaves dist/ byte-identical', () => {
      const run = runs[cli];
      expect(run.error, 'the CLI did not finish').toBeUndefined();
      expect(run.status, String(run.stderr)).toBe(1);
      expect(String(run.stderr)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(readTree(path.join(root, 'dist'))).toEqual(before);
    });

    it.each(rows)('names $name', ({ expected }) => {
      expect(String(runs[cli].stderr)).toMatch(expected);
    });
  },
);
