import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCli, parseThreads } from './args';
import { SpecError } from '../spec/errors';
import { SpecMemo } from '../spec/spec-memo';
import { buildFingerprint, codeFingerprint } from '../synth/code-fingerprint';
import { SynthPool, synthesizeToDir, type SynthToDirOptions } from '../synth/write-tree';
import { modelFromRepo } from './pipeline';
import { specCounts } from './spec-counts';
import { defaultThreads } from '../synth/worker-pool';

/** Environment variable that turns the tenant bundle cache off (`off`) or on (`on`, the default). */
const CACHE_ENV = 'AGENTIC_SYNTH_CACHE';

const USAGE = `usage: npm run synth [-- --json] [--root DIR] [--out DIR] [--threads N] [--no-cache]

Builds every environment from environments/*.yaml and tenants/*.yaml into dist/: writes the
files whose bytes changed, removes the ones no longer generated, leaves the rest alone.
Nothing is written when any spec is invalid or any object fails to build. --threads sets the
threads (default: every core from 200 tenant bundles on, else 1).

Tenant bundles whose tenant, environment settings and code are unchanged come from a cache in
<root>/.tmp/synth-cache (same bytes, no cdk8s), and the parsed forms of spec files parsed
before from <root>/.tmp/spec-memo.json (same bytes and code; every rule still runs). A cached
bundle whose files still have the size and time the last synth left them with (recorded in
<root>/.tmp/dist-index.json) is not compared with dist/ again, and a folder of dist/ whose
ctime is the one recorded in <root>/.tmp/dist-tree.json is not listed again.
--no-cache, or ${CACHE_ENV}=off, parses every spec, builds every bundle and leaves both
alone; CI's drift check runs that way.`;

/** The spec memo (spec-memo.ts), beside the bundle cache: its prune removes what it does not know. */
const SPEC_MEMO_FILE = 'spec-memo.json';
/** The dist index (dist-index.ts): what the last synth left in dist/, beside the memo. */
const INDEX_FILE = 'dist-index.json';
/** The dist tree (dist-tree.ts): the folders the last synth left in dist/, beside the index. */
const TREE_FILE = 'dist-tree.json';

/**
 * Code the bundles are built with: the CLI build this runs from (run-built.mjs), else this
 * repository's sources, whichever --root the specs come from.
 */
const codeOfThisRun = () =>
  buildFingerprint(import.meta.url) ?? codeFingerprint(path.resolve(import.meta.dirname, '../..'));

async function main(): Promise<number> {
  const parsed = parseCli(
    {
      json: { type: 'boolean', default: false },
      root: { type: 'string', default: process.cwd() },
      out: { type: 'string' },
      threads: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
    } as const,
    USAGE,
  );
  if (parsed.exit !== undefined) return parsed.exit;
  const args = parsed.values;
  const root = path.resolve(args.root);
  const out = path.resolve(args.out ?? path.join(root, 'dist'));
  const parsedThreads = parseThreads(args.threads, USAGE);
  if (parsedThreads.exit !== undefined) return parsedThreads.exit;
  const { threads } = parsedThreads;
  const cacheEnv = process.env[CACHE_ENV];
  if (cacheEnv !== undefined && cacheEnv !== 'on' && cacheEnv !== 'off') {
    process.stderr.write(`${CACHE_ENV} must be on or off, got "${cacheEnv}"\n`);
    return 2;
  }
  const useCache = !args['no-cache'] && cacheEnv !== 'off';
  const start = performance.now();
  // Workers load the code while this thread loads the specs; synthesizeToDir ends the ones
  // it does not need (or all, when the specs fail).
  const pool = SynthPool.start(prestartWorkers(root, threads));
  try {
    const cacheDir = path.join(root, '.tmp', 'synth-cache');
    const code = useCache ? codeOfThisRun() : undefined;
    const memoFile = path.join(root, '.tmp', SPEC_MEMO_FILE);
    const memo = code === undefined ? undefined : SpecMemo.load(memoFile, code);
    const model = modelFromRepo(root, memo ? { memo } : {});
    const options: SynthToDirOptions = {
      ...(threads === undefined ? {} : { threads }),
      pool,
      ...(code === undefined
        ? {}
        : {
            cache: { dir: cacheDir, code },
            indexFile: path.join(root, '.tmp', INDEX_FILE),
            treeFile: path.join(root, '.tmp', TREE_FILE),
          }),
    };
    const stats = await synthesizeToDir(model, out, options);
    // Only after a synth that succeeded: its specs passed every rule.
    memo?.save(memoFile);
    const s = {
      environments: model.environments.map((e) => ({
        name: e.name,
        tenants: e.tenants.length,
        files: stats.filesByEnvironment[e.name] ?? 0,
      })),
      tenants: new Set(model.environments.flatMap((e) => e.tenants.map((t) => t.name))).size,
      files: stats.files,
      written: stats.written,
      removed: stats.removed,
      bundlesBuilt: stats.bundlesBuilt.length,
      bundlesCached: stats.bundlesCached,
      environmentPartsCached: stats.environmentPartsCached,
      millis: Math.round(performance.now() - start),
    };
    if (args.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    for (const e of s.environments)
      process.stderr.write(`  ${e.name}: ${e.tenants} tenants, ${e.files} files\n`);
    process.stderr.write(
      `synth: ${s.environments.length} environments, ${s.tenants} tenants, ${s.files} files in ${s.millis} ms → ${path.relative(process.cwd(), out) || '.'} (${s.written} written, ${s.removed} removed; environment parts: ${s.environmentPartsCached} cached; tenant bundles: ${s.bundlesBuilt} built, ${s.bundlesCached} cached${useCache ? '' : ', cache off'})\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof SpecError) {
      process.stderr.write(`synth: ${err.message}\ndist/ was not changed.\n`);
      if (args.json)
        process.stdout.write(`${JSON.stringify({ ok: false, issues: err.issues }, null, 2)}\n`);
      return 1;
    }
    // Spec input never gets here (every bad input is a SpecError); a bug still must not dump a
    // stack trace into a PR author's CI log, so it is one line and a distinct exit code.
    process.stderr.write(`synth: internal error, please report: ${(err as Error).message}\n`);
    return 3;
  } finally {
    pool.close();
  }
}

/** Workers worth starting before the specs are loaded: as many as synthesizeToDir will use. */
function prestartWorkers(root: string, threads: number | undefined): number {
  const { tenants, environments } = specCounts(root);
  return (threads ?? defaultThreads(tenants * environments)) - 1;
}

process.exitCode = await main();
