import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionCases } from './checks/admission';
import { conventionEffects } from './checks/conventions';
import { rbacMatrix } from './checks/rbac';
import type { CheckResult } from './checks/result';
import { schedulingEffects } from './checks/scheduling';
import { startEnvironment, type EnvironmentCluster } from './harness/environment';
import { plantDefects } from './defects';
import {
  changeRef,
  DRIFT_MANAGER,
  liveDiff,
  plantDrift,
  repairDrift,
  runLiveDiffCli,
} from './live-diff';
import { exitCodeOf } from '../../src/diff/report';

const ROOT = path.resolve(__dirname, '../..');
/** Environments to run: `CLUSTER_SUITE_ENVS=dev,staging,prod`; dev and prod by default. */
const ENVS = (process.env.CLUSTER_SUITE_ENVS ?? 'dev,prod').split(',').filter(Boolean);

/** Argo CD's per-tenant sync identity: the ServiceAccount dist/<env>/platform/tenant-sync holds. */
function syncServiceAccount(cluster: EnvironmentCluster) {
  return (tenant: string) => {
    const sa = cluster.plan.units
      .flatMap((u) => u.manifests)
      .find(
        (m) =>
          m.file.startsWith(`dist/${cluster.env.name}/platform/tenant-sync/${tenant}/`) &&
          m.object.kind === 'ServiceAccount',
      );
    if (!sa)
      throw new Error(
        `dist/${cluster.env.name}/platform/tenant-sync/${tenant}/ has no ServiceAccount`,
      );
    return sa.object.metadata.name as string;
  };
}

function expectNoFailures(result: CheckResult) {
  if (result.report) console.log(`--- ${result.name}\n${result.report}`);
  expect(result.cases).toBeGreaterThan(0);
  expect(result.failures).toEqual([]);
}

