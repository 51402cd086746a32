import { Chart } from 'cdk8s';
import { GuardrailException } from '../../constructs/policy/guardrail-exception';
import { GuardrailPolicy } from '../../constructs/policy/guardrail-policy';
import type { EnvironmentShared } from '../model/types';
import { policyExceptionName } from '../spec/derived-names';
import { synthChart } from '../synth/chart-objects';
import { environmentLayer, type Layer } from '../synth/layer';
import { addManifests, type OutputFiles } from '../synth/output';

/** Namespace the platform's Kyverno reads PolicyExceptions from. */
export const EXCEPTION_NAMESPACE = 'kyverno';

/**
 * `policies/`: every guardrail that the cluster can enforce, as a ValidatingPolicy with the
 * environment's action, and every declared exception as a PolicyException.
 */
function guardrailsFiles(env: EnvironmentShared, out: OutputFiles): void {
  const policies = synthChart((app) => {
    const chart = new Chart(app, `guardrails-${env.name}`);
    for (const g of env.guardrails) {
      if (g.scope === 'object' && !g.ciOnly)
        new GuardrailPolicy(chart, g.id, { guardrail: g, action: env.guardrailAction });
    }
    return chart;
  });
  addManifests(out, 'policies', policies, 'policies/');
  for (const e of env.exceptions) {
    const name = policyExceptionName(e.tenant ?? env.name, e.policy);
    const manifests = synthChart((app) => {
      const chart = new Chart(app, `exception-${name}`);
      new GuardrailException(chart, name, {
        name,
        namespace: EXCEPTION_NAMESPACE,
        policy: e.policy,
        expires: e.expires,
        justification: e.justification,
        ...(e.tenant ? { objectNamespace: e.tenant } : {}),
        ...(e.resources ? { resources: e.resources } : {}),
      });
      return chart;
    });
    addManifests(out, 'policies', manifests, e.sourceFile);
  }
}

export const guardrailsLayer: Layer = environmentLayer(guardrailsFiles);
