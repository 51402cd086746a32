import type { EnvironmentModel, PlatformModel } from '../model/types';
import type { Layer } from './layer';
import { carryRenderedObject, type OutputFiles } from './output';
import { bootstrapLayer, platformLayer } from '../platform/layers';
import { conventionsLayer } from '../policy/conventions-layer';
import { guardrailsLayer } from '../policy/guardrails-layer';
import { registryLayer } from '../registry/deploy/registry-layer';
import { tenantLayer } from './tenant-layer';
import { terraformLayer } from './terraform-layer';

/** The layers, in the order their folders are documented in dist/README.md. */
export const LAYERS: readonly Layer[] = [
  terraformLayer,
  bootstrapLayer,
  platformLayer,
  conventionsLayer,
  guardrailsLayer,
  tenantLayer,
  registryLayer,
];

/**
 * Synthesizes every environment to `Map<path, content>` with paths relative to `dist/`.
 * Pure and deterministic: no clock, no randomness, no file system, sorted paths.
 */
export function synthesize(
  model: PlatformModel,
  layers: readonly Layer[] = LAYERS,
): Map<string, string> {
  const files = new Map<string, string>();
  const outputs = model.environments.map((env) => synthesizeEnvironment(env, layers));
  for (const out of outputs) for (const [path, content] of out) files.set(path, content);
  files.set('README.md', DIST_README);
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const out of outputs)
    for (const path of out.keys()) carryRenderedObject(out, path, sorted, path);
  return sorted;
}

/**
 * One environment's part of `synthesize`: paths relative to `dist/` (`<env>/...`), sorted,
 * each file still carrying the object it was rendered from.
 */
export function synthesizeEnvironment(
  env: EnvironmentModel,
  layers: readonly Layer[] = LAYERS,
): Map<string, string> {
  const out: OutputFiles = new Map();
  for (const layer of layers) layer(env, out);
  const files = new Map<string, string>();
  for (const path of [...out.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    files.set(`${env.name}/${path}`, out.get(path)!);
    carryRenderedObject(out, path, files, `${env.name}/${path}`);
  }
  return files;
}

export const DIST_README = `# dist/ — generated, do not edit

Everything below is written by \`npm run synth\` from \`environments/\` and \`tenants/\`, and
CI fails when it differs from a fresh synth. Change the specs or the constructs instead.

One folder an environment; inside it, one folder an Argo CD Application:

| path | what |
|---|---|
| \`<env>/terraform/cdk.tf.json\` | the cluster's AWS infrastructure (Terraform JSON) |
| \`<env>/bootstrap/\` | Argo CD root Application, AppProjects, ApplicationSets |
| \`<env>/platform/<addon>/\` | one platform add-on |
| \`<env>/policies/\` | Kyverno conventions and guardrails |
| \`<env>/tenants/<tenant>/\` | one tenant's isolated bundle |
| \`<env>/registry/\` | the agent registry service |

Files are named \`<kind>-<name>.yaml\`, one resource each, and start with a line naming the
spec they came from. The same tenant in two environments has the same relative paths, so
\`diff -r dist/staging dist/prod\` shows only real differences.
`;
