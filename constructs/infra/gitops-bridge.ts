import { Construct } from 'constructs';
import { Fn, type ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import {
  clusterSecretMetadata,
  GITOPS_BRIDGE,
  type AddonName,
  type BridgeAnnotation,
  type IdentityName,
} from '../../src/model/gitops-bridge';

export interface GitOpsBridgeProps {
  /** Environment name; labels the cluster and names the bootstrap folder. */
  readonly environment: string;
  /** EKS cluster name; also the name of the Argo CD cluster Secret. */
  readonly clusterName: string;
  /** API server URL of the cluster. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
  /** Region of the cluster, for `aws eks get-token`. */
  readonly region: string;
  /** Add-ons that get an `enable_<addon>` label. */
  readonly enabledAddons: readonly AddonName[];
  /** Values of the bridge annotations (cluster outputs; may be Terraform references). */
  readonly annotationValues: Readonly<Record<BridgeAnnotation, string>>;
  /** Pod Identity role ARN of each add-on identity. */
  readonly identityRoleArns: Readonly<Record<IdentityName, string>>;
  /** Git repository Argo CD syncs from. */
  readonly repoUrl: string;
  /** Branch or tag Argo CD tracks. */
  readonly targetRevision: string;
  /**
   * The root Application, exactly as the bootstrap folder holds it: Argo CD takes it over
   * after the first sync, so both must be the same object.
   */
  readonly rootApplication: Readonly<Record<string, unknown>>;
  /** The AppProject of the root Application, exactly as the bootstrap folder holds it. */
  readonly bootstrapProject: Readonly<Record<string, unknown>>;
  /**
   * What must exist before the provider calls the API: the access entries that let the
   * applying identity in.
   *
   * @default - only the references the objects carry (the cluster endpoint)
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The hand-over from Terraform to Argo CD (the GitOps Bridge pattern): the Kubernetes
 * provider, authenticated with `aws eks get-token` against the new cluster, creates the
 * `argocd` namespace, the Argo CD cluster Secret whose labels and annotations carry the
 * infrastructure outputs, and the root Application that syncs `dist/<env>/bootstrap`.
 *
 * The root Application runs in its own AppProject that may only create Argo CD objects in
 * the `argocd` namespace; everything wider is granted by the projects the bootstrap folder
 * itself defines. The two `kubernetes_manifest` objects need the Argo CD CRDs at plan time,
 * so Argo CD is installed before they are applied (see constructs/infra/README.md).
 */
export class GitOpsBridge extends Construct {
  public readonly provider: KubernetesProvider;
  public readonly clusterSecret: SecretV1;
  public readonly labels: Readonly<Record<string, string>>;
  public readonly annotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GitOpsBridgeProps) {
    super(scope, id);
    const metadata = clusterSecretMetadata({
      environment: props.environment,
      enabledAddons: props.enabledAddons,
      values: props.annotationValues,
      identities: Object.fromEntries(
        Object.entries(props.identityRoleArns).map(([name, roleArn]) => [name, { roleArn }]),
      ) as Record<IdentityName, { roleArn: string }>,
    });
    this.labels = metadata.labels;
    this.annotations = metadata.annotations;

    // Exec auth fetches a fresh token on every run; a token data source would be stored in state.
    this.provider = new KubernetesProvider(this, 'Provider', {
      host: props.endpoint,
      clusterCaCertificate: Fn.base64decode(props.certificateAuthorityData),
      exec: [
        {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', props.region],
        },
      ],
    });
    const provider = this.provider;
    const namespace = GITOPS_BRIDGE.argocdNamespace;

    const access = [...(props.dependsOn ?? [])];
    const ns = new NamespaceV1(this, 'Namespace', {
      provider,
      metadata: { name: namespace },
      ...(access.length > 0 ? { dependsOn: access } : {}),
    });
    this.clusterSecret = new SecretV1(this, 'ClusterSecret', {
      provider,
      metadata: {
        name: props.clusterName,
        namespace: ns.metadata.name,
        labels: { ...metadata.labels },
        annotations: { ...metadata.annotations },
      },
      data: {
        name: props.clusterName,
        server: GITOPS_BRIDGE.inClusterServer,
        config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
      },
      ...(access.length > 0 ? { dependsOn: access } : {}),
    });

    const project = new Manifest(this, 'BootstrapProject', {
      provider,
      manifest: { ...props.bootstrapProject },
      dependsOn: [ns],
    });
    new Manifest(this, 'BootstrapApplication', {
      provider,
      manifest: { ...props.rootApplication },
      dependsOn: [project, this.clusterSecret],
    });
  }
}
