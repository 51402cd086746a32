import { oidcGroupSubject } from '../../src/model/identity';
import { StrictApplyApi } from './harness/apply';
import type { EnvironmentCluster } from './harness/environment';
import { waitFor } from './harness/processes';
import { waitForPolicies } from './harness/environment';
import { conventionEffects } from './checks/conventions';
import { rbacMatrix } from './checks/rbac';
import type { CheckResult } from './checks/result';
import { schedulingEffects } from './checks/scheduling';

type Obj = Record<string, any>;

export interface CaughtDefect {
  readonly area: string;
  readonly defect: string;
  /** The failure line the suite printed for it. */
  readonly caught: string;
}

function manifest(
  cluster: EnvironmentCluster,
  kind: string,
  name: string,
  namespace?: string,
): Obj {
  const m = cluster.plan.units
    .flatMap((u) => u.manifests)
    .find(
      (x) =>
        x.object.kind === kind &&
        x.object.metadata?.name === name &&
        (namespace === undefined || x.object.metadata?.namespace === namespace),
    );
  if (!m) throw new Error(`dist/${cluster.env.name} has no ${kind} ${namespace ?? ''}/${name}`);
  return structuredClone(m.object);
}

/** The failure of `result` that matches `pattern`; throws when the defect went unnoticed. */
function caught(result: CheckResult, defect: string, pattern: RegExp): string {
  const line = result.failures.find((f) => pattern.test(f));
  if (!line) {
    throw new Error(
      `planted defect not caught: ${defect}; ${result.name} reported ${result.failures.length} failures:\n${result.failures.join('\n')}`,
    );
  }
  return line;
}

/**
 * Plants one defect per area into the running cluster, runs that area's check, requires it to
 * fail naming the defect, then repairs it and requires the check to pass again: a suite that
 * cannot fail proves nothing.
 */
export async function plantDefects(
  cluster: EnvironmentCluster,
  syncServiceAccount: (tenant: string) => string,
): Promise<CaughtDefect[]> {
  const kc = cluster.cp.kubeConfig;
  const api = StrictApplyApi.makeApiClient(kc);
  const out: CaughtDefect[] = [];
  const tenant = cluster.env.tenants[0];
  if (!tenant) throw new Error(`dist/${cluster.env.name} has no tenant to plant defects in`);
  const ns = tenant.namespace;
  // As the API server sees the group: with the OIDC prefix its RoleBindings use.
  const group = oidcGroupSubject(tenant.groups.developer[0] as string);

  // RBAC: a RoleBinding that lets the tenant's developers read Secrets.
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'defect-read-secrets', namespace: ns },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'defect-read-secrets', namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  };
  await api.apply(role as never, 'cluster-suite-defect');
  await api.apply(binding as never, 'cluster-suite-defect');
  const rbacDefect = `RoleBinding ${ns}/defect-read-secrets grants ${group} get/list secrets`;
  const rbac = await rbacMatrix(kc, cluster.env, syncServiceAccount);
  out.push({
    area: 'rbac',
    defect: rbacDefect,
    caught: caught(
      rbac,
      rbacDefect,
      new RegExp(`${group}.*get secrets in namespace ${ns}: expected denied, observed allowed`),
    ),
  });
  await api.deleteRaw(binding as never);
  await api.deleteRaw(role as never);
  const rbacAgain = await rbacMatrix(kc, cluster.env, syncServiceAccount);
  if (rbacAgain.failures.length)
    throw new Error(`RBAC still failing after repair:\n${rbacAgain.failures.join('\n')}`);

  // Conventions: the tenant's scheduling policy removed.
  const policyName = tenant.scheduling.runtimeClassName
    ? 'tenant-scheduling-dedicated'
    : 'tenant-scheduling';
  const policy = manifest(cluster, 'MutatingPolicy', policyName);
  await api.deleteRaw(policy as never);
  // Kyverno drops the policy from its cache when the delete event arrives.
  let conventions: CheckResult | undefined;
  const convDefect = `MutatingPolicy ${policyName} removed`;
  const convCaught = new RegExp(`^convention ${policyName}: Pod ${ns}/.*expected workload=`);
  // Wait for this tenant's pod to show it: under load Kyverno can still hold the policy for the
  // first pod it admits after the delete while later ones already go unmutated.
  await waitFor(
    'the removed policy to take effect',
    async () => {
      conventions = await conventionEffects(kc, cluster.env, 'agent-registry');
      return conventions.failures.some((f) => convCaught.test(f));
    },
    60_000,
    () => conventions?.failures.join('\n') ?? '',
    2_000,
  ).catch(() => undefined);
  out.push({
    area: 'conventions',
    defect: convDefect,
    caught: caught(conventions as CheckResult, convDefect, convCaught),
  });
  await api.apply(policy as never);
  await waitForPolicies(kc, [policyName]);
  let conventionsAgain: CheckResult | undefined;
  await waitFor(
    'the restored policy to take effect',
    async () => {
      conventionsAgain = await conventionEffects(kc, cluster.env, 'agent-registry');
      return conventionsAgain.failures.length === 0;
    },
    60_000,
    () => conventionsAgain?.failures.join('\n') ?? '',
    2_000,
  );

  // Scheduling: a pod of the registry's template that chose the platform group but lost its
  // toleration of the platform nodes' taint (the convention leaves pods that chose a group alone).
  const all = cluster.plan.units.flatMap((u) => u.manifests);
  const registry = manifest(cluster, 'Deployment', 'agent-registry', 'agent-registry');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'agent-registry-no-toleration',
      namespace: 'agent-registry',
      labels: { 'cluster-suite/defect': 'no-toleration' },
    },
    spec: { ...structuredClone(registry.spec.template.spec) },
  };
  delete pod.spec.tolerations;
  delete pod.spec.topologySpreadConstraints;
  await api.createRaw(pod as never);
  const schedDefect = `Pod agent-registry/${pod.metadata.name} (the registry's pod template) without its workload=platform toleration`;
  const scheduling = await schedulingEffects(kc, cluster.env, all, {
    settleMs: 20_000,
    createTenantPods: false,
  });
  out.push({
    area: 'scheduling',
    defect: schedDefect,
    caught: caught(
      scheduling,
      schedDefect,
      new RegExp(
        `Pod agent-registry/${pod.metadata.name}: expected bound to a platform node, observed Pending: .*untolerated taint`,
      ),
    ),
  });
  await api.deleteRaw(pod as never);
  let schedulingAgain: CheckResult | undefined;
  await waitFor(
    'the planted pod to be gone',
    async () => {
      schedulingAgain = await schedulingEffects(kc, cluster.env, all, {
        settleMs: 5_000,
        createTenantPods: false,
      });
      return schedulingAgain.failures.length === 0;
    },
    60_000,
    () => schedulingAgain?.failures.join('\n') ?? '',
    2_000,
  );
  return out;
}
