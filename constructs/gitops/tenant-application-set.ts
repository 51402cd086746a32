import { Construct } from 'constructs';
import { ApplicationSet } from '../../imports/argocd-applicationset-argoproj.io';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';
import { manifestGeneratePaths } from './manifest-generate-paths';
import { automatedSyncPolicy } from './private/sync-policy';
import { syncWaveAnnotation } from './sync-waves';
import { PLATFORM_OWNED_FILES_PATTERN } from './tenant-ownership';

/** Which half of the tenant bundles an ApplicationSet syncs. */
export type TenantBundlePart = 'tenant' | 'platform';

export interface TenantApplicationSetProps {
  /** Environment; the generator reads `dist/<env>/tenants/*`. */
  readonly environment: string;
  readonly repoUrl: string;
  readonly targetRevision: string;
  /**
   * `tenant`: everything but the platform-owned files, in the tenant's own AppProject.
   * `platform`: only the platform-owned files plus the tenant's sync identity
   * (`syncIdentityPath`), in the `platform` AppProject.
   */
  readonly part: TenantBundlePart;
  /** AppProject of the `platform` part. @default 'platform' */
  readonly platformProject?: string;
  /**
   * Folder (with `{{.path.basename}}` for the tenant) holding the tenant's sync service
   * account and its RoleBinding; the `platform` part applies it with the bundle.
   *
   * @default - none; required for part `platform`
   */
  readonly syncIdentityPath?: string;
  /** @default 'https://kubernetes.default.svc' */
  readonly server?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
}

/** Folder the git directory generator walks for an environment. */
export function tenantsGlob(environment: string): string {
  return `dist/${environment}/tenants/*`;
}

/** AppProject of a tenant: prefixed so no tenant name can collide with `platform` or `bootstrap`. */
export function tenantProjectName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * Application of one half of a tenant's bundle. Spec loading checks that no two tenants
 * derive the same name (`tenant-a-platform` is tenant `a`'s platform part and tenant
 * `a-platform`'s own part).
 */
export function tenantApplicationName(tenant: string, part: TenantBundlePart): string {
  return part === 'tenant' ? `tenant-${tenant}` : `tenant-${tenant}-platform`;
}

/**
 * One Application per tenant folder in `dist/<env>/tenants/` (a git directory generator, so
 * the tenant list lives in Git, not in a 3 MB-capped object). Tenant names are folder names
 * and namespace names. Deleting the ApplicationSet keeps every tenant's resources
 * (`preserveResourcesOnDeletion`); deleting one tenant's folder prunes that tenant only.
 */
export class TenantApplicationSet extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: TenantApplicationSetProps) {
    super(scope, id);
    if (props.part === 'platform' && !props.syncIdentityPath) {
      throw new Error(
        'TenantApplicationSet: part "platform" needs syncIdentityPath, the folder of each tenant\'s sync service account',
      );
    }
    const server = props.server ?? GITOPS_BRIDGE.inClusterServer;
    const tenant = '{{.path.basename}}';
    const bundle = {
      repoUrl: props.repoUrl,
      targetRevision: props.targetRevision,
      path: '{{.path.path}}',
    };
    this.name = props.part === 'tenant' ? 'tenants' : 'tenants-platform';
    const spec =
      props.part === 'tenant'
        ? {
            project: tenantProjectName(tenant),
            source: {
              ...bundle,
              directory: { recurse: false, exclude: PLATFORM_OWNED_FILES_PATTERN },
            },
          }
        : {
            project: props.platformProject ?? 'platform',
            sources: [
              { ...bundle, directory: { recurse: false, include: PLATFORM_OWNED_FILES_PATTERN } },
              {
                repoUrl: props.repoUrl,
                targetRevision: props.targetRevision,
                path: props.syncIdentityPath!,
                directory: { recurse: false },
              },
            ],
          };

    new ApplicationSet(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.argocdNamespace ?? GITOPS_BRIDGE.argocdNamespace,
        annotations: syncWaveAnnotation('tenants'),
      },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            git: {
              repoUrl: props.repoUrl,
              revision: props.targetRevision,
              directories: [{ path: tenantsGlob(props.environment) }],
            },
          },
        ],
        template: {
          metadata: {
            name: tenantApplicationName(tenant, props.part),
            annotations: {
              ...syncWaveAnnotation('tenants'),
              ...manifestGeneratePaths(
                props.part === 'tenant' ? [bundle.path] : [bundle.path, props.syncIdentityPath!],
              ),
            },
            labels: { 'platform.agentic.io/tenant': tenant },
          },
          spec: {
            ...spec,
            destination: { server, namespace: tenant },
            // The namespace is a platform-owned file of the bundle, never created implicitly.
            syncPolicy: automatedSyncPolicy({
              serverSideApply: false,
              createNamespace: false,
              skipDryRunOnMissingResource: true,
            }),
          },
        },
        syncPolicy: { preserveResourcesOnDeletion: true },
      },
    });
  }
}
