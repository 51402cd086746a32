import { PlatformConventions } from '../../constructs/policy/platform-conventions';
import type { EnvironmentShared } from '../model/types';
import { PLATFORM_NAMESPACES } from '../spec/reserved';
import { synthChart } from '../synth/chart-objects';
import { environmentLayer, type Layer } from '../synth/layer';
import { addManifests, type OutputFiles } from '../synth/output';

/**
 * Namespaces the platform-scheduling convention places on the platform node group: every
 * platform namespace except `default`, which the platform reserves but runs nothing in.
 */
export const PLATFORM_SCHEDULED_NAMESPACES: readonly string[] = PLATFORM_NAMESPACES.filter(
  (ns) => ns !== 'default',
);

/** `policies/`: the Kyverno conventions, one file a policy (`<kind>-<name>.yaml`). */
function conventionsFiles(env: EnvironmentShared, out: OutputFiles): void {
  const manifests = synthChart(
    (app) =>
      new PlatformConventions(app, 'conventions', {
        platformNamespaces: PLATFORM_SCHEDULED_NAMESPACES,
        gatewayNamespace: env.gateway.namespace,
        gatewayName: env.gateway.name,
        publicListener: env.gateway.publicListener,
        otlpEndpoint: env.telemetry.otlpGrpcEndpoint,
      }),
  );
  addManifests(out, 'policies', manifests, env.sourceFile);
}

export const conventionsLayer: Layer = environmentLayer(conventionsFiles);
