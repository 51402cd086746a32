import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { buildModel } from '../../../src/model/build';
import type { EnvironmentModel } from '../../../src/model/types';
import { loadSpecs } from '../../../src/spec/load';
import { applyPlan, StrictApplyApi, type ApplyResult } from './apply';
import { syncPlan, type SyncPlan } from './argo-plan';
import { startControlPlane, type ControlPlane } from './control-plane';
import { installVendoredCrds } from './crds';
import { installKyvernoCrds, startKyverno } from './kyverno';
import { nodeObject, nodeShapes, type NodeShape } from './nodes';
import { waitFor } from './processes';
import { locateTools } from './tools';

/** A control plane with one environment of `dist/` synced into it. */
export interface EnvironmentCluster {
  readonly cp: ControlPlane;
  readonly env: EnvironmentModel;
  readonly plan: SyncPlan;
  readonly nodes: readonly NodeShape[];
  readonly crds: number;
  readonly applied: ApplyResult;
}

/** The model of one environment, from the repository's specs. */
export function environmentModel(root: string, name: string): EnvironmentModel {
  const env = buildModel(loadSpecs(root)).environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment "${name}" in ${root}/environments`);
  return env;
}

/** Registers the environment's node groups as kwok nodes and waits until all are Ready. */
export async function addNodes(kc: KubeConfig, shapes: readonly NodeShape[]): Promise<void> {
  const api = StrictApplyApi.makeApiClient(kc);
  for (const shape of shapes) {
    const node = nodeObject(shape);
    await api.apply(node as never, 'cluster-suite');
    await api.applyStatus(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: shape.name },
        status: { capacity: shape.capacity, allocatable: shape.allocatable },
      } as never,
      'cluster-suite',
    );
  }
  await waitFor(
    `${shapes.length} kwok nodes Ready`,
    async () => {
      for (const shape of shapes) {
        const n = await api.getRaw({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: shape.name },
        });
        const ready = n?.status?.conditions?.some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        );
        if (!ready || n?.status?.allocatable?.pods !== shape.allocatable.pods) return false;
      }
      return true;
    },
    60_000,
  );
}

// Namespaced kinds too: listing /apis/<group>/<version>/<plural> spans every namespace.
const KYVERNO_POLICY_PLURALS = [
  'validatingpolicies',
  'mutatingpolicies',
  'generatingpolicies',
  'namespacedvalidatingpolicies',
  'namespacedmutatingpolicies',
  'namespacedgeneratingpolicies',
];

/** Resolves once Kyverno reports every policy of the environment ready (webhooks configured). */
export async function waitForPolicies(kc: KubeConfig, names: readonly string[]): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const notReady = new Set(names);
  await waitFor(
    `Kyverno to report ${names.length} policies ready`,
    async () => {
      for (const plural of KYVERNO_POLICY_PLURALS) {
        for (const version of ['v1', 'v1beta1']) {
          const list = (await api
            .listClusterCustomObject({ group: 'policies.kyverno.io', version, plural })
            .catch(() => ({ items: [] }))) as { items: Record<string, any>[] };
          for (const p of list.items) {
            if (p.status?.conditionStatus?.ready === true) notReady.delete(p.metadata.name);
          }
        }
      }
      return notReady.size === 0;
    },
    180_000,
    () => `not ready: ${[...notReady].join(', ')}`,
  );
}

/**
 * Starts a control plane with the environment's nodes and Kyverno, then syncs
 * `dist/<env>` into it as Argo CD would: vendored CRDs first (the CRD add-ons' wave), then
 * every wave. After the policies application it waits for Kyverno to have configured its
 * webhooks for every policy, as the sync's retries would on a real cluster.
 */
export async function startEnvironment(root: string, name: string): Promise<EnvironmentCluster> {
  const tools = locateTools();
  const env = environmentModel(root, name);
  const plan = syncPlan(root, name);
  const cp = await startControlPlane({
    tools,
    keepDataDir: process.env.CLUSTER_SUITE_KEEP === '1',
  });
  try {
    const kc = cp.kubeConfig;
    const crds = (await installVendoredCrds(kc, root)) + (await installKyvernoCrds(cp, tools));
    const nodes = nodeShapes(env);
    await addNodes(kc, nodes);
    await startKyverno(cp, tools);
    // Argo CD's own namespace: it exists before the root Application can.
    await StrictApplyApi.makeApiClient(kc).apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: plan.root.namespace } },
      'cluster-suite',
    );
    const applied = await applyPlan(kc, plan, async (unit) => {
      const policies = unit.manifests
        .filter((m) => m.object.apiVersion?.startsWith('policies.kyverno.io/'))
        .map((m) => m.object.metadata.name as string);
      if (policies.length > 0) await waitForPolicies(kc, policies);
    });
    return { cp, env, plan, nodes, crds, applied };
  } catch (err) {
    await cp.stop();
    throw err;
  }
}
