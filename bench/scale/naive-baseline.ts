/**
 * The naive baseline the scale benchmark compares against: what cdk8s does out of the box.
 * One cdk8s App per environment holding every tenant bundle as a Chart, written by
 * `App.synth()` into an emptied folder (delete and rewrite), one thread. cdk8s validates
 * App-wide on every chart, so this is quadratic in the tenants (DESIGN.md).
 *   tsx bench/scale/naive-baseline.ts <root> <outdir>
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { App } from 'cdk8s';
import { TenantBundle } from '../../constructs/tenant/tenant-bundle';
import { modelFromRepo } from '../../src/cli/pipeline';
import { LAYERS } from '../../src/synth/synthesize';
import { tenantLayer } from '../../src/synth/tenant-layer';
import { writeTree } from '../../src/synth/write';

const [root, outdir] = process.argv.slice(2);
if (!root || !outdir) throw new Error('usage: naive-baseline.ts <root> <outdir>');
const model = modelFromRepo(root);
rmSync(outdir, { recursive: true, force: true });
for (const env of model.environments) {
  const app = new App({ outdir: path.join(outdir, env.name, 'tenants') });
  for (const tenant of env.tenants)
    new TenantBundle(app, tenant.name, { tenant, environment: env });
  app.synth();
  // The shared layers are the same code in both runs; written in one go, after emptying.
  const shared = new Map<string, string>();
  for (const layer of LAYERS) if (layer !== tenantLayer) layer(env, shared);
  writeTree(path.join(outdir, env.name, 'shared'), shared);
}
