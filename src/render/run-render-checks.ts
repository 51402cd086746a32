import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PlatformModel } from '../model/types';
import { checkBringUpOrder, syncUnits } from './bring-up-order';
import {
  checkGuardrails,
  checkSchemas,
  checkScheduling,
  type RenderFinding,
} from './check-rendered';
import { checkDatabaseChain } from './database-chain';
import { renderAddons, type RenderedEnvironment } from './render-addons';
import { checkValueEffects } from './value-effect';
import { checkWebhookPorts } from './webhook-ports';

/**
 * Guardrails whose findings on rendered add-ons fail the run. The others (Pod Security
 * restricted, probes, resources) are reported: upstream charts for node agents and
 * operators do not meet them, and whether the cluster policies should cover platform
 * namespaces is the policies' decision, not the renderer's. Both image guardrails hold every
 * namespace in the cluster: an add-on image from a registry outside the environment's
 * allow-list would be refused at admission (Deny), so it fails here first.
 */
export const ENFORCED_ON_ADDONS = ['images-pinned', 'images-allowed-registries'] as const;

export interface RenderCheckReport {
  readonly environments: readonly RenderedEnvironment[];
  readonly errors: readonly RenderFinding[];
  readonly warnings: readonly RenderFinding[];
  readonly objects: number;
  readonly valuesProbed: number;
  readonly renders: number;
  readonly millis: number;
}

/** Renders every add-on of every environment and runs every check on the result. */
export async function runRenderChecks(options: {
  readonly root: string;
  readonly helm: string;
  readonly model: PlatformModel;
  readonly environments?: readonly string[];
  readonly valueEffects?: boolean;
  readonly concurrency?: number;
}): Promise<RenderCheckReport> {
  const start = performance.now();
  const { environments, failures } = await renderAddons(options);
  const errors: RenderFinding[] = failures.map((f) => ({
    check: 'render',
    environment: f.environment,
    application: f.application,
    resource: '-',
    message: f.message,
  }));
  const warnings: RenderFinding[] = [];
  let valuesProbed = 0;
  let renders = 0;
  for (const env of environments) {
    const model = options.model.environments.find((e) => e.name === env.name);
    if (!model) throw new Error(`dist/${env.name} has no environments/${env.name}.yaml`);
    errors.push(...checkSchemas(env, path.join(options.root, 'schemas')));
    for (const f of checkGuardrails(env, model.guardrails))
      ((ENFORCED_ON_ADDONS as readonly string[]).includes(f.policy ?? '') ? errors : warnings).push(
        f,
      );
    errors.push(...checkScheduling(env));
    const units = syncUnits(options.root, env);
    errors.push(...checkBringUpOrder(env.name, units));
    errors.push(...checkDatabaseChain(env.name, units));
    errors.push(...checkWebhookPorts(env.name, units));
    if (options.valueEffects ?? true) {
      const v = await checkValueEffects(env, options);
      errors.push(...v.findings);
      valuesProbed += v.probed;
      renders += v.renders;
    }
  }
  return {
    environments,
    errors,
    warnings,
    objects: environments.reduce(
      (n, e) => n + e.applications.reduce((m, a) => m + a.objects.length, 0),
      0,
    ),
    valuesProbed,
    renders,
    millis: Math.round(performance.now() - start),
  };
}
