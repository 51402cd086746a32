import { Construct } from 'constructs';
import type { ModelProvider } from '../../src/spec';
import { LlmBackend } from './llm-backend';
import { LlmBackendGrant } from './llm-backend-grant';
import { LlmCredential } from './llm-credential';

export interface PlatformKeyModelProps {
  /** The gateway's namespace: the backend, its Secret and the grant live there. */
  readonly namespace: string;
  /** The tenant whose routes use the model. */
  readonly tenantNamespace: string;
  /** Name of the backend, the ExternalSecret and the Secret. */
  readonly name: string;
  readonly provider: ModelProvider;
  /** The provider's model id. */
  readonly model: string;
  /** ClusterSecretStore holding the platform's provider keys. */
  readonly store: string;
  /** Secret name of the platform key in the provider (AWS Secrets Manager). */
  readonly key: string;
}

/**
 * A tenant's model on the platform's provider key, kept entirely in the gateway namespace:
 * the ExternalSecret, the Secret it writes and the AgentgatewayBackend that injects it, plus
 * the ReferenceGrant that lets only this tenant's routes use that backend. No tenant workload
 * can mount the platform key, because no Secret holding it exists in a tenant namespace.
 * Tenant-owned keys (BYOK) use LlmCredential and LlmBackend in the tenant namespace instead.
 */
export class PlatformKeyModel extends Construct {
  public readonly backendName: string;

  constructor(scope: Construct, id: string, props: PlatformKeyModelProps) {
    super(scope, id);
    if (props.namespace === props.tenantNamespace) {
      throw new Error(
        `PlatformKeyModel ${props.name}: namespace is the tenant namespace "${props.tenantNamespace}"; a platform key there is readable by the tenant's workloads. Use the gateway namespace`,
      );
    }
    const credential = new LlmCredential(this, 'Credential', {
      namespace: props.namespace,
      name: props.name,
      store: props.store,
      key: props.key,
    });
    const backend = new LlmBackend(this, 'Backend', {
      namespace: props.namespace,
      name: props.name,
      provider: props.provider,
      model: props.model,
      credentialSecretName: credential.secretName,
    });
    new LlmBackendGrant(this, 'Grant', {
      namespace: props.namespace,
      backendName: backend.name,
      tenantNamespace: props.tenantNamespace,
    });
    this.backendName = backend.name;
  }
}
