import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkDist, type Finding } from '../check/run-check';
import { SpecError } from '../spec/errors';
import { synthFromRepo } from './pipeline';

const USAGE = `usage: npm run check [-- --format text|json] [--root DIR]

Checks that dist/ equals a fresh synth of the specs and that every manifest in it is valid
against the strict schema of its kind. Exits 1 on any finding.`;

function main(): number {
  let args;
  try {
    args = parseArgs({
      options: {
        format: { type: 'string', default: 'text' },
        root: { type: 'string', default: process.cwd() },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.format !== 'text' && args.format !== 'json') {
    process.stderr.write(`--format must be text or json, got "${args.format}"\n${USAGE}\n`);
    return 2;
  }
  const root = path.resolve(args.root);
  let result;
  try {
    result = synthFromRepo(root);
  } catch (err) {
    if (err instanceof SpecError) {
      if (args.format === 'json')
        process.stdout.write(`${JSON.stringify({ ok: false, specIssues: err.issues }, null, 2)}\n`);
      process.stderr.write(`check: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const report = checkDist(root, result.model, result.files);
  if (args.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(renderText(report.findings));
  }
  process.stderr.write(
    `check: ${report.files} files, ${report.manifests} manifests, ${report.findings.length} findings in ${report.millis + result.millis} ms (synth ${result.millis} ms)\n`,
  );
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function renderText(findings: readonly Finding[]): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  let out = '';
  for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    out += `dist/${file}\n`;
    for (const f of list) {
      const id = f.policy ? ` ${f.policy}` : '';
      const warn = f.severity === 'warning' ? '(warning) ' : '';
      out += `  [${f.check}${id}] ${warn}${f.resource === '-' ? '' : `${f.resource}: `}${f.message}\n`;
      if (f.remediation) out += `      fix: ${f.remediation}\n`;
    }
  }
  return out;
}

process.exitCode = main();
