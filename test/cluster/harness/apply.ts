import {
  ApiException,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { SyncPlan, SyncUnit } from './argo-plan';

/** Field manager of Argo CD's application controller for server-side apply. */
export const FIELD_MANAGER = 'argocd-controller';

/** An object the API server refused, with the file it came from and the server's words. */
export interface ApplyFailure {
  readonly app: string;
  readonly file: string;
  readonly object: string;
  readonly status: number;
  readonly message: string;
}

/** The generic object API plus server-side apply with `fieldValidation=Strict`. */
export class StrictApplyApi extends KubernetesObjectApi {
  static override makeApiClient(kc: KubeConfig): StrictApplyApi {
    const api = kc.makeApiClient(StrictApplyApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  /**
   * `PATCH` with `application/apply-patch+yaml`, force, strict field validation: an unknown or
   * duplicate field is an error, not a warning. The body is the manifest as committed (JSON is
   * YAML), not re-serialized through typed models that would drop unknown fields.
   */
  async apply(object: KubernetesObject, fieldManager = FIELD_MANAGER): Promise<KubernetesObject> {
    return this.send('PATCH', 'patch', object, {
      fieldManager,
      force: 'true',
      fieldValidation: 'Strict',
    });
  }

  /** Server-side apply of the object's `status` subresource (e.g. a fake node's capacity). */
  async applyStatus(object: KubernetesObject, fieldManager: string): Promise<KubernetesObject> {
    return this.send('PATCH', 'patch', object, { fieldManager, force: 'true' }, '/status');
  }

  /** `POST` the object as is (strict field validation); `dryRun: true` admits without storing. */
  async createRaw(object: KubernetesObject, dryRun = false): Promise<Record<string, any>> {
    return this.send('POST', 'create', object, {
      fieldValidation: 'Strict',
      ...(dryRun ? { dryRun: 'All' } : {}),
    });
  }

  /** `DELETE` the object (foreground), ignoring one that is already gone. */
  async deleteRaw(object: KubernetesObject): Promise<void> {
    try {
      await this.send('DELETE', 'delete', object, { propagationPolicy: 'Foreground' });
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
  }

  /** GET the object's current state; undefined when it does not exist. */
  async getRaw(object: KubernetesObject): Promise<Record<string, any> | undefined> {
    try {
      return await this.send('GET', 'read', object, {});
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  }

  /** Whether the kind is namespaced (discovery); throws when the server does not serve it. */
  async namespaced(apiVersion: string, kind: string): Promise<boolean> {
    const r = await this.resource(apiVersion, kind);
    if (!r) throw new Error(`the API server does not serve ${apiVersion} ${kind}`);
    return r.namespaced;
  }

  private async send(
    method: 'PATCH' | 'POST' | 'DELETE' | 'GET',
    action: 'patch' | 'create' | 'delete' | 'read',
    object: KubernetesObject,
    query: Record<string, string>,
    subresource = '',
  ): Promise<Record<string, any>> {
    const spec = structuredClone(object);
    const uri = (await this.specUriPath(spec, action)) + subresource;
    const ctx = this.configuration.baseServer.makeRequestContext(uri, method as never);
    ctx.setHeaderParam('Accept', 'application/json');
    if (method === 'PATCH') ctx.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    else ctx.setHeaderParam('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
    if (method !== 'GET') ctx.setBody(JSON.stringify(method === 'DELETE' ? {} : spec));
    // The raw JSON, not deserialized through typed models that would drop unknown fields.
    const raw = (await this.requestPromise(ctx, 'any')) as unknown;
    return raw as Record<string, any>;
  }

  /** Whether the server serves `apiVersion`/`kind` (discovery, refreshed on a miss). */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch {
      return false;
    }
  }
}

export function describeError(err: unknown): { status: number; message: string } {
  if (err instanceof ApiException) {
    let body = err.body as { message?: string } | string | undefined;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body) as { message?: string };
      } catch {
        // not a Status object: keep the text
      }
    }
    const message = typeof body === 'string' ? body : (body?.message ?? JSON.stringify(body));
    return { status: err.code, message };
  }
  return { status: 0, message: err instanceof Error ? err.message : String(err) };
}

export function objectRef(o: Record<string, any>): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind}/${ns}${o.metadata?.name}`;
}

/** An object of a unit whose apply failed, kept for Argo CD's retry. */
interface Attempt {
  readonly unit: SyncUnit;
  readonly file: string;
  readonly object: Record<string, any>;
  failure: ApplyFailure;
}

async function applyOne(
  api: StrictApplyApi,
  a: Omit<Attempt, 'failure'>,
): Promise<ApplyFailure | undefined> {
  try {
    await api.apply(a.object as never);
    return undefined;
  } catch (err) {
    return { app: a.unit.app, file: a.file, object: objectRef(a.object), ...describeError(err) };
  }
}

async function applyUnit(api: StrictApplyApi, unit: SyncUnit, failed: Attempt[]): Promise<number> {
  let applied = 0;
  if (unit.createNamespace) {
    await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: unit.namespace } });
  }
  for (const m of unit.manifests) {
    const object = structuredClone(m.object);
    if (!object.metadata.namespace && (await isNamespaced(api, object))) {
      object.metadata.namespace = unit.namespace;
    }
    const failure = await applyOne(api, { unit, file: m.file, object });
    if (failure) failed.push({ unit, file: m.file, object, failure });
    else applied++;
  }
  return applied;
}

async function isNamespaced(api: StrictApplyApi, o: Record<string, any>): Promise<boolean> {
  return api.namespaced(o.apiVersion, o.kind);
}

export interface ApplyResult {
  readonly applied: number;
  /** Objects that succeeded only on a retry (another application of the same wave came first). */
  readonly retried: readonly string[];
  readonly failures: readonly ApplyFailure[];
  /** Units whose objects come from a chart this run did not render, with the chart. */
  readonly charts: readonly { app: string; chart: string }[];
}

/**
 * Syncs the plan as Argo CD's app-of-apps would: the root application's objects in wave
 * order, each child application once the root has reached its wave, children in wave order,
 * each child's objects in Argo CD's order. Every object is server-side applied with strict
 * field validation; a refused object is collected, not thrown, so one run reports them all.
 */
export async function applyPlan(
  kc: KubeConfig,
  plan: SyncPlan,
  afterUnit: (unit: SyncUnit) => Promise<void> = async () => {},
): Promise<ApplyResult> {
  const api = StrictApplyApi.makeApiClient(kc);
  const failures: ApplyFailure[] = [];
  const retried: string[] = [];
  const charts: { app: string; chart: string }[] = [];
  let applied = 0;
  const waveOfManifest = (m: { object: Record<string, any> }) =>
    Number(m.object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  const waves = new Set([
    ...plan.units.map((u) => u.wave),
    ...plan.root.manifests.map(waveOfManifest),
  ]);
  for (const w of [...waves].sort((a, b) => a - b)) {
    const failed: Attempt[] = [];
    applied += await applyUnit(
      api,
      { ...plan.root, manifests: plan.root.manifests.filter((m) => waveOfManifest(m) === w) },
      failed,
    );
    const units = plan.units.filter((u) => u.wave === w);
    for (const unit of units) {
      if (unit.chart) charts.push({ app: unit.app, chart: unit.chart });
      applied += await applyUnit(api, unit, failed);
    }
    // Applications of one wave sync side by side and Argo CD retries a failed sync (each
    // Application's syncPolicy.retry): an object may need one its neighbour creates. Retry
    // while a round makes progress; what still fails is a real refusal.
    let pending = failed;
    while (pending.length > 0) {
      const next: Attempt[] = [];
      for (const a of pending) {
        const failure = await applyOne(api, a);
        if (failure) next.push({ ...a, failure });
        else {
          applied++;
          retried.push(
            `${a.failure.object} (${a.unit.app}): first attempt ${a.failure.message.slice(0, 120)}`,
          );
        }
      }
      if (next.length === pending.length) break;
      pending = next;
    }
    failures.push(...pending.map((a) => a.failure));
    for (const unit of units) await afterUnit(unit);
  }
  return { applied, retried, failures, charts };
}
