import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
} from '../../imports/external-secrets-externalsecret-external-secrets.io';

export interface PlatformSecretProps {
  /** Name of the ExternalSecret and of the Secret it writes. */
  readonly name: string;
  readonly namespace: string;
  /** ClusterSecretStore to read from. */
  readonly store: string;
  /** Secrets Manager secret whose JSON keys become the Secret's keys. */
  readonly remoteKey: string;
  /**
   * Labels of the written Secret (Argo CD only reads `$secret:key` references from Secrets
   * labelled `app.kubernetes.io/part-of: argocd`).
   *
   * @default - none
   */
  readonly secretLabels?: Readonly<Record<string, string>>;
}

/** A platform component's credentials, pulled from Secrets Manager, never committed. */
export class PlatformSecret extends Construct {
  constructor(scope: Construct, id: string, props: PlatformSecretProps) {
    super(scope, id);
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: {
          kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
          name: props.store,
        },
        target: {
          name: props.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          ...(props.secretLabels
            ? { template: { metadata: { labels: { ...props.secretLabels } } } }
            : {}),
        },
        dataFrom: [{ extract: { key: props.remoteKey } }],
      },
    });
  }
}
