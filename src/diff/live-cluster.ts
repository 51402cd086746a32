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

/** Field manager the dry-run applies as, so the server attributes nothing to a real owner. */
export const DIFF_FIELD_MANAGER = 'agentic-platform-diff';

function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}

export interface KubeClusterOptions {
  /** @default - the KUBECONFIG variable, else ~/.kube/config (the CLI decides) */
  readonly kubeconfig?: string;
  /** @default - the kubeconfig's current context */
  readonly context?: string;
}

/** The generic object API with its discovery lookup reachable (it is protected upstream). */
class ObjectApi extends KubernetesObjectApi {
  static fromConfig(kc: KubeConfig): ObjectApi {
    const api = kc.makeApiClient(ObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  served(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
}

/** A LiveCluster on `@kubernetes/client-node`'s generic object API. */
export function kubeCluster(options: KubeClusterOptions = {}): LiveCluster {
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  const api = ObjectApi.fromConfig(kc);
  return {
    async serves(apiVersion, kind) {
      try {
        return (await api.served(apiVersion, kind)) !== undefined;
      } catch (err) {
        // An API group the server does not know answers 404 on discovery.
        if (isNotFound(err) || (err as Error).message?.includes('404')) return false;
        throw err;
      }
    },
    async read(object) {
      try {
        return await api.read({
          apiVersion: object.apiVersion!,
          kind: object.kind!,
          metadata: { name: object.metadata!.name!, namespace: object.metadata?.namespace ?? '' },
        });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async dryRunApply(object) {
      return api.patch(
        object,
        undefined,
        'All',
        DIFF_FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    },
    async list(apiVersion, kind, labelSelector) {
      const res = await api.list(
        apiVersion,
        kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
      return res.items.map((o) => ({ ...o, apiVersion, kind }));
    },
  };
}
