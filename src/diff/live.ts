import type { KubernetesObject } from '@kubernetes/client-node';
import type { EnvironmentModel } from '../model/types';
import { compareResources } from './compare';
import { riskContext, tenantNamespaces } from './environments';
import { SYNC_FIELD_MANAGER, type LiveCluster } from './live-cluster';
import { foreignFields, showPath, withoutPaths } from './managed-fields';
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

export interface LiveDiffOptions {
  /** @default 'live cluster' */
  readonly clusterLabel?: string;
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
  /**
   * The manager that syncs git (the one the cluster's dry-run applied as): fields only other
   * managers own are reported as set outside git.
   *
   * @default SYNC_FIELD_MANAGER (argocd-controller)
   */
  readonly fieldManager?: string;
}

/**
 * `diff --live <env>`: how a cluster departs from dist/<env>, read as git → cluster. For each
 * object of git the cluster holds, the live object is compared with the server-side apply
 * dry-run of git's version as the syncing manager, so server defaults are not drift and a
 * field git owns but someone changed is; fields only other managers wrote are taken out of
 * git's side and named in a note. An object of git the cluster lacks is "removed"; one carrying
 * the platform's label in the cluster but absent from git is "added" (layer "cluster only").
 * Risk flags read the same way: a NetworkPolicy or RoleBinding missing from the cluster, a
 * route only the cluster has. Terraform is not compared (it has its own plan).
 */
export async function diffLive(
  env: EnvironmentModel,
  files: ReadonlyMap<string, string>,
  cluster: LiveCluster,
  options: LiveDiffOptions = {},
): Promise<DiffReport> {
  const tenants = tenantNamespaces(env);
  const git = readResources(files, tenants).filter((r) => r.group !== 'terraform');
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

  const fieldManager = options.fieldManager ?? SYNC_FIELD_MANAGER;
  const outsideGit: string[] = [];
  const gitSide: Resource[] = [];
  const clusterSide: Resource[] = [];
  await pool(git, options.concurrency ?? 8, async (r) => {
    const body = r.body as KubernetesObject;
    const live = served.get(`${body.apiVersion} ${body.kind}`)
      ? await cluster.read(body)
      : undefined;
    if (!live) {
      gitSide.push(r);
      return;
    }
    const applied = await cluster.dryRunApply(body);
    // What only other managers wrote stays through the dry-run (a sync keeps it), but git does
    // not declare it: it is drift an auditor wants to see, so git's side goes without it.
    const foreign = foreignFields(applied, fieldManager);
    for (const f of foreign)
      outsideGit.push(
        `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${showPath(f.path, applied)} set by ${f.managers.join(', ')}, not by git (a sync keeps it)`,
      );
    const declared = withoutPaths(
      applied,
      foreign.map((f) => f.path),
    );
    gitSide.push(asResource(r, withoutServerFields(declared)));
    clusterSide.push(asResource(r, withoutServerFields(live)));
  });

  const inGit = new Set(git.map((r) => r.key));
  for (const [key, k] of kinds) {
    if (!served.get(key)) continue;
    for (const o of await cluster.list(k.apiVersion, k.kind, MANAGED_BY_SELECTOR)) {
      // Read as git's objects are, for the same identity and tenant; it has no file.
      const [res] = readResources(
        new Map([['(not in git).yaml', JSON.stringify(withoutServerFields(o))]]),
        tenants,
      );
      if (res && !inGit.has(res.key))
        clusterSide.push({ ...res, layer: 'cluster only', file: '(not in git)' });
    }
  }
  const label = options.clusterLabel ?? 'live cluster';
  const result = compareResources(gitSide, clusterSide, { risk: riskContext(env, false) });
  const allNotes = [...notes, ...outsideGit.sort()];
  return {
    mode: 'live',
    title: `${env.name} (git) → ${label}`,
    comparisons: [
      {
        left: `${env.name} (git)`,
        right: label,
        ...result,
        ...(allNotes.length > 0 && { notes: allNotes }),
      },
    ],
  };
}
