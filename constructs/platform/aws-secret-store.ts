import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderAwsService,
} from '../../imports/external-secrets-clustersecretstore-external-secrets.io';

export interface AwsSecretStoreProps {
  readonly name: string;
  readonly region: string;
  /**
   * Label a namespace must carry to read through the store.
   *
   * @default - no label condition
   */
  readonly namespaceLabel?: string;
  /**
   * Namespaces allowed to read through the store.
   *
   * @default - no namespace-list condition
   */
  readonly namespaces?: readonly string[];
}

/**
 * A ClusterSecretStore over AWS Secrets Manager. No auth block: external-secrets uses its own
 * service account's EKS Pod Identity role, which limits the readable secret paths.
 */
export class AwsSecretStore extends Construct {
  constructor(scope: Construct, id: string, props: AwsSecretStoreProps) {
    super(scope, id);
    if (!props.namespaceLabel && !props.namespaces?.length) {
      throw new Error(
        `AwsSecretStore ${props.name}: set namespaceLabel or namespaces; a store every namespace can read hands platform secrets to tenants`,
      );
    }
    new ClusterSecretStore(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        provider: {
          aws: {
            service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: props.region,
          },
        },
        conditions: [
          {
            ...(props.namespaceLabel
              ? {
                  namespaceSelector: {
                    matchExpressions: [{ key: props.namespaceLabel, operator: 'Exists' }],
                  },
                }
              : {}),
            ...(props.namespaces?.length ? { namespaces: [...props.namespaces] } : {}),
          },
        ],
      },
    });
  }
}
