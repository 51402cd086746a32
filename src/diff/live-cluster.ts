import {
  ApiException,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';

/** What the diff needs from a cluster; the real one talks to kube-apiserver, tests fake it. */
export interface LiveCluster {
  /** Whether the server serves this kind at all (its CRD may not be installed). */
  serves(apiVersion: string, kind: string): Promise<boolean>;
  /** The object as the server holds it, or undefined when it does not exist. */
  read(object: KubernetesObject): Promise<KubernetesObject | undefined>;
  /**
   * The object the server would hold after a server-side apply of `object` (dryRun=All): the
   * live object with git's fields applied and the server's defaults filled in.
   */
  dryRunApply(object: KubernetesObject): Promise<KubernetesObject>;
  /** Objects of a kind carrying `labelSelector`, in every namespace. */
  list(apiVersion: string, kind: string, labelSelector: string): Promise<KubernetesObject[]>;
}

/**
 * Argo CD's field manager for server-side apply syncs and server-side diffs (`ArgoCDSSAManager`
 * in argo-cd's common package). The dry-run applies as the syncing manager, so a field git
 * dropped but the sync still owns comes out removed, as the next sync would remove it.
 */
export const SYNC_FIELD_MANAGER = 'argocd-controller';

function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}

export interface KubeClusterOptions {
  /** @default - the KUBECONFIG variable, else ~/.kube/config (the CLI decides) */
  readonly kubeconfig?: string;
  /** @default - the kubeconfig's current context */
  readonly context?: string;
  /**
   * Field manager the dry-run applies as: the one that syncs git into the cluster.
   *
   * @default SYNC_FIELD_MANAGER (argocd-controller)
   */
  readonly fieldManager?: string;
}

type Method = 'GET' | 'PATCH';

/**
 * The generic object API, speaking raw JSON. Its typed `read`/`patch`/`list` go through the
 * generated models, which rename fields (`from` → `_from`, `default` → `_default`) and drop
 * every field a model does not know: the API server showed a NetworkPolicy's `from` peers
 * missing from both the request and the response.
 */
class RawObjectApi extends KubernetesObjectApi {
  static fromConfig(kc: KubeConfig): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  served(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }

  async send(
    method: Method,
    action: 'read' | 'patch' | 'list',
    object: KubernetesObject,
    query: Readonly<Record<string, string>>,
  ): Promise<Record<string, unknown>> {
    const spec = structuredClone(object);
    const uri = await this.specUriPath(spec, action);
    const ctx = this.configuration.baseServer.makeRequestContext(uri, method as never);
    ctx.setHeaderParam('Accept', 'application/json');
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
    if (method === 'PATCH') {
      ctx.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
      // JSON is YAML: the manifest exactly as committed.
      ctx.setBody(JSON.stringify(spec));
    }
    return (await this.requestPromise(ctx, 'any')) as Record<string, unknown>;
  }
}

/** A LiveCluster on `@kubernetes/client-node`'s generic object API. */
export function kubeCluster(options: KubeClusterOptions = {}): LiveCluster {
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  const api = RawObjectApi.fromConfig(kc);
  const fieldManager = options.fieldManager ?? SYNC_FIELD_MANAGER;
  return {
    async serves(apiVersion, kind) {
      try {
        return (await api.served(apiVersion, kind)) !== undefined;
      } catch (err) {
        // An API group the server does not know (a CRD not installed) answers 404 on discovery.
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async read(object) {
      try {
        return (await api.send(
          'GET',
          'read',
          {
            apiVersion: object.apiVersion!,
            kind: object.kind!,
            metadata: {
              name: object.metadata!.name!,
              ...(object.metadata?.namespace !== undefined && {
                namespace: object.metadata.namespace,
              }),
            },
          },
          {},
        )) as KubernetesObject;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async dryRunApply(object) {
      return (await api.send('PATCH', 'patch', object, {
        dryRun: 'All',
        fieldManager,
        force: 'true',
        fieldValidation: 'Strict',
      })) as KubernetesObject;
    },
    async list(apiVersion, kind, labelSelector) {
      const out: KubernetesObject[] = [];
      let continueToken: string | undefined;
      do {
        const page = (await api.send(
          'GET',
          'list',
          { apiVersion, kind, metadata: {} },
          { labelSelector, limit: '500', ...(continueToken && { continue: continueToken }) },
        )) as { items?: KubernetesObject[]; metadata?: { continue?: string } };
        // List items carry no apiVersion/kind of their own.
        for (const o of page.items ?? []) out.push({ ...o, apiVersion, kind });
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken);
      return out;
    },
  };
}
