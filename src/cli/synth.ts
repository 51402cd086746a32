import path from 'node:path';
import { parseCli } from './args';
import { SpecError } from '../spec/errors';
import { writeTree } from '../synth/write';
import { summary, synthFromRepo } from './pipeline';

const USAGE = `usage: npm run synth [-- --json] [--root DIR] [--out DIR]

Builds every environment from environments/*.yaml and tenants/*.yaml and replaces dist/
with the result. Nothing is written when any spec is invalid.`;

function main(): number {
  const parsed = parseCli(
    {
      json: { type: 'boolean', default: false },
      root: { type: 'string', default: process.cwd() },
      out: { type: 'string' },
    } as const,
    USAGE,
  );
  if (parsed.exit !== undefined) return parsed.exit;
  const args = parsed.values;
  const root = path.resolve(args.root);
  const out = path.resolve(args.out ?? path.join(root, 'dist'));
  try {
    const result = synthFromRepo(root);
    writeTree(out, result.files);
    const s = summary(result);
    if (args.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    for (const e of s.environments)
      process.stderr.write(`  ${e.name}: ${e.tenants} tenants, ${e.files} files\n`);
    process.stderr.write(
      `synth: ${s.environments.length} environments, ${s.tenants} tenants, ${s.files} files in ${s.millis} ms → ${path.relative(process.cwd(), out) || '.'}\n`,
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
  }
}

process.exitCode = main();
