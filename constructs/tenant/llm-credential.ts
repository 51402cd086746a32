import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
} from '../../imports/external-secrets-externalsecret-external-secrets.io';

export interface LlmCredentialProps {
  readonly namespace: string;
  /** Name of the ExternalSecret and of the Secret it writes. */
  readonly name: string;
  /** ClusterSecretStore to read from. */
  readonly store: string;
  /** Secret name in the provider (AWS Secrets Manager). */
  readonly key: string;
  /**
   * JSON property of the provider secret that holds the key.
   *
   * @default - the whole secret value is the key
   */
  readonly property?: string;
  /**
   * How often external-secrets re-reads the provider, so a rotated key reaches the gateway.
   *
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * The LLM key as a Secret that external-secrets materializes in the cluster: the key itself
 * never appears in git. It is written under `Authorization`, the key agentgateway's backend
 * auth reads by default, so only the gateway consumes it.
 */
export class LlmCredential extends Construct {
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: LlmCredentialProps) {
    super(scope, id);
    this.secretName = props.name;
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: {
          kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
          name: props.store,
        },
        target: { name: props.name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
        data: [
          {
            secretKey: 'Authorization',
            remoteRef: { key: props.key, ...(props.property ? { property: props.property } : {}) },
          },
        ],
      },
    });
  }
}
