import { Construct } from 'constructs';
import { AgentgatewayBackend } from '../../imports/agentgateway-backend-agentgateway.dev';
import type { ModelProvider } from '../../src/spec';

export interface LlmBackendProps {
  readonly namespace: string;
  readonly name: string;
  readonly provider: ModelProvider;
  /** The provider's model id. */
  readonly model: string;
  /** Secret holding the provider key under `Authorization` (see LlmCredential). */
  readonly credentialSecretName: string;
}

/**
 * The model as an agentgateway AI backend. The gateway injects the provider key from the
 * Secret on every request, so agents call the gateway without holding any key.
 */
export class LlmBackend extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: LlmBackendProps) {
    super(scope, id);
    this.name = props.name;
    // The provider block is a one-of keyed by provider (CRD: exactly one may be set).
    const provider = { [props.provider]: { model: props.model } };
    new AgentgatewayBackend(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        ai: { provider },
        policies: { auth: { secretRef: { name: props.credentialSecretName } } },
      },
    });
  }
}
