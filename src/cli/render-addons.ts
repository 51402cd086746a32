import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildModel } from '../model/build';
import { renderedFile, type RenderFinding } from '../render/check-rendered';
import { runRenderChecks } from '../render/run-render-checks';
import { loadSpecs } from '../spec/load';
import { parseCli } from './args';

const USAGE = `usage: npm run render:addons [-- --env dev,prod] [--helm PATH] [--out DIR] [--no-value-effects] [--root DIR]

Renders every add-on ApplicationSet of every environment in dist/ with the vendored charts
(vendor/charts) and the real helm (default ~/.cache/agentic-platform/bin/helm, or $HELM), filling
its templates from the environment's cluster Secret (dist/<env>/terraform), and checks the
output: renders at all, strict schemas, pinned images (and reports the other platform-workload
guardrails), every pod schedulable without the platform-scheduling mutation, bring-up order of the
sync waves, that every webhook port the API server calls is admitted by its namespace's
allow-api-server NetworkPolicy (and no other port), and that every
placement/replica/resource/secret/OIDC/storage value changes the output. --out writes the rendered manifests to DIR/<env>/addons/<app>/<kind>-<name>.yaml.
Exits 1 on any error.`;

async function main(): Promise<number> {
  const parsed = parseCli(
    {
      env: { type: 'string' },
      helm: { type: 'string' },
      out: { type: 'string' },
      root: { type: 'string', default: process.cwd() },
      'no-value-effects': { type: 'boolean', default: false },
    } as const,
    USAGE,
  );
  if (parsed.exit !== undefined) return parsed.exit;
  const args = parsed.values;
  const root = path.resolve(args.root);
  const helm =
    args.helm ?? process.env.HELM ?? path.join(homedir(), '.cache/agentic-platform/bin/helm');
  if (!existsSync(helm)) {
    process.stderr.write(
      `render:addons: no helm at ${helm}; run .ci/install-helm.sh or pass --helm\n`,
    );
    return 2;
  }
  const model = buildModel(loadSpecs(root));
  const report = await runRenderChecks({
    root,
    helm,
    model,
    ...(args.env ? { environments: args.env.split(',') } : {}),
    valueEffects: !args['no-value-effects'],
  });
  if (args.out) {
    const out = path.resolve(args.out);
    for (const env of report.environments) {
      rmSync(path.join(out, env.name), { recursive: true, force: true });
      for (const a of env.applications)
        for (const o of a.objects) {
          const file = path.join(out, renderedFile(env.name, a.app.name, o));
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, stringify(o, { lineWidth: 0 }));
        }
    }
  }
  const print = (label: string, list: readonly RenderFinding[]) => {
    for (const f of list)
      process.stdout.write(
        `${label} ${f.environment} ${f.check}${f.policy ? `/${f.policy}` : ''} ${f.application} ${f.resource}: ${f.message}\n`,
      );
  };
  print('warning', report.warnings);
  print('error', report.errors);
  for (const env of report.environments) {
    const standIns = env.applications.filter((a) => a.standIn);
    for (const a of standIns)
      process.stdout.write(`note ${env.name} ${a.app.name}: stand-in chart: ${a.standIn}\n`);
    if (env.cluster.unknownAfterApply.length > 0)
      process.stdout.write(
        `note ${env.name}: rendered with stand-ins for values Terraform knows only after apply: ${env.cluster.unknownAfterApply.join(', ')}\n`,
      );
  }
  const count = (check: string) => report.errors.filter((f) => f.check === check).length;
  process.stderr.write(
    `render:addons: ${report.environments.length} environments, ${report.environments.reduce((n, e) => n + e.applications.length, 0)} applications, ${report.objects} objects; ` +
      `errors: render ${count('render')}, schema ${count('schema')}, guardrail ${count('guardrail')}, scheduling ${count('scheduling')}, order ${count('order')}, database ${count('database')}, webhook ${count('webhook')}, value-effect ${count('value-effect')} ` +
      `(${report.valuesProbed} values probed in ${report.renders} renders); ${report.warnings.length} guardrail warnings; ${report.millis} ms\n`,
  );
  return report.errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`render:addons: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
