import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { EnvironmentModel } from '../../../src/model/types';
import type { Manifest } from '../harness/argo-plan';
import { StrictApplyApi, describeError } from '../harness/apply';
import { waitFor } from '../harness/processes';
import type { CheckResult } from './result';
import { tenantPods } from './workloads';

type Obj = Record<string, any>;

/** Label the node groups put on their nodes (NODE_GROUPS labels). */
const GROUP_LABEL = 'workload';

/**
 * The real scheduler places every pod: the representative agent and MCP server pods of every
 * tenant (created here, through admission) and the pods the controllers made for the
 * Deployments/StatefulSets/DaemonSets of `dist/`. Passes when every pod is bound to a node of
 * its intended group (the tenant's group from the model; platform namespaces → platform) and no
 * pod is Pending, and every DaemonSet runs on every node.
 */
export async function schedulingEffects(
  kc: KubeConfig,
  env: EnvironmentModel,
  manifests: readonly Manifest[],
  options: {
    readonly settleMs?: number;
    /** Create the representative tenant pods first (once per cluster). @default true */
    readonly createTenantPods?: boolean;
  } = {},
): Promise<CheckResult & { scheduled: number; pending: number }> {
  const api = StrictApplyApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const failures: string[] = [];
  const tenantNamespaces = new Map(env.tenants.map((t) => [t.namespace, t]));

  for (const { source, pod } of options.createTenantPods === false ? [] : tenantPods(manifests)) {
    try {
      await api.createRaw(pod as never);
    } catch (err) {
      failures.push(
        `scheduling ${source}: pod ${pod.metadata.namespace}/${pod.metadata.name} refused at admission: ${describeError(err).message}`,
      );
    }
  }

  const nodes = (await core.listNode()).items;
  const nodeGroup = new Map(
    nodes.map((n) => [n.metadata?.name ?? '', n.metadata?.labels?.[GROUP_LABEL] ?? '']),
  );
  const platformNamespaces = new Set(
    manifests
      .filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.object.kind))
      .map((m) => m.object.metadata?.namespace as string)
      .filter((ns) => ns && !tenantNamespaces.has(ns)),
  );
  const relevant = (p: V1Pod) =>
    tenantNamespaces.has(p.metadata?.namespace ?? '') ||
    platformNamespaces.has(p.metadata?.namespace ?? '');
  const listPods = async () => (await core.listPodForAllNamespaces()).items.filter(relevant);

  // Bound and Running (kwok reports Running once the pod is bound), or give up after settleMs.
  await waitFor(
    'every pod to be scheduled',
    async () => (await listPods()).every((p) => p.spec?.nodeName && p.status?.phase === 'Running'),
    options.settleMs ?? 90_000,
  ).catch(() => undefined);

  const pods = await listPods();
  const rows: string[] = [];
  let scheduled = 0;
  let pending = 0;
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    const name = `${ns}/${p.metadata?.name}`;
    const owner = p.metadata?.ownerReferences?.[0];
    const daemon = owner?.kind === 'DaemonSet';
    const tenant = tenantNamespaces.get(ns);
    const want = tenant ? tenant.scheduling.nodeSelector[GROUP_LABEL] : 'platform';
    if (!p.spec?.nodeName) {
      pending++;
      const cond = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
      failures.push(
        `scheduling Pod ${name}${owner ? ` (${owner.kind} ${owner.name})` : ''}: expected bound to a ${want} node, observed Pending: ${cond?.message ?? cond?.reason ?? 'not scheduled'}`,
      );
      rows.push(`Pending  ${name} → (none)  want ${want}`);
      continue;
    }
    scheduled++;
    const got = nodeGroup.get(p.spec.nodeName) ?? '';
    rows.push(
      `${p.status?.phase?.padEnd(8)} ${name} → ${p.spec.nodeName} (${got})${daemon ? '' : `  want ${want}`}`,
    );
    if (!daemon && got !== want) {
      failures.push(
        `scheduling Pod ${name}${owner ? ` (${owner.kind} ${owner.name})` : ''}: expected a ${want} node, observed ${p.spec.nodeName} of group ${got || '(none)'}`,
      );
    }
  }

  for (const ds of (await apps.listDaemonSetForAllNamespaces()).items) {
    const desired = ds.status?.desiredNumberScheduled ?? 0;
    const ready = ds.status?.numberAvailable ?? 0;
    if (desired !== nodes.length || ready !== nodes.length) {
      failures.push(
        `scheduling DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}: expected on all ${nodes.length} nodes, observed ${desired} desired, ${ready} available`,
      );
    }
    rows.push(
      `DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}: ${ready}/${nodes.length} nodes`,
    );
  }
  return {
    name: 'scheduling',
    cases: pods.length,
    failures,
    report: rows.join('\n'),
    scheduled,
    pending,
  };
}

export type { Obj };