describe.each(ENVS)('dist/%s on a real control plane', (envName) => {
  let cluster: EnvironmentCluster;
  const summary: Record<string, string> = {};

  beforeAll(async () => {
    cluster = await startEnvironment(ROOT, envName);
  }, 900_000);

  afterAll(async () => {
    await cluster?.cp.stop();
    console.log(
      `cluster-suite ${envName}: ${cluster?.applied.applied ?? 0} objects applied (${cluster?.crds ?? 0} CRDs first, ${cluster?.applied.failures.length ?? '?'} refused), ${summary.rbac ?? 'RBAC not run'}, ${summary.admission ?? 'admission not run'}, ${summary.conventions ?? 'conventions not run'}, ${summary.scheduling ?? 'scheduling not run'}, ${summary.defects ?? 'defects not run'}, ${summary.liveDiff ?? 'live diff not run'}`,
    );
  });

  it('syncs every object of dist/<env> with server-side apply and strict field validation', () => {
    for (const c of cluster.applied.charts)
      console.log(`chart not rendered here: ${c.app} (${c.chart})`);
    expect(cluster.applied.failures).toEqual([]);
    expect(cluster.applied.applied).toBeGreaterThan(100);
  });

  it('RBAC: tenants reach only their own namespace, and only what the platform grants', async () => {
    const r = await rbacMatrix(cluster.cp.kubeConfig, cluster.env, syncServiceAccount(cluster));
    summary.rbac = `${r.cases} RBAC cells`;
    expectNoFailures(r);
  });

  it('admission: Pod Security, LimitRange, ResourceQuota and the guardrails decide as the spec says', async () => {
    const r = await admissionCases(
      cluster.cp.kubeConfig,
      cluster.env,
      cluster.plan.units.flatMap((u) => u.manifests),
    );
    summary.admission = `${r.cases} admission cases`;
    expectNoFailures(r);
  });

  it('conventions: Kyverno mutates and generates what the platform relies on', async () => {
    const r = await conventionEffects(cluster.cp.kubeConfig, cluster.env, 'agent-registry');
    summary.conventions = `${r.cases} convention effects`;
    expectNoFailures(r);
  });

  it('scheduling: every pod binds to a node of its group, none Pending, DaemonSets everywhere', async () => {
    const r = await schedulingEffects(
      cluster.cp.kubeConfig,
      cluster.env,
      cluster.plan.units.flatMap((u) => u.manifests),
    );
    summary.scheduling = `${r.scheduled} pods scheduled / ${r.pending} pending on ${cluster.nodes.length} nodes`;
    expectNoFailures(r);
  });

  it('fails, naming the defect, when one is planted in each area', async () => {
    const planted = await plantDefects(cluster, syncServiceAccount(cluster));
    summary.defects = `${planted.length} planted defects caught`;
    for (const p of planted) console.log(`defect ${p.area}: ${p.defect}\n  caught: ${p.caught}`);
    expect(planted.map((p) => p.area)).toEqual(['rbac', 'conventions', 'scheduling']);
  });

  // Last: it plants drift into the synced environment, then repairs it.
  it('diff --live: no drift once synced; planted drift reported git → cluster with its risk flag', async () => {
    const clean = await runLiveDiffCli(ROOT, envName, cluster.cp.kubeconfigPath);
    const c0 = clean.report.comparisons[0]!;
    expect(c0.changes).toEqual([]);
    expect(c0.notes ?? []).toEqual([]);
    // Every synced object compared; one the sync refused would be reported missing above.
    expect(c0.unchanged).toBe(cluster.applied.applied);
    expect(clean.exitCode, clean.stderr).toBe(0);

    const planted = await plantDrift(cluster);
    for (const p of planted) console.log(`drift planted: ${p.what}`);
    const drifted = await runLiveDiffCli(ROOT, envName, cluster.cp.kubeconfigPath);
    const c1 = drifted.report.comparisons[0]!;
    const byRef = (a: { ref: string }, b: { ref: string }) => a.ref.localeCompare(b.ref);
    const reported = c1.changes.map((c) => ({
      ref: changeRef(c),
      status: c.status,
      layer: c.layer,
      fields: c.fields.map((f) => f.path).sort(),
      risks: [...new Set(c.risks.map((r) => r.kind))].sort(),
    }));
    const expected = planted.map((p) => ({
      ref: changeRef(p),
      status: p.status,
      layer: p.layer,
      fields: [...p.fields].sort(),
      risks: [...p.risks].sort(),
    }));
    expect(reported.sort(byRef)).toEqual(expected.sort(byRef));
    const fieldsOf = (kind: string) => c1.changes.find((c) => c.kind === kind)!.fields;
    expect(fieldsOf('ResourceQuota')).toMatchObject([{ op: 'changed', after: '999' }]);
    expect(fieldsOf('Namespace')).toEqual([
      { path: 'metadata.labels["drift.example/added"]', op: 'added', after: 'yes' },
      {
        path: 'metadata.labels["pod-security.kubernetes.io/enforce"]',
        op: 'changed',
        before: 'restricted',
        after: 'privileged',
      },
    ]);
    const ns = cluster.env.tenants[0]!.namespace;
    expect(c1.notes).toEqual([
      `Namespace ${ns}: metadata.labels["drift.example/added"] set by ${DRIFT_MANAGER}, not by git (a sync keeps it)`,
    ]);
    expect(drifted.exitCode, drifted.stderr).toBe(3);

    // Drift no flag covers (a quota) exits 1; repaired, the cluster matches git again.
    await repairDrift(
      cluster,
      planted.filter((p) => p.kind !== 'ResourceQuota'),
    );
    const quotaOnly = await liveDiff(ROOT, cluster);
    expect(quotaOnly.comparisons[0]!.changes.map(changeRef)).toEqual(
      planted.filter((p) => p.kind === 'ResourceQuota').map(changeRef),
    );
    expect(exitCodeOf(quotaOnly)).toBe(1);
    await repairDrift(cluster, planted);
    const repaired = await liveDiff(ROOT, cluster);
    expect(repaired.comparisons[0]!.changes.map(changeRef)).toEqual([]);
    expect(exitCodeOf(repaired)).toBe(0);
    summary.liveDiff = `live diff: ${c0.unchanged} objects without drift, ${planted.length} planted drifts reported`;
  });
});
