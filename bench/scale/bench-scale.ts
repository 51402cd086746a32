/**
 * Scale benchmark (prints figures; never a test):
 *   npm run bench:scale -- 1000 10000 [--baseline-cap 1000]
 * For each tenant count N: generates N tenants (bench/scale/generate-tenants.ts) in a scratch
 * copy of the repository's inputs, then times, each in its own process under /usr/bin/time,
 *   - full synth      `npm run synth` into an empty dist/ (and an empty bundle cache)
 *   - one-tenant      one tenant's quota changed, `npm run synth` again (the other tenants'
 *                     bundles come from the cache the full synth filled)
 *   - check           `npm run check` on the result
 *   - naive baseline  one cdk8s App per environment, App.synth() into an emptied folder, at
 *                     min(N, cap) tenants (it is quadratic)
 * and prints wall and CPU seconds, peak RSS, files, bytes and the largest object (as JSON,
 * the size check's measure) side by side, with the machine and its load average. Each phase
 * starts once the disks have been idle for 3 s (settleDisk).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { MAX_OBJECT_BYTES, objectBytes } from '../../src/check/object-size';
import { listTree } from '../../src/synth/tree-writer';
import { generatedTenantYaml, scratchRepo } from './generate-tenants';

const REPO = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
/**
 * The command line of `npm run <name>` (package.json), its script path made absolute: the
 * phases run in the scratch copy, and measure exactly what a platform engineer runs (the
 * CLI build, src/cli/run-built.mjs, with its V8 flags), not a copy of it kept here.
 */
function npmScript(name: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = pkg.scripts?.[name];
  const argv = script?.split(/\s+/) ?? [];
  if (argv[0] !== 'node' || !argv.some((a) => a.endsWith('.mjs')))
    throw new Error(
      `bench: package.json scripts.${name} is ${JSON.stringify(script)}; expected "node [flags] <script>.mjs ..."`,
    );
  return argv.map((a) => (a.endsWith('.mjs') ? path.join(REPO, a) : a));
}
const SYNTH = npmScript('synth');
const CHECK = npmScript('check');

const args = process.argv.slice(2);
const capAt = args.indexOf('--baseline-cap');
const cap = capAt >= 0 ? Number(args[capAt + 1]) : 1000;
const counts = args.filter((a, i) => /^\d+$/.test(a) && i !== capAt + 1).map(Number);
if (counts.length === 0) counts.push(1000);

interface Measure {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMiB: number;
  readonly ok: boolean;
  readonly note?: string;
  /** For a synth run with --json: files written and tenant bundles built/cached. */
  readonly summary?: string;
}

/** Runs a command under GNU time: wall, user+sys CPU seconds, peak RSS. */
function timed(cmd: string[], cwd: string): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %U %S %M', ...cmd], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
  });
  const line = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!line) throw new Error(`no timing for ${cmd.join(' ')}:\n${r.stderr}`);
  const tail = (r.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('BENCH'));
  return {
    wall: Number(line[1]),
    cpu: Number(line[2]) + Number(line[3]),
    rssMiB: Number(line[4]) / 1024,
    ok: r.status === 0,
    ...(r.status === 0 ? {} : { note: tail.slice(-3).join(' | ') }),
    ...(cmd.includes('--json') && r.status === 0 ? { summary: synthSummary(r.stdout) } : {}),
  };
}

/** What a `synth --json` run did, in a few words. */
function synthSummary(stdout: string): string {
  const s = JSON.parse(stdout) as {
    written: number;
    bundlesBuilt?: number;
    bundlesCached?: number;
    environmentPartsCached?: number;
  };
  return `${s.written} files written, ${s.bundlesBuilt ?? '?'} tenant bundles built, ${s.bundlesCached ?? '?'} cached, ${s.environmentPartsCached ?? '?'} environment parts cached`;
}

/** Files, bytes and the largest object below `dir`. */
function treeFigures(dir: string) {
  const files = [...listTree(dir)];
  let bytes = 0;
  const sizes: [number, string][] = [];
  for (const f of files) {
    const size = statSync(path.join(dir, f)).size;
    bytes += size;
    sizes.push([size, f]);
  }
  // The largest files as YAML are the candidates; their JSON size is the object size.
  sizes.sort((a, b) => b[0] - a[0]);
  let largest = { bytes: 0, file: '-' };
  for (const [, f] of sizes.slice(0, 20)) {
    if (!f.endsWith('.yaml')) continue;
    for (const d of parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')) as unknown as {
      toJS(): unknown;
    }[]) {
      const b = objectBytes(d.toJS());
      if (b > largest.bytes) largest = { bytes: b, file: f };
    }
  }
  return { files: files.length, bytes, largest };
}

