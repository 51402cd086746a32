/**
 * The hostile-spec corpus through the real CLIs (a benchmark, not a test: it prints figures).
 * Each input is planted in its own copy of the repository's specs; `npm run synth` and
 * `npm run check` run on it with a 60 s cap. Printed per run: exit code, wall and CPU time
 * (user + sys of the CLI process, from /usr/bin/time), whether a stack trace appeared, and the
 * first reported problem. The baseline rows run the unmodified specs in the same session, so
 * the figures can be read against the machine's load. Target: every run under 5 s, no trace.
 *   npx tsx bench/spec-hostile.ts [synth|check]
 */
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

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const ACME = readFileSync(path.join(ROOT, 'tenants', 'acme.yaml'), 'utf8');
const T = (w: string, f: string) => path.join(w, 'tenants', f);
const asTenant = (name: string, body: string) =>
  body.replaceAll('acme', name).replace('ACME', name.toUpperCase());

const none = () => {};
const corpus: Record<string, (w: string) => void> = {
  'baseline (valid specs)': none,
  'directory named x.yaml': (w) => mkdirSync(T(w, 'x.yaml')),
  'named pipe': (w) => execFileSync('mkfifo', [T(w, 'pipe.yaml')]),
  'symlink to /dev/zero': (w) => symlinkSync('/dev/zero', T(w, 'zero.yaml')),
  'symlink out of the repository': (w) => symlinkSync('/etc/hostname', T(w, 'h.yaml')),
  'file named .yaml': (w) => writeFileSync(T(w, '.yaml'), 'name: x\n'),
  'duplicate key': (w) =>
    writeFileSync(
      T(w, 'd.yaml'),
      asTenant('d', ACME).replace('isolation: shared', 'isolation: shared\nisolation: shared'),
    ),
  'tab indentation': (w) =>
    writeFileSync(T(w, 't.yaml'), asTenant('t', ACME).replace('  - /tenants', '\t- /tenants')),
  'second document': (w) => writeFileSync(T(w, 's.yaml'), `${asTenant('s', ACME)}---\nname: x\n`),
  'invalid UTF-8': (w) =>
    writeFileSync(
      T(w, 'u.yaml'),
      Buffer.concat([Buffer.from(asTenant('u', ACME)), Buffer.from([0xc3, 0x28, 0x0a])]),
    ),
  '50,000-entry list': (w) =>
    writeFileSync(
      T(w, 'l.yaml'),
      JSON.stringify({
        name: 'l',
        displayName: 'L',
        owners: Array(50_000).fill('/tenants/l/g'.slice(0, 2)),
        environments: ['dev'],
      }),
    ),
  'file over the size limit': (w) =>
    writeFileSync(T(w, 'big.yaml'), `name: big\ndisplayName: "${'x'.repeat(400_000)}"\n`),
  'alias bomb': (w) =>
    writeFileSync(
      T(w, 'b.yaml'),
      [
        'a: &a [x,x,x,x,x,x,x,x,x]',
        ...Array.from(
          { length: 9 },
          (_, i) =>
            `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`,
        ),
      ].join('\n'),
    ),
  'nesting 100,000 deep': (w) => writeFileSync(T(w, 'n.yaml'), '['.repeat(100_000)),
  'derived-name collision (acme-platform)': (w) =>
    writeFileSync(
      T(w, 'acme-platform.yaml'),
      'name: acme-platform\ndisplayName: X\nowners: [/tenants/acme-platform/d]\nenvironments: [dev]\n',
    ),
  'exception for ever': (w) =>
    writeFileSync(
      T(w, 'acme.yaml'),
      `${ACME}policyExceptions:\n  - { policy: images-pinned, justification: vendor image ships as latest only, expires: '2999-12-31' }\n`,
    ),
  'quota of 0.01 CPU': (w) => writeFileSync(T(w, 'acme.yaml'), ACME.replace('cpu: 6', 'cpu: 0.01')),
  // Built from parts so that this file holds no token a scanner would flag.
  'GitHub token in a system message': (w) =>
    writeFileSync(
      T(w, 'acme.yaml'),
      ACME.replace('Never close issues.', `Never close issues. Use ${'ghp_'}${'x1Y2'.repeat(9)}.`),
    ),
  'every string a credential (3,500 AWS key ids)': (w) =>
    writeFileSync(
      T(w, 'k.yaml'),
      JSON.stringify({
        name: 'k',
        displayName: 'K',
        owners: ['/tenants/k/developers'],
        environments: ['dev'],
        egress: Array.from({ length: 3500 }, (_, i) => ({
          cidr: '140.82.112.0/20',
          description: `${'AKIA'}${String(i).padStart(16, 'Q')}`,
        })),
      }),
    ),
};

const only = process.argv[2];
const clis = (only ? [only] : ['synth', 'check']) as ('synth' | 'check')[];
const work = mkdtempSync(path.join(tmpdir(), 'spec-hostile-'));
const rows: string[][] = [];
try {
  for (const [name, plant] of Object.entries(corpus)) {
    for (const cli of clis) {
      const root = mkdtempSync(path.join(work, 'r-'));
      // Only the baseline gets dist/ (and the schemas and package.json check reads with it):
      // every other input is refused before check reads them.
      for (const dir of [
        'environments',
        'tenants',
        'policies',
        ...(plant === none ? ['dist', 'schemas', 'package.json'] : []),
      ])
        cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
      plant(root);
      const started = performance.now();
      // synth writes to a scratch --out, never to a dist/; check only reads.
      const args = [path.join(ROOT, 'src', 'cli', `${cli}.ts`), '--root', root];
      if (cli === 'synth') args.push('--out', path.join(root, 'out'));
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', TSX, ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const wall = performance.now() - started;
      const lines = String(r.stderr).trimEnd().split('\n');
      const [user, sys] = (lines.pop() ?? '0 0').split(' ').map(Number);
      const trace = lines.some((l) => /^\s+at .+:\d+:\d+\)?$/.test(l));
      const first = lines.find((l) => /^\s{2}\S/.test(l))?.trim() ?? lines[0] ?? '';
      rows.push([
        name,
        cli,
        r.error ? 'TIMEOUT' : String(r.status),
        (wall / 1000).toFixed(1),
        ((user ?? 0) + (sys ?? 0)).toFixed(1),
        trace ? 'TRACE' : '-',
        first.slice(0, 110),
      ]);
      process.stderr.write('.');
      rmSync(root, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stderr.write('\n');
const header = ['input', 'cli', 'exit', 'wall s', 'cpu s', 'trace', 'first problem'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [header, ...rows])
  console.log(r.map((c, i) => (i < 6 ? c.padEnd(widths[i]!) : c)).join('  '));
const slowest = Math.max(...rows.map((r) => Number(r[3])));
console.log(
  `\nslowest wall ${slowest.toFixed(1)} s, ${rows.filter((r) => r[5] === 'TRACE').length} stack traces, ${rows.filter((r) => r[2] === 'TIMEOUT').length} timeouts`,
);
