import { RegistryBundle } from '../../../constructs/registry/registry-bundle';
import type { EnvironmentModel } from '../../model/types';
import { synthChart } from '../../synth/chart-objects';
import { addManifests, type OutputFiles } from '../../synth/output';
import { catalogFromEnvironment } from '../catalog/from-environment';

/**
 * `registry/…`: the agent registry of one environment, with the environment's catalog as a
 * ConfigMap. One Argo CD Application; files named `<kind>-<name>.yaml`.
 */
export function registryLayer(env: EnvironmentModel, out: OutputFiles): void {
  const manifests = synthChart(
    (app) =>
      new RegistryBundle(app, 'agent-registry', {
        environment: env,
        catalog: catalogFromEnvironment(env),
      }),
  );
  addManifests(out, 'registry', manifests, env.sourceFile);
}
