/**
 * Argo CD sized for the number of Applications one environment's Argo CD reconciles, from Argo
 * CD's high-availability guide (docs/operator-manual/high_availability.md, v3.4):
 *
 * - "For 1000 applications, we use 50 for `--status-processors` and 25 for
 *   `--operation-processors`" (defaults 20 and 10): the processors scale with that ratio.
 * - Controller sharding distributes *clusters* across replicas ("shard clusters across multiple
 *   controller replicas"). Each environment's Argo CD manages exactly one cluster (its own), so
 *   every Application lands on one shard: more controller replicas would sit idle. The
 *   controller stays at one replica and is scaled through its processors and client limits.
 * - The controller's Kubernetes client is rate limited by `ARGOCD_K8S_CLIENT_QPS` (default 50)
 *   and `ARGOCD_K8S_CLIENT_BURST` (default twice the QPS; common/common.go). QPS grows with the
 *   Applications at the default's rate (50 per 1,000), burst stays at twice the QPS.
 * - The repo-server "fork/exec config management tools ... `--parallelismlimit` ... helps avoid
 *   OOM kills", and the guide says to scale the repo-server up when manifest generation is the
 *   bottleneck: each replica is limited to a fixed number of concurrent generations and the
 *   replicas grow with the Applications (one per 2,500, our choice: tenant bundles are small
 *   plain-YAML directories).
 *
 * The inputs are rounded UP to a capacity step (`ARGO_CD_TENANT_STEPS`), never the exact
 * count: Argo CD's values live in one shared file and its pods restart when their parameters
 * change, so adding a tenant must not change them. Only crossing a step does, as a deliberate,
 * reviewed change of the platform.
 */

/** Tenant counts Argo CD is sized for; an environment takes the first step at or above its count. */
export const ARGO_CD_TENANT_STEPS = [250, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000] as const;

/**
 * Applications an environment runs besides its tenants' (root, add-ons, platform folders):
 * 34 today, rounded up so a new add-on does not move the sizing.
 */
export const PLATFORM_APPLICATION_ALLOWANCE = 50;

/** Applications each tenant has: its own part and the platform-owned part (TenantApplicationSet). */
export const APPLICATIONS_PER_TENANT = 2;

/**
 * Most Application entries the ApplicationSet controller keeps in an ApplicationSet's
 * `status.resources` (`applicationsetcontroller.status.max.resources.count`, default 5,000).
 * Each entry is ~180 bytes of JSON, so the default lets the tenants ApplicationSet grow to
 * ~900 KB in etcd at 5,000 tenants; 1,000 keeps it near 180 KB, under the 256 KiB every
 * object of dist/ respects. Every Application still reports its own sync and health status.
 */
export const APPLICATION_SET_STATUS_RESOURCES = 1_000;

/** Concurrent manifest generations per repo-server replica (`reposerver.parallelism.limit`). */
export const REPO_SERVER_PARALLELISM = 10;

/** Applications one repo-server replica serves. */
export const APPLICATIONS_PER_REPO_SERVER = 2_500;

export interface ArgoCdSizing {
  /** The capacity step the environment is sized for (tenants). */
  readonly tenantCapacity: number;
  /** Applications at that capacity, platform allowance included. */
  readonly applications: number;
  readonly statusProcessors: number;
  readonly operationProcessors: number;
  readonly kubeClientQps: number;
  readonly kubeClientBurst: number;
  readonly repoServerReplicas: number;
  readonly repoServerParallelism: number;
  readonly applicationSetStatusResources: number;
}

/** Sizing for an environment of `tenants` tenants; `minRepoServers` is the HA floor. */
export function argoCdSizing(tenants: number, minRepoServers: number): ArgoCdSizing {
  if (!Number.isInteger(tenants) || tenants < 0) {
    throw new Error(`argoCdSizing: tenants must be a whole number >= 0, got ${tenants}`);
  }
  const tenantCapacity = ARGO_CD_TENANT_STEPS.find((s) => s >= tenants);
  if (tenantCapacity === undefined) {
    throw new Error(
      `argoCdSizing: ${tenants} tenants is over the largest step ${ARGO_CD_TENANT_STEPS.at(-1)}; add a step to ARGO_CD_TENANT_STEPS (and size the cluster for it)`,
    );
  }
  const applications = APPLICATIONS_PER_TENANT * tenantCapacity + PLATFORM_APPLICATION_ALLOWANCE;
  const per1000 = (n: number) => Math.ceil((n * applications) / 1000);
  const kubeClientQps = Math.max(50, per1000(50));
  return {
    tenantCapacity,
    applications,
    statusProcessors: Math.max(20, per1000(50)),
    operationProcessors: Math.max(10, per1000(25)),
    kubeClientQps,
    kubeClientBurst: 2 * kubeClientQps,
    repoServerReplicas: Math.max(
      minRepoServers,
      Math.ceil(applications / APPLICATIONS_PER_REPO_SERVER),
    ),
    repoServerParallelism: REPO_SERVER_PARALLELISM,
    applicationSetStatusResources: APPLICATION_SET_STATUS_RESOURCES,
  };
}

/**
 * `argocd-cmd-params-cm` keys for a sizing. Each key is one the argo-cd 10.1.1 chart's
 * templates read into the component's environment (templates/argocd-application-controller/
 * statefulset.yaml, argocd-repo-server/deployment.yaml, argocd-applicationset/deployment.yaml).
 */
export function argoCdSizingParams(s: ArgoCdSizing) {
  return {
    'controller.status.processors': String(s.statusProcessors),
    'controller.operation.processors': String(s.operationProcessors),
    'reposerver.parallelism.limit': String(s.repoServerParallelism),
    'applicationsetcontroller.status.max.resources.count': String(s.applicationSetStatusResources),
  } as const;
}

/** The controller's Kubernetes client limits, as container environment variables. */
export function argoCdControllerEnv(s: ArgoCdSizing) {
  return [
    { name: 'ARGOCD_K8S_CLIENT_QPS', value: String(s.kubeClientQps) },
    { name: 'ARGOCD_K8S_CLIENT_BURST', value: String(s.kubeClientBurst) },
  ] as const;
}
