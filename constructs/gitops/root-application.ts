import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-application-argoproj.io';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';
import { manifestGeneratePaths } from './manifest-generate-paths';
import { automatedSyncPolicy } from './private/sync-policy';

export interface RootApplicationProps {
  /** Environment name; selects `dist/<env>/bootstrap`. */
  readonly environment: string;
  /** This repository. */
  readonly repoUrl: string;
  /** Branch or tag the environment follows. */
  readonly targetRevision: string;
  /** @default 'https://kubernetes.default.svc' */
  readonly server?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
}

/**
 * The app-of-apps. It syncs `dist/<env>/bootstrap` only (AppProjects, ApplicationSets and
 * itself), not the whole environment: every other folder is its own Application, created by
 * an ApplicationSet, so each resource has exactly one owning Application and a broken add-on
 * never blocks the root. The cluster layer creates this same object once; from then on it
 * manages itself from Git.
 */
export class RootApplication extends Construct {
  public readonly name: string = GITOPS_BRIDGE.bootstrap.application;
  public readonly path: string;

  constructor(scope: Construct, id: string, props: RootApplicationProps) {
    super(scope, id);
    const argocd = props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace;
    this.path = GITOPS_BRIDGE.bootstrap.path(props.environment);
    new Application(this, 'Resource', {
      // No resources-finalizer: deleting the root must not cascade into every add-on and tenant.
      metadata: {
        name: this.name,
        namespace: argocd,
        annotations: manifestGeneratePaths([this.path]),
      },
      spec: {
        project: GITOPS_BRIDGE.bootstrap.project,
        source: {
          repoUrl: props.repoUrl,
          targetRevision: props.targetRevision,
          path: this.path,
          directory: { recurse: false },
        },
        destination: { server: props.server ?? GITOPS_BRIDGE.inClusterServer, namespace: argocd },
        syncPolicy: automatedSyncPolicy({ serverSideApply: true, createNamespace: false }),
      },
    });
  }
}
