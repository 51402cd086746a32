import { Construct } from 'constructs';
import { AppProject } from '../../imports/argocd-appproject-argoproj.io';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';
import { syncWaveAnnotation } from './sync-waves';
import type { OwnedKind } from './tenant-ownership';

/**
 * Cluster-scoped kinds the platform add-ons and platform manifests create, listed one by one
 * so a chart that starts creating something new (say, a second admission webhook) fails its
 * sync visibly instead of being applied unreviewed.
 */
export const PLATFORM_CLUSTER_KINDS: readonly OwnedKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'node.k8s.io', kind: 'RuntimeClass' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
  { group: 'cert-manager.io', kind: 'ClusterIssuer' },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
  { group: 'external-secrets.io', kind: 'ClusterExternalSecret' },
  { group: 'policies.kyverno.io', kind: 'ValidatingPolicy' },
  { group: 'policies.kyverno.io', kind: 'MutatingPolicy' },
  { group: 'policies.kyverno.io', kind: 'GeneratingPolicy' },
  { group: 'policies.kyverno.io', kind: 'ImageValidatingPolicy' },
  { group: 'policies.kyverno.io', kind: 'DeletingPolicy' },
];

export interface PlatformProjectProps {
  /** Repositories the platform may read: this repository, the chart repositories, upstream CRD repos. */
  readonly sourceRepos: readonly string[];
  /**
   * Service account platform syncs run as, `<namespace>:<name>`. With sync impersonation on,
   * every project needs one; the platform's is Argo CD's own controller.
   *
   * @default 'argocd:argocd-application-controller'
   */
  readonly syncServiceAccount?: string;
  /**
   * Cluster-scoped kinds the platform may manage.
   *
   * @default PLATFORM_CLUSTER_KINDS
   */
  readonly clusterKinds?: readonly OwnedKind[];
  /** @default 'https://kubernetes.default.svc' */
  readonly server?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
}

/** The `platform` AppProject: add-ons, platform manifests and the platform-owned tenant files. */
export class PlatformProject extends Construct {
  public static readonly NAME = 'platform';
  public readonly name = PlatformProject.NAME;

  constructor(scope: Construct, id: string, props: PlatformProjectProps) {
    super(scope, id);
    const server = props.server ?? GITOPS_BRIDGE.inClusterServer;
    const argocd = props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace;
    const repos = [...new Set(props.sourceRepos)].sort();
    if (repos.length === 0 || repos.some((r) => r.includes('*'))) {
      throw new Error(
        `PlatformProject: sourceRepos ${JSON.stringify(props.sourceRepos)} must list repositories explicitly, without wildcards`,
      );
    }
    new AppProject(this, 'Resource', {
      metadata: { name: this.name, namespace: argocd, annotations: syncWaveAnnotation('projects') },
      spec: {
        description:
          'Platform add-ons and platform-owned manifests, including the platform part of every tenant bundle',
        sourceRepos: repos,
        destinations: [{ server, namespace: '*' }],
        clusterResourceWhitelist: (props.clusterKinds ?? PLATFORM_CLUSTER_KINDS).map((k) => ({
          group: k.group,
          kind: k.kind,
        })),
        destinationServiceAccounts: [
          {
            server,
            namespace: '*',
            defaultServiceAccount:
              props.syncServiceAccount ?? `${argocd}:argocd-application-controller`,
          },
        ],
      },
    });
  }
}
