import { Construct } from 'constructs';
import {
  ModelConfigV1Alpha2,
  ModelConfigV1Alpha2SpecProvider,
} from '../../imports/kagent-modelconfig-kagent.dev';

export interface AgentModelConfigProps {
  readonly namespace: string;
  readonly name: string;
  /** The provider's model id. */
  readonly model: string;
  /** OpenAI-compatible URL of the tenant's model route on the gateway. */
  readonly baseUrl: string;
}

/**
 * kagent ModelConfig pointing agents at the gateway instead of the provider. The gateway
 * speaks the OpenAI API for every provider and injects the key, so the ModelConfig carries
 * no apiKeySecret: nothing in the tenant namespace can read the LLM key.
 */
export class AgentModelConfig extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AgentModelConfigProps) {
    super(scope, id);
    this.name = props.name;
    new ModelConfigV1Alpha2(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        provider: ModelConfigV1Alpha2SpecProvider.OPEN_AI,
        model: props.model,
        openAi: { baseUrl: props.baseUrl },
      },
    });
  }
}
