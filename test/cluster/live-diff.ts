import { spawn } from 'node:child_process';
import path from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { diffLive } from '../../src/diff/live';
import { kubeCluster } from '../../src/diff/live-cluster';
import type { DiffReport } from '../../src/diff/report';
import { synthFromRepo } from '../../src/cli/pipeline';
import { environmentFiles } from '../../src/diff/resources';
import { StrictApplyApi } from './harness/apply';
import type { EnvironmentCluster } from './harness/environment';

type Obj = Record<string, any>;

/** Field manager of the planted drift: a person or tool that is not the sync. */
export const DRIFT_MANAGER = 'cluster-suite-drift';

/** What `npm run diff -- --live` printed as JSON and how it exited. */
export interface CliRun {
  readonly exitCode: number;
  readonly report: DiffReport;
  readonly stderr: string;
}

/** Runs the real CLI against the suite's control plane. */
export function runLiveDiffCli(root: string, env: string, kubeconfig: string): Promise<CliRun> {
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  const args = ['src/cli/diff.ts', '--live', env, '--kubeconfig', kubeconfig, '--format', 'json'];
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ exitCode: code ?? -1, report: JSON.parse(stdout) as DiffReport, stderr });
      } catch {
        reject(new Error(`diff --live ${env} exited ${code} without a JSON report:\n${stderr}`));
      }
    });
  });
}

/** The same comparison in process (one synth per environment), for the states in between. */
export async function liveDiff(root: string, cluster: EnvironmentCluster): Promise<DiffReport> {
  let files = synthesized.get(cluster);
  if (!files) {
    files = environmentFiles(synthFromRepo(root).files, cluster.env.name);
    synthesized.set(cluster, files);
  }
  return diffLive(cluster.env, files, kubeCluster({ kubeconfig: cluster.cp.kubeconfigPath }));
}

const synthesized = new WeakMap<EnvironmentCluster, ReadonlyMap<string, string>>();

/** One planted change and how the diff must report it (git → cluster). */
export interface PlantedDrift {
  readonly what: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly layer: string;
  /** Field paths of a changed object, as the report prints them. */
  readonly fields: readonly string[];
  readonly risks: readonly string[];
}

function manifestsIn(cluster: EnvironmentCluster, ns: string, kind: string): Obj[] {
  return cluster.plan.units
    .flatMap((u) => u.manifests)
    .filter(
      (m) =>
        m.file.startsWith(`dist/${cluster.env.name}/tenants/`) &&
        m.object.kind === kind &&
        (m.object.metadata?.namespace === ns ||
          (kind === 'Namespace' && m.object.metadata?.name === ns)),
    )
    .map((m) => structuredClone(m.object))
    .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
}

function one(list: Obj[], what: string, env: string): Obj {
  const o = list[0];
  if (!o) throw new Error(`dist/${env} has no ${what} to plant drift in`);
  return o;
}

/**
 * Plants drift of each kind an auditor asks about into the first tenant's namespace, the way
 * a person with kubectl would (another field manager): a quota raised, a NetworkPolicy and a
 * RoleBinding deleted, a subject added to a RoleBinding, Pod Security loosened and a label
 * added on the namespace, and a RoleBinding created with the platform's label. Returns what
 * the diff must report.
 */
