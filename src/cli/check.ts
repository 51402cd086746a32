import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderMarkdown, renderSarif, renderText, type RuleInfo } from '../check/report-formats';
import { CheckPool, checkDist } from '../check/run-check';
import { defaultThreads } from '../synth/worker-pool';
import { TERRAFORM_RULES } from '../check/terraform-guardrails';
import { parseCli, parseThreads } from './args';
import { SpecError } from '../spec/errors';
import { modelFromRepo } from './pipeline';
import { specCounts } from './spec-counts';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: npm run check [-- --format text|json|sarif|markdown] [--out FILE] [--root DIR] [--today YYYY-MM-DD] [--threads N]

Checks dist/ against a fresh synth of the specs (drift), validates every manifest against the
strict schema of its kind (and its CRD's CEL rules), runs the Terraform guardrails and the
guardrails in policies/ over every manifest. Findings are grouped by file with the policy id,
the message and the fix. Exits 1 on any error-severity finding; warnings (including findings
covered by an unexpired exception) are reported only. Each environment is checked in parts
(its platform, then 25 tenants at a time), each thread taking the next; --threads sets the
threads (default: every core from 200 tenant bundles on, else 1).`;

/**
 * Compiled schema validators live in the user's cache (XDG), beside the CI's tool caches:
 * named by the hash of their schema, Kubernetes definitions and Ajv release, one folder serves
 * every clone and --root, and a fresh clone's first check loads instead of compiling.
 */
function userValidatorCache(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'agentic-platform', 'validators');
}

async function run(): Promise<number> {
  const parsed = parseCli(
    {
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
      root: { type: 'string', default: process.cwd() },
      today: { type: 'string' },
      threads: { type: 'string' },
    } as const,
    USAGE,
  );
  if (parsed.exit !== undefined) return parsed.exit;
  const args = parsed.values;
  if (!(FORMATS as readonly string[]).includes(args.format)) {
    process.stderr.write(
      `--format must be one of ${FORMATS.join(', ')}, got "${args.format}"\n${USAGE}\n`,
    );
    return 2;
  }
  const format = args.format as Format;
  // The only clock read: exceptions expire by date. --today pins it for reproducible runs.
  const today = args.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    process.stderr.write(`--today must be YYYY-MM-DD, got "${today}"\n`);
    return 2;
  }
  const parsedThreads = parseThreads(args.threads, USAGE);
  if (parsedThreads.exit !== undefined) return parsedThreads.exit;
  const { threads } = parsedThreads;
  const root = path.resolve(args.root);
  // Workers load the code while this thread loads the specs; checkDist ends the ones it does
  // not need (or all, when the specs fail).
  const pool = CheckPool.start(prestartWorkers(root, threads));
  try {
    return await checkRepo({ root, format, today, out: args.out, threads, pool });
  } finally {
    pool.close();
  }
}

/** Workers worth starting before the specs are loaded: as many as checkDist will use. */
function prestartWorkers(root: string, threads: number | undefined): number {
  const { tenants, environments } = specCounts(root);
  const wanted = threads ?? defaultThreads(tenants * environments);
  return Math.max(0, wanted - 1);
}

/** One run's settings, validated. */
interface CheckRun {
  readonly root: string;
  readonly format: Format;
  readonly today: string;
  /** The report's file; stdout when undefined. */
  readonly out: string | undefined;
  readonly threads: number | undefined;
  readonly pool: CheckPool;
}

async function checkRepo({ root, format, today, out, threads, pool }: CheckRun): Promise<number> {
  const loadStart = performance.now();
  let model;
  try {
    model = modelFromRepo(root, { today });
  } catch (err) {
    if (err instanceof SpecError) {
      if (format === 'json')
        process.stdout.write(`${JSON.stringify({ ok: false, specIssues: err.issues }, null, 2)}\n`);
      process.stderr.write(`check: ${err.message}\n`);
      return 1;
    }
    // Spec input never gets here (every bad input is a SpecError); a bug still must not dump a
    // stack trace into a PR author's CI log, so it is one line and a distinct exit code.
    process.stderr.write(`check: internal error, please report: ${(err as Error).message}\n`);
    return 3;
  }
  const loadMillis = Math.round(performance.now() - loadStart);
  const report = await checkDist(root, model, today, {
    pool,
    validatorCache: userValidatorCache(),
    ...(threads === undefined ? {} : { threads }),
  });
  const rules: RuleInfo[] = [
    ...(model.environments[0]?.guardrails ?? []).map((g) => ({
      id: g.id,
      title: g.title,
      description: g.description,
      remediation: g.remediation,
    })),
    ...Object.entries(TERRAFORM_RULES).map(([id, title]) => ({ id, title, description: title })),
  ];
  const version = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const rendered =
    format === 'json'
      ? `${JSON.stringify({ ok: !report.findings.some((f) => f.severity === 'error'), ...report }, null, 2)}\n`
      : format === 'sarif'
        ? renderSarif(report, rules, version)
        : format === 'markdown'
          ? renderMarkdown(report)
          : renderText(report);
  if (out) {
    // Written directly: a report is not generated source and needs no atomic swap.
    writeFileSync(path.resolve(out), rendered);
  } else {
    process.stdout.write(rendered);
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  process.stderr.write(
    `check: ${report.files} files, ${report.manifests} manifests, ${report.guardrailEvaluations} guardrail evaluations, ` +
      `${errors} errors, ${report.findings.length - errors} warnings, ${report.exceptions.length} exceptions ` +
      `in ${report.millis + loadMillis} ms (specs ${loadMillis} ms, synth and checks ${report.millis} ms)\n`,
  );
  return errors > 0 ? 1 : 0;
}

/** No input gets a stack trace: anything unexpected (a dist/ that cannot be read) is one line. */
async function main(): Promise<number> {
  try {
    return await run();
  } catch (err) {
    process.stderr.write(`check: ${(err as Error).message}\n`);
    return 3;
  }
}

process.exitCode = await main();
