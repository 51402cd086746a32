import { Construct } from 'constructs';
import {
  AgentgatewayPolicy,
  AgentgatewayPolicySpecTrafficAuthorizationAction,
} from '../../imports/agentgateway-policy-agentgateway.dev';

export interface LlmAccessPolicyProps {
  readonly namespace: string;
  /** HTTPRoutes (in `namespace`) of the tenant's in-cluster model routes. */
  readonly routeNames: readonly string[];
}

/**
 * Only the tenant's own workloads may use its model routes: the gateway injects the
 * tenant's LLM key, so any other caller would spend it. The check is on the caller's mesh
 * identity (`source.identity.namespace`, from the ambient mTLS certificate), not on a header.
 */
export class LlmAccessPolicy extends Construct {
  constructor(scope: Construct, id: string, props: LlmAccessPolicyProps) {
    super(scope, id);
    if (props.routeNames.length === 0) {
      throw new Error(
        `LlmAccessPolicy ${props.namespace}: routeNames is empty; create the policy only for tenants with models`,
      );
    }
    new AgentgatewayPolicy(this, 'Resource', {
      metadata: { name: 'llm-access', namespace: props.namespace },
      spec: {
        targetRefs: props.routeNames.map((name) => ({
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          name,
        })),
        traffic: {
          authorization: {
            action: AgentgatewayPolicySpecTrafficAuthorizationAction.ALLOW,
            policy: { matchExpressions: [`source.identity.namespace == "${props.namespace}"`] },
          },
        },
      },
    });
  }
}
