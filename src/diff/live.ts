import type { KubernetesObject } from '@kubernetes/client-node';
import type { EnvironmentModel } from '../model/types';
import { compareResources } from './compare';
import { riskContext, tenantNamespaces } from './environments';
import type { LiveCluster } from './live-cluster';
import type { DiffReport } from './report';
import { readResources, type Resource } from './resources';

/** Label every object the platform generates carries: what "ours" means in the cluster. */
export const MANAGED_BY_SELECTOR = 'app.kubernetes.io/managed-by=agentic-platform';

const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
] as const;

/** The object without what only the server writes (status, bookkeeping metadata). */
export function withoutServerFields(o: KubernetesObject): KubernetesObject {
  const rest: Record<string, unknown> = { ...o };
  delete rest.status;
  const metadata: Record<string, unknown> = { ...(o.metadata ?? {}) };
  for (const f of SERVER_METADATA) delete metadata[f];
  const annotations = { ...((metadata.annotations ?? {}) as Record<string, string>) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...rest, metadata } as KubernetesObject;
}

function asResource(template: Resource, body: unknown): Resource {
  return { ...template, body };
}

/** Runs `f` over `items`, `limit` at a time, keeping order. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  f: (x: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * `diff --live <env>`: dist/<env> against a cluster. For each object of git that exists in the
 * cluster, the live object is compared with the server-side apply dry-run of git's version,
 * so server defaults and fields other managers own are not drift; an object missing from the
 * cluster is "added"; an object carrying the platform's label in the cluster but absent from
 * git is "removed". Terraform is not compared (it has its own plan).
 */
export async function diffLive(
  env: EnvironmentModel,
  files: ReadonlyMap<string, string>,
  cluster: LiveCluster,
  options: { readonly clusterLabel?: string; readonly concurrency?: number } = {},
): Promise<DiffReport> {
  const git = readResources(files, tenantNamespaces(env)).filter((r) => r.group !== 'terraform');
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const r of git) {
    const body = r.body as KubernetesObject;
    kinds.set(`${body.apiVersion} ${body.kind}`, {
      apiVersion: body.apiVersion!,
      kind: body.kind!,
    });
  }
  const served = new Map<string, boolean>();
  for (const [key, k] of kinds) served.set(key, await cluster.serves(k.apiVersion, k.kind));
  const notes = [...kinds]
    .filter(([key]) => !served.get(key))
    .map(([, k]) => `${k.apiVersion} ${k.kind} is not served by the cluster (CRD not installed?)`);

  const left: Resource[] = [];
  const right: Resource[] = [];
  const concurrency = options.concurrency ?? 8;
  await pool(git, concurrency, async (r) => {
    const body = r.body as KubernetesObject;
    const live = served.get(`${body.apiVersion} ${body.kind}`)
      ? await cluster.read(body)
      : undefined;
    if (!live) {
      right.push(r);
      return;
    }
    const applied = await cluster.dryRunApply(body);
    left.push(asResource(r, withoutServerFields(live)));
    right.push(asResource(r, withoutServerFields(applied)));
  });

  const inGit = new Set(git.map((r) => r.key));
  for (const [key, k] of kinds) {
    if (!served.get(key)) continue;
    for (const o of await cluster.list(k.apiVersion, k.kind, MANAGED_BY_SELECTOR)) {
      const [res] = readResources(
        new Map([
          [
            `cluster/${k.kind.toLowerCase()}-${o.metadata?.name}.yaml`,
            JSON.stringify(withoutServerFields(o)),
          ],
        ]),
        tenantNamespaces(env),
      );
      if (res && !inGit.has(res.key)) left.push({ ...res, layer: 'cluster only' });
    }
  }
  const label = options.clusterLabel ?? 'live cluster';
  const result = compareResources(left, right, { risk: riskContext(env, false) });
  return {
    mode: 'live',
    title: `${label} → ${env.name} (git)`,
    comparisons: [
      { left: label, right: `${env.name} (git)`, ...result, ...(notes.length && { notes }) },
    ],
  };
}
