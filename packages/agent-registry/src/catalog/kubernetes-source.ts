import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  type Informer,
  type ObjectCache,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { CATALOG_LABEL } from '../constants.js';
import { catalogFromParts, catalogPartOf, type ParsedPart } from './load.js';
import type { Catalog } from './schema.js';

export interface KubernetesCatalogSourceProps {
  /** Namespace holding the catalog ConfigMaps (the registry's own). */
  readonly namespace: string;
  /** @default - in-cluster service account, or KUBECONFIG / ~/.kube/config outside a cluster */
  readonly kubeConfig?: KubeConfig;
  /** Called, after `debounceMs` of quiet, when a catalog ConfigMap was added, changed or deleted. */
  readonly onChange: () => void;
  /** Called when the watch fails; the source restarts it after `restartDelayMs`. */
  readonly onError: (err: unknown) => void;
  /** @default 250 */
  readonly debounceMs?: number;
  /** @default 2000 */
  readonly restartDelayMs?: number;
}

/**
 * The catalog from the Kubernetes API: one informer (list, then watch) on the ConfigMaps of
 * the registry's namespace that carry the catalog label. Every replica holds the same cache,
 * so a tenant added, changed or removed reaches all of them within a watch round trip, with
 * no restart. A part is parsed once per resourceVersion, so a change of one tenant among
 * 10,000 costs one parse plus the (in-memory) assembly.
 */
export class KubernetesCatalogSource {
  private readonly informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>;
  private readonly parsed = new Map<string, { version: string; part: ParsedPart | undefined }>();
  private timer: NodeJS.Timeout | undefined;
  private restart: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly props: KubernetesCatalogSourceProps) {
    const kc = props.kubeConfig ?? defaultKubeConfig();
    const api = kc.makeApiClient(CoreV1Api);
    const ns = props.namespace;
    this.informer = makeInformer<V1ConfigMap>(
      kc,
      `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps`,
      () => api.listNamespacedConfigMap({ namespace: ns, labelSelector: CATALOG_LABEL }),
      CATALOG_LABEL,
    );
    const changed = () => this.changed();
    this.informer.on('add', changed);
    this.informer.on('update', changed);
    this.informer.on('delete', changed);
    this.informer.on('error', (err: unknown) => {
      // stop() aborts the open watch, which the informer reports as an error.
      if (this.stopped) return;
      props.onError(err);
      this.restart = setTimeout(() => {
        this.informer.start().catch((e: unknown) => props.onError(e));
      }, props.restartDelayMs ?? 2_000);
    });
  }

  /** Lists the ConfigMaps and opens the watch; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    await this.informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.restart);
    await this.informer.stop();
  }

  /** The catalog assembled from the cached ConfigMaps (no API call). */
  async load(): Promise<Catalog> {
    const parts: ParsedPart[] = [];
    const live = new Set<string>();
    for (const cm of this.informer.list()) {
      const name = cm.metadata?.name ?? '';
      const version = cm.metadata?.resourceVersion ?? '';
      live.add(name);
      let cached = this.parsed.get(name);
      if (!cached || cached.version !== version) {
        const source = `configmap ${this.props.namespace}/${name}`;
        cached = { version, part: catalogPartOf({ ...cm, kind: 'ConfigMap' }, source) };
        this.parsed.set(name, cached);
      }
      if (cached.part) parts.push(cached.part);
    }
    for (const name of this.parsed.keys()) if (!live.has(name)) this.parsed.delete(name);
    return catalogFromParts(parts, `namespace ${this.props.namespace}`);
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.props.onChange(), this.props.debounceMs ?? 250);
  }
}

function defaultKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}
