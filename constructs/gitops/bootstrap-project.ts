import { Construct } from 'constructs';
import { AppProject } from '../../imports/argocd-appproject-argoproj.io';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';
import { syncWaveAnnotation } from './sync-waves';

export interface BootstrapProjectProps {
  /** This repository: the only source of the bootstrap folder. */
  readonly repoUrl: string;
  /** @default 'https://kubernetes.default.svc' */
  readonly server?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
}

/**
 * The root Application's AppProject (GITOPS_BRIDGE.bootstrap.project): it may create Argo CD
 * objects (Applications, ApplicationSets, AppProjects) in Argo CD's namespace and nothing
 * else, so the app-of-apps cannot deploy workloads itself.
 */
export class BootstrapProject extends Construct {
  public readonly name: string = GITOPS_BRIDGE.bootstrap.project;

  constructor(scope: Construct, id: string, props: BootstrapProjectProps) {
    super(scope, id);
    const server = props.server ?? GITOPS_BRIDGE.inClusterServer;
    const argocd = props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace;
    new AppProject(this, 'Resource', {
      metadata: { name: this.name, namespace: argocd, annotations: syncWaveAnnotation('projects') },
      spec: {
        description: 'Root app-of-apps: Argo CD objects in the Argo CD namespace only',
        sourceRepos: [props.repoUrl],
        destinations: [{ server, namespace: argocd }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: ['Application', 'ApplicationSet', 'AppProject'].map((kind) => ({
          group: 'argoproj.io',
          kind,
        })),
        destinationServiceAccounts: [
          {
            server,
            namespace: argocd,
            defaultServiceAccount: `${argocd}:argocd-application-controller`,
          },
        ],
      },
    });
  }
}
