import { Construct } from 'constructs';
import { MutatingPolicyV1Beta1 } from '../../imports/kyverno-mutatingpolicy-policies.kyverno.io';
import { APP_PROTOCOL, KAGENT_AGENT } from '../../src/policy/conventions';
import { celLiteral } from './private/cel';

export interface A2aAppProtocolPolicyProps {
  /**
   * Policy name.
   *
   * @default 'appprotocol'
   */
  readonly name?: string;
}

/**
 * Marks the A2A port of every kagent agent Service with `appProtocol: agentgateway.dev/a2a`,
 * the value agentgateway v1.4.1 looks for to treat a backend as an A2A agent (agent card URL
 * rewriting, A2A telemetry). kagent v0.9.12 writes the legacy `kgateway.dev/a2a`, and only for
 * Agents with `a2aConfig`; agentgateway still accepts the legacy value, but every agent serves
 * A2A, and the legacy name may go. Sources in src/policy/conventions.ts (APP_PROTOCOL).
 *
 * Agent Services are the ones kagent labels `app: kagent` + `kagent: <agent>`; the A2A port
 * is kagent's port `http`. ApplyConfiguration merges into the port by its list keys (port,
 * protocol); the API server has defaulted `protocol` before admission.
 */
export class A2aAppProtocolPolicy extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: A2aAppProtocolPolicyProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'appprotocol';
    const a2a = celLiteral(APP_PROTOCOL.a2a);
    const isA2aPort = `has(p.name) && p.name == ${celLiteral(KAGENT_AGENT.servicePort)}`;

    new MutatingPolicyV1Beta1(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        matchConstraints: {
          objectSelector: {
            matchLabels: { [KAGENT_AGENT.appLabel]: KAGENT_AGENT.appValue },
            matchExpressions: [{ key: KAGENT_AGENT.agentLabel, operator: 'Exists' }],
          },
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['services'],
            },
          ],
        },
        matchConditions: [
          {
            name: 'a2a-port-unmarked',
            expression: `has(object.spec.ports) && object.spec.ports.exists(p, ${isA2aPort} && (!has(p.appProtocol) || p.appProtocol != ${a2a}))`,
          },
        ],
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression:
                `Object{spec: Object.spec{ports: object.spec.ports.filter(p, ${isA2aPort}).map(p, ` +
                `Object.spec.ports{port: p.port, protocol: has(p.protocol) ? p.protocol : "TCP", appProtocol: ${a2a}})}}`,
            },
          },
        ],
      },
    });
  }
}