export async function plantDrift(cluster: EnvironmentCluster): Promise<PlantedDrift[]> {
  const api = StrictApplyApi.makeApiClient(cluster.cp.kubeConfig);
  const env = cluster.env.name;
  const tenant = cluster.env.tenants[0];
  if (!tenant) throw new Error(`dist/${env} has no tenant to plant drift in`);
  const ns = tenant.namespace;
  const apply = (o: Obj) => api.apply(o as KubernetesObject, DRIFT_MANAGER);
  const ref = (o: Obj) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata.name, ...(o.metadata.namespace && { namespace: ns }) },
  });
  const planted: PlantedDrift[] = [];

  const quota = one(manifestsIn(cluster, ns, 'ResourceQuota'), 'ResourceQuota', env);
  await apply({ ...ref(quota), spec: { hard: { 'requests.cpu': '999' } } });
  planted.push({
    what: `ResourceQuota ${ns}/${quota.metadata.name}: requests.cpu raised to 999`,
    kind: 'ResourceQuota',
    namespace: ns,
    name: quota.metadata.name,
    status: 'changed',
    layer: 'tenants',
    fields: ['spec.hard["requests.cpu"]'],
    risks: [],
  });

  const policies = manifestsIn(cluster, ns, 'NetworkPolicy');
  const policy =
    policies.find((p) => p.metadata.name === 'default-deny') ?? one(policies, 'NetworkPolicy', env);
  await api.deleteRaw(ref(policy) as never);
  planted.push({
    what: `NetworkPolicy ${ns}/${policy.metadata.name} deleted`,
    kind: 'NetworkPolicy',
    namespace: ns,
    name: policy.metadata.name,
    status: 'removed',
    layer: 'tenants',
    fields: [],
    risks: ['network'],
  });

  const bindings = manifestsIn(cluster, ns, 'RoleBinding');
  if (bindings.length < 2)
    throw new Error(
      `dist/${env} tenant ${tenant.name} has ${bindings.length} RoleBindings; the drift needs 2`,
    );
  const [granted, deleted] = bindings as [Obj, Obj];
  const intruder = {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'Group',
    name: 'drift:intruders',
  };
  await apply({
    ...ref(granted),
    roleRef: granted.roleRef,
    subjects: [...granted.subjects, intruder],
  });
  planted.push({
    what: `RoleBinding ${ns}/${granted.metadata.name}: subject ${intruder.name} added`,
    kind: 'RoleBinding',
    namespace: ns,
    name: granted.metadata.name,
    status: 'changed',
    layer: 'tenants',
    fields: [`subjects[name=${intruder.name}]`],
    risks: ['rbac'],
  });
  await api.deleteRaw(ref(deleted) as never);
  planted.push({
    what: `RoleBinding ${ns}/${deleted.metadata.name} deleted`,
    kind: 'RoleBinding',
    namespace: ns,
    name: deleted.metadata.name,
    status: 'removed',
    layer: 'tenants',
    fields: [],
    risks: ['rbac'],
  });

  await apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'drift.example/added': 'yes' },
    },
  });
  planted.push({
    what: `Namespace ${ns}: Pod Security enforce privileged, label drift.example/added added`,
    kind: 'Namespace',
    name: ns,
    status: 'changed',
    layer: 'tenants',
    fields: [
      'metadata.labels["drift.example/added"]',
      'metadata.labels["pod-security.kubernetes.io/enforce"]',
    ],
    risks: ['policy-mode'],
  });

  const extra = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: 'drift-admin',
      namespace: ns,
      labels: { 'app.kubernetes.io/managed-by': 'agentic-platform' },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [intruder],
  };
  await apply(extra);
  planted.push({
    what: `RoleBinding ${ns}/drift-admin created with the platform's label, granting admin`,
    kind: 'RoleBinding',
    namespace: ns,
    name: 'drift-admin',
    status: 'added',
    layer: 'cluster only',
    fields: [],
    risks: ['rbac'],
  });
  return planted;
}

/** Puts git's objects back as a sync would, and takes away what the drift manager added. */
export async function repairDrift(cluster: EnvironmentCluster, planted: readonly PlantedDrift[]) {
  const api = StrictApplyApi.makeApiClient(cluster.cp.kubeConfig);
  const ns = cluster.env.tenants[0]!.namespace;
  for (const p of planted) {
    if (p.status === 'added') {
      await api.deleteRaw({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: p.kind,
        metadata: { name: p.name, namespace: ns },
      } as never);
      continue;
    }
    const git = manifestsIn(cluster, ns, p.kind).find((o) => o.metadata.name === p.name)!;
    await api.apply(git as never);
  }
  // Applying nothing as the drift manager drops the fields only it owned (the added label).
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never,
    DRIFT_MANAGER,
  );
}

/** `Kind ns/name` of a change or a planted drift. */
export function changeRef(c: { kind: string; namespace?: string; name: string }): string {
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
}
