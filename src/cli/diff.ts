import path from 'node:path';
import { parseArgs } from 'node:util';
import { BaseSynthError } from '../diff/base-synth';
import { UnknownEnvironmentError } from '../diff/environments';
import { renderDiffHtml } from '../diff/format-html';
import { renderDiffJson } from '../diff/format-json';
import { renderDiffMarkdown } from '../diff/format-markdown';
import { renderDiffText } from '../diff/format-text';
import { EXIT, exitCodeOf, type DiffReport } from '../diff/report';
import { OutputParseError } from '../diff/resources';
import { SpecError } from '../spec/errors';
import { writeFileAtomic } from '../synth/atomic-write';

// Synthesis (cdk8s, cdktf) and the Kubernetes client are loaded once the arguments are known
// to be good, so a usage error answers at once.
const synth = () => import('./pipeline');

const USAGE = `usage: npm run diff -- <envA> <envB>          two environments, what really differs
       npm run diff -- --base [<git ref>]     what the working tree changes (default: merge base with main)
       npm run diff -- --live <env>           dist/<env> against a cluster (server-side apply dry-run)
options:
  --format text|markdown|json|html   what stdout gets (default text; colours on a terminal)
  --out FILE                         also write a report; format from the extension
                                     (.txt .md .json .html), repeatable
  --color auto|always|never          (default auto: a terminal without NO_COLOR)
  --root DIR                         repository root (default: the current directory)
  --kubeconfig FILE, --context NAME  for --live (default: KUBECONFIG / ~/.kube/config)
  --field-manager NAME               for --live: the manager that syncs git, which the
                                     dry-run applies as (default argocd-controller)

Objects are matched by kind, namespace and name and compared field by field; between two
environments, what identifies each one (its spec's name, domain, account, region, zones and
VPC block) is replaced by placeholders first. Changes that need a second look are flagged:
RBAC / IAM, NetworkPolicy / egress, routes exposed, policy mode, policy exceptions, images and
chart versions, Terraform resources destroyed or replaced.

exit codes: 0 no difference, 1 differences none of them flagged, 3 at least one flagged change,
2 usage error or input that cannot be read (spec error, unknown environment or ref)`;

const FORMATS = {
  text: '.txt',
  markdown: '.md',
  json: '.json',
  html: '.html',
} as const;
type Format = keyof typeof FORMATS;

function formatOfFile(file: string): Format | undefined {
  const ext = path.extname(file).toLowerCase();
  return (Object.keys(FORMATS) as Format[]).find((f) => FORMATS[f] === ext);
}

function render(report: DiffReport, format: Format, color: boolean): string {
  switch (format) {
    case 'markdown':
      return renderDiffMarkdown(report);
    case 'json':
      return renderDiffJson(report);
    case 'html':
      return renderDiffHtml(report);
    default:
      return renderDiffText(report, { color });
  }
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        base: { type: 'boolean', default: false },
        live: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        out: { type: 'string', multiple: true, default: [] },
        color: { type: 'string', default: 'auto' },
        root: { type: 'string', default: process.cwd() },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        'field-manager': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return EXIT.error;
  }
  const { values: args, positionals } = parsed;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.same;
  }
  try {
    if (!(args.format in FORMATS))
      throw new UsageError(
        `--format must be one of ${Object.keys(FORMATS).join(', ')}, got "${args.format}"`,
      );
    if (!['auto', 'always', 'never'].includes(args.color))
      throw new UsageError(`--color must be auto, always or never, got "${args.color}"`);
    const outs = args.out.map((file) => {
      const format = formatOfFile(file);
      if (!format)
        throw new UsageError(
          `--out ${file}: name it .txt, .md, .json or .html so the format is known`,
        );
      return { file: path.resolve(file), format };
    });
    if (args.base && args.live)
      throw new UsageError('--base and --live are two different comparisons; pick one');
    const color =
      args.color === 'always' ||
      (args.color === 'auto' && process.stdout.isTTY === true && !process.env.NO_COLOR);
    const root = path.resolve(args.root);

    let report: DiffReport;
    const { synthFromRepo } = await synth();
    if (args.base) {
      const { defaultBaseRef, resolveCommit, synthesizeBase } = await import('../diff/base-synth');
      const { diffAgainstBase } = await import('../diff/base');
      if (positionals.length > 1)
        throw new UsageError(`--base takes one ref, got ${positionals.join(' ')}`);
      const ref = resolveCommit(root, positionals[0] ?? defaultBaseRef(root));
      const head = synthFromRepo(root);
      const base = synthesizeBase(root, ref);
      const label = positionals[0]
        ? `${positionals[0]} (${base.commit.slice(0, 12)})`
        : `merge base ${base.commit.slice(0, 12)}`;
      report = diffAgainstBase({ label, files: base.files }, head);
    } else if (args.live) {
      if (positionals.length !== 1) throw new UsageError('--live takes one environment name');
      const { environmentOf } = await import('../diff/environments');
      const { diffLive } = await import('../diff/live');
      const { kubeCluster, SYNC_FIELD_MANAGER } = await import('../diff/live-cluster');
      const { environmentFiles } = await import('../diff/resources');
      const head = synthFromRepo(root);
      const env = environmentOf(head.model, positionals[0]!);
      const fieldManager = args['field-manager'] ?? SYNC_FIELD_MANAGER;
      const cluster = kubeCluster({
        ...(args.kubeconfig !== undefined && { kubeconfig: args.kubeconfig }),
        ...(args.context !== undefined && { context: args.context }),
        fieldManager,
      });
      report = await diffLive(env, environmentFiles(head.files, env.name), cluster, {
        clusterLabel: args.context ? `cluster ${args.context}` : 'live cluster',
        fieldManager,
      });
    } else {
      if (positionals.length !== 2)
        throw new UsageError('name two environments, --base [ref] or --live <env>');
      const { diffEnvironments } = await import('../diff/environments');
      const head = synthFromRepo(root);
      report = diffEnvironments(head.model, head.files, positionals[0]!, positionals[1]!);
    }
    process.stdout.write(render(report, args.format as Format, color));
    for (const o of outs) writeFileAtomic(o.file, render(report, o.format, false));
    return exitCodeOf(report);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`diff: ${err.message}\n${USAGE}\n`);
      return EXIT.error;
    }
    if (
      err instanceof SpecError ||
      err instanceof UnknownEnvironmentError ||
      err instanceof BaseSynthError ||
      err instanceof OutputParseError
    ) {
      process.stderr.write(`diff: ${err.message}\n`);
      return EXIT.error;
    }
    // Anything else is a bug or an unreachable cluster; exit 1 would read as "differs".
    process.stderr.write(`diff: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.error;
  }
}

process.exitCode = await main();
