import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { clusterSecretFromTerraform, type ClusterSecret } from '../../src/render/cluster-secret';
import type { RenderedObject } from '../../src/render/helm';
import {
  generatedApplications,
  renderApplication,
  type RenderedApplication,
  type RenderedEnvironment,
} from '../../src/render/render-addons';
import { ROOT } from '../platform/synth-fixture';

/** The helm CI builds (.ci/install-helm.sh); the render tests need the real one. */
export function helmBinary(): string {
  const helm = process.env.HELM ?? path.join(homedir(), '.cache/agentic-platform/bin/helm');
  if (!existsSync(helm))
    throw new Error(
      `no helm at ${helm}: run .ci/install-helm.sh (the render tests need the real helm)`,
    );
  return helm;
}

export function clusterOf(env: string): ClusterSecret {
  const file = path.join('dist', env, 'terraform', 'cdk.tf.json');
  return clusterSecretFromTerraform(readFileSync(path.join(ROOT, file), 'utf8'), file);
}

/** An environment with only the named add-on Applications, rendered for real. */
export async function renderSome(
  env: string,
  names: readonly string[],
  apiVersions: readonly string[] = [],
): Promise<RenderedEnvironment> {
  const cluster = clusterOf(env);
  const { apps } = generatedApplications(ROOT, env, cluster);
  const applications: RenderedApplication[] = [];
  for (const { app, source } of apps.filter((a) => names.includes(a.app.name))) {
    const objects = await renderApplication(
      { root: ROOT, helm: helmBinary() },
      app,
      source,
      '1.33',
      apiVersions,
    );
    applications.push({ app, source, vendored: source.dir, objects });
  }
  return {
    name: env,
    kubernetesVersion: '1.33',
    cluster,
    applications,
    notGenerated: [],
    apiVersions,
  };
}

/** A minimal rendered Deployment with the given pod spec fields. */
export function deployment(name: string, pod: Record<string, unknown>): RenderedObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: {}, template: { metadata: {}, spec: { containers: [], ...pod } } },
  };
}
