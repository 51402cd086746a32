import { Construct } from 'constructs';
import { ApplicationSet } from '../../imports/argocd-applicationset-argoproj.io';
import { GITOPS_BRIDGE, type AddonName } from '../../src/model/gitops-bridge';
import { assertOnlyBridgeTemplates, bridge } from './bridge-template';
import { manifestGeneratePaths } from './manifest-generate-paths';
import { automatedSyncPolicy } from './private/sync-policy';
import { syncWaveAnnotation, type SyncWave } from './sync-waves';

/** Where an add-on Application's manifests come from. */
export type AddonSource =
  /** A Helm chart from a classic (https) chart repository. */
  | {
      readonly type: 'helm';
      readonly repoUrl: string;
      readonly chart: string;
      readonly version: string;
    }
  /** A Helm chart pushed to an OCI registry (`oci://…/<chart>`), Argo CD ≥ 3.1 native OCI. */
  | { readonly type: 'oci'; readonly repoUrl: string; readonly version: string }
  /** A folder of plain manifests in a Git repository. */
  | {
      readonly type: 'git';
      readonly repoUrl: string;
      readonly revision: string;
      readonly path: string;
    };

export interface AddonApplicationSetProps {
  /** Catalog add-on whose `enable_<addon>` cluster label switches this Application on. */
  readonly addon: AddonName;
  /** Application name (also the Helm release name); unique in Argo CD. */
  readonly name: string;
  /** Environment whose cluster Secret the generator selects (label `environment`). */
  readonly environment: string;
  readonly source: AddonSource;
  /** Namespace the Application deploys into. */
  readonly namespace: string;
  readonly syncWave: SyncWave;
  /** AppProject. */
  readonly project: string;
  /**
   * Helm values; strings may reference the cluster Secret through `bridge.*`.
   *
   * @default - the chart's defaults
   */
  readonly helmValues?: Readonly<Record<string, unknown>>;
  /**
   * Apply server-side. Needed whenever the Application carries CRDs over 262 KB.
   *
   * @default true
   */
  readonly serverSideApply?: boolean;
  /**
   * Keep the deployed resources when the add-on is disabled or the ApplicationSet deleted.
   *
   * @default false - disabling an add-on uninstalls it
   */
  readonly preserveResourcesOnDeletion?: boolean;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
}

/**
 * One add-on Application per cluster whose GitOps Bridge Secret has
 * `enable_<addon>: "true"` and this environment's label. Helm values are templated from the
 * Secret's annotations, so Terraform outputs (role ARNs, bucket, endpoints) never pass through
 * Git by hand.
 */
export class AddonApplicationSet extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AddonApplicationSetProps) {
    super(scope, id);
    this.name = props.name;
    const where = `AddonApplicationSet ${props.name}`;
    if (props.helmValues && props.source.type === 'git') {
      throw new Error(
        `${where}: helmValues are set but source.type is "git"; plain manifests take no values`,
      );
    }
    if (props.helmValues) assertOnlyBridgeTemplates(props.helmValues, `${where} helmValues`);
    const s = props.source;
    const helm = props.helmValues
      ? { releaseName: props.name, valuesObject: props.helmValues }
      : { releaseName: props.name };
    const source =
      s.type === 'helm'
        ? { repoUrl: s.repoUrl, chart: s.chart, targetRevision: s.version, helm }
        : s.type === 'oci'
          ? { repoUrl: s.repoUrl, path: '.', targetRevision: s.version, helm }
          : {
              repoUrl: s.repoUrl,
              targetRevision: s.revision,
              path: s.path,
              directory: { recurse: false },
            };

    new ApplicationSet(this, 'Resource', {
      metadata: {
        name: `addon-${props.name}`,
        namespace: props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace,
        annotations: syncWaveAnnotation(props.syncWave),
      },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            clusters: {
              selector: {
                matchLabels: {
                  [GITOPS_BRIDGE.labels.environment]: props.environment,
                  [GITOPS_BRIDGE.enableLabel(props.addon)]: GITOPS_BRIDGE.enabledValue,
                },
              },
            },
          },
        ],
        template: {
          metadata: {
            name: props.name,
            // Git sources only: a Helm or OCI chart's manifests come from its pinned version,
            // not from a Git commit, so Argo CD has no paths to compare for them.
            annotations: {
              ...syncWaveAnnotation(props.syncWave),
              ...(s.type === 'git' ? manifestGeneratePaths([s.path]) : {}),
            },
            labels: {
              'app.kubernetes.io/part-of': 'agentic-platform',
              'app.kubernetes.io/name': props.addon,
            },
          },
          spec: {
            project: props.project,
            destination: { server: bridge.server, namespace: props.namespace },
            source,
            syncPolicy: automatedSyncPolicy({
              serverSideApply: props.serverSideApply ?? true,
              createNamespace: true,
              skipDryRunOnMissingResource: true,
            }),
          },
        },
        ...(props.preserveResourcesOnDeletion
          ? { syncPolicy: { preserveResourcesOnDeletion: true } }
          : {}),
      },
    });
  }
}