/**
 * Waits until the block devices have been idle for 3 s (at most 90 s) and says how long that
 * took. On ext4 mounted with `discard` (these machines), creating files is several times
 * slower for about a minute after a large tree was deleted, so a phase timed right after a
 * deletion (the previous N's scratch tree, say) would measure the disk's backlog.
 */
function settleDisk(): string {
  spawnSync('sync');
  const busy = () => {
    try {
      return (
        readdirSync('/sys/block')
          .map((d) => readFileSync(`/sys/block/${d}/stat`, 'utf8').trim().split(/\s+/))
          // Field 10 is the milliseconds the device spent doing I/O.
          .reduce((sum, f) => sum + Number(f[9] ?? 0), 0)
      );
    } catch {
      return undefined;
    }
  };
  const start = Date.now();
  let last = busy();
  if (last === undefined) return 'disk not observable';
  let quiet = 0;
  while (quiet < 3 && Date.now() - start < 90_000) {
    spawnSync('sleep', ['1']);
    const now = busy();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  const s = ((Date.now() - start) / 1000).toFixed(0);
  return quiet >= 3 ? `disk idle after ${s} s` : `disk still busy after ${s} s`;
}

const fmt = (m: Measure) =>
  `${m.wall.toFixed(1).padStart(8)} ${m.cpu.toFixed(1).padStart(8)} ${m.rssMiB.toFixed(0).padStart(8)}${m.ok ? '' : `  FAILED: ${m.note}`}`;

const cpus = os.cpus();
console.log(
  `machine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
// The CLI build is made once per code change (its first run after one); made here, untimed,
// so that every phase measures the runs a platform engineer makes between code changes.
const build = timed([...SYNTH, '--help'], REPO);
console.log(`CLI build ready (src/cli/run-built.mjs): ${build.wall.toFixed(1)} s wall`);
for (const n of counts) {
  const repo = scratchRepo(REPO, n);
  try {
    const dist = path.join(repo.root, 'dist');
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    console.log(
      `\nN = ${n} tenants × 3 environments (scratch ${repo.root}); loadavg before: ${load()}`,
    );
    console.log('phase                        wall s    cpu s  rss MiB');
    const synthCmd = [...SYNTH, '--root', repo.root];
    let settled = settleDisk();
    const full = timed([...synthCmd, '--json'], repo.root);
    console.log(`full synth               ${fmt(full)}  ${full.summary ?? ''}; ${settled}`);
    const figures = full.ok ? treeFigures(dist) : undefined;
    // One tenant changes: its quota in every environment (one CPU more than generated).
    const spec = generatedTenantYaml(0, ['dev', 'staging', 'prod']);
    const changed = spec.replace(
      /^( {2}cpu: )(\d+)$/m,
      (_, k: string, v: string) => `${k}${Number(v) + 1}`,
    );
    if (changed === spec) throw new Error('bench: tenant t00000 has no quota.cpu to change');
    writeFileSync(path.join(repo.root, 'tenants', 't00000.yaml'), changed);
    settled = settleDisk();
    const one = timed([...synthCmd, '--json'], repo.root);
    console.log(`one-tenant re-synth      ${fmt(one)}  ${one.summary ?? ''}; ${settled}`);
    settled = settleDisk();
    const check = timed(
      [
        ...CHECK,
        '--root',
        repo.root,
        '--format',
        'json',
        '--out',
        path.join(repo.root, 'check.json'),
      ],
      repo.root,
    );
    console.log(`check                    ${fmt(check)}  ${settled}`);
    if (n > cap) repo.keepFirst(cap);
    const baselineN = Math.min(n, cap);
    settled = settleDisk();
    const baseline = timed(
      [
        TSX,
        path.join(REPO, 'bench/scale/naive-baseline.ts'),
        repo.root,
        path.join(repo.root, 'naive'),
      ],
      repo.root,
    );
    console.log(
      `naive one-App baseline   ${fmt(baseline)}  at ${baselineN} tenants${n > cap ? ` (capped at ${cap}: quadratic)` : ''}; ${settled}`,
    );
    if (figures) {
      console.log(
        `output: ${figures.files} files, ${(figures.bytes / 2 ** 20).toFixed(1)} MiB; largest object ${figures.largest.bytes} bytes (${figures.largest.file}), limit ${MAX_OBJECT_BYTES}`,
      );
    }
    console.log(`loadavg after: ${load()}`);
  } finally {
    repo.dispose();
  }
}
