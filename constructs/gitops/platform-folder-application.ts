import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-application-argoproj.io';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';
import { manifestGeneratePaths } from './manifest-generate-paths';
import { automatedSyncPolicy } from './private/sync-policy';
import { syncWaveAnnotation, type SyncWave } from './sync-waves';

export interface PlatformFolderApplicationProps {
  /** Application name. */
  readonly name: string;
  /** Folder of this repository, e.g. `dist/dev/platform/agentgateway`. */
  readonly path: string;
  readonly repoUrl: string;
  readonly targetRevision: string;
  readonly syncWave: SyncWave;
  /** Namespace for objects that name none. */
  readonly namespace: string;
  /** @default 'platform' */
  readonly project?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
}

/** An Application of one `dist/<env>/platform/<folder>` of plain, platform-owned manifests. */
export class PlatformFolderApplication extends Construct {
  constructor(scope: Construct, id: string, props: PlatformFolderApplicationProps) {
    super(scope, id);
    new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace,
        annotations: {
          ...syncWaveAnnotation(props.syncWave),
          ...manifestGeneratePaths([props.path]),
        },
      },
      spec: {
        project: props.project ?? 'platform',
        source: {
          repoUrl: props.repoUrl,
          targetRevision: props.targetRevision,
          path: props.path,
          directory: { recurse: true },
        },
        destination: { server: GITOPS_BRIDGE.inClusterServer, namespace: props.namespace },
        // The folder's namespace may belong to an add-on whose chart syncs in a later wave
        // (Keycloak's and the collector's secrets and realm Jobs come before their charts), so
        // the folder's Application creates it rather than fail until that chart arrives.
        syncPolicy: automatedSyncPolicy({
          serverSideApply: true,
          createNamespace: true,
          skipDryRunOnMissingResource: true,
        }),
      },
    });
  }
}
