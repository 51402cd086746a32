import { Construct } from 'constructs';
import { MutatingPolicyV1Beta1 } from '../../imports/kyverno-mutatingpolicy-policies.kyverno.io';
import { KAGENT_AGENT, TRACE_ENV } from '../../src/policy/conventions';
import { celLiteral } from './private/cel';

export interface TracePropagationPolicyProps {
  /**
   * Policy name.
   *
   * @default 'traceprop'
   */
  readonly name?: string;
  /** OTLP endpoint of the platform's collector, e.g. `http://otel-collector.opentelemetry.svc.cluster.local:4317`. */
  readonly otlpEndpoint: string;
}

/**
 * Gives every kagent agent runtime the platform's trace settings at admission: the OTLP
 * endpoint of the collector, W3C trace context plus baggage as propagators, and
 * `DISABLE_AIOHTTP_TRANSPORT=True` so model calls go through the instrumented httpx
 * transport. Agent pods are the ones kagent labels `app: kagent` + `kagent: <agent>`; only
 * the runtime container (`kagent`) is changed, never sidecars or init containers.
 *
 * A variable the container already sets is left as it is (the tenant bundle's Agents set the
 * same values; a tenant may point its own agent elsewhere), so the policy fills gaps, for
 * Agents applied by hand and for BYO agents, and never fights an explicit choice. Containers
 * and env are keyed lists in the Pod schema, so an ApplyConfiguration merges by name.
 */
export class TracePropagationPolicy extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: TracePropagationPolicyProps) {
    super(scope, id);
    if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(props.otlpEndpoint)) {
      throw new Error(
        `TracePropagationPolicy: otlpEndpoint must be an http(s) URL of the collector, e.g. http://collector.ns.svc.cluster.local:4317; got "${props.otlpEndpoint}"`,
      );
    }
    this.name = props.name ?? 'traceprop';
    const env = [
      { name: TRACE_ENV.otlpEndpoint, value: props.otlpEndpoint },
      { name: TRACE_ENV.propagators, value: TRACE_ENV.propagatorsValue },
      { name: TRACE_ENV.disableAiohttp, value: TRACE_ENV.disableAiohttpValue },
    ];
    const container = celLiteral(KAGENT_AGENT.container);

    new MutatingPolicyV1Beta1(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        matchConstraints: {
          objectSelector: {
            matchLabels: { [KAGENT_AGENT.appLabel]: KAGENT_AGENT.appValue },
            matchExpressions: [{ key: KAGENT_AGENT.agentLabel, operator: 'Exists' }],
          },
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
        },
        matchConditions: [
          {
            name: 'has-agent-runtime-container',
            expression: `object.spec.containers.exists(c, c.name == ${container})`,
          },
        ],
        variables: [{ name: 'traceEnv', expression: celLiteral(env) }],
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression:
                `Object{spec: Object.spec{containers: object.spec.containers.filter(c, c.name == ${container}).map(c, ` +
                `Object.spec.containers{name: c.name, env: variables.traceEnv` +
                `.filter(e, !has(c.env) || !c.env.exists(x, x.name == e.name))` +
                `.map(e, Object.spec.containers.env{name: e.name, value: e.value})})}}`,
            },
          },
        ],
      },
    });
  }
}
