/**
 * Every chart the platform installs, pinned in one place. Versions and repositories are the
 * ones recorded in schemas/charts/SOURCES.md, whose vendored values.yaml / values.schema.json
 * the add-on tests check every written Helm value against.
 */
export interface ChartPin {
  /** `helm`: classic https chart repository; `oci`: OCI registry, repoUrl ends in the chart. */
  readonly type: 'helm' | 'oci';
  readonly repoUrl: string;
  /** Chart name in a classic repository (for `oci` the last path segment of repoUrl). */
  readonly chart: string;
  readonly version: string;
  /**
   * Folder under schemas/charts holding this version's Chart.yaml and values files.
   * Undefined only for charts we set no values on (see the entry's comment).
   */
  readonly valuesDir?: string;
}

const ISTIO_REPO = 'https://istio-release.storage.googleapis.com/charts';
const ISTIO_VERSION = '1.30.3';

export const CHARTS = {
  'argo-cd': {
    type: 'helm',
    repoUrl: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-cd',
    version: '10.1.1',
    valuesDir: 'argo-cd',
  },
  kyverno: {
    type: 'helm',
    repoUrl: 'https://kyverno.github.io/kyverno/',
    chart: 'kyverno',
    version: '3.9.0',
    valuesDir: 'kyverno',
  },
  kagent: {
    type: 'oci',
    repoUrl: 'oci://ghcr.io/kagent-dev/kagent/helm/kagent',
    chart: 'kagent',
    version: '0.9.12',
    valuesDir: 'kagent',
  },
  'kagent-crds': {
    type: 'oci',
    repoUrl: 'oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds',
    chart: 'kagent-crds',
    version: '0.9.12',
    valuesDir: 'kagent-crds',
  },
  // The agentgateway docs install from cr.agentgateway.dev with the v-prefixed tag.
  agentgateway: {
    type: 'oci',
    repoUrl: 'oci://cr.agentgateway.dev/charts/agentgateway',
    chart: 'agentgateway',
    version: 'v1.4.1',
    valuesDir: 'agentgateway',
  },
  'agentgateway-crds': {
    type: 'oci',
    repoUrl: 'oci://cr.agentgateway.dev/charts/agentgateway-crds',
    chart: 'agentgateway-crds',
    version: 'v1.4.1',
    valuesDir: 'agentgateway-crds',
  },
  'istio-base': {
    type: 'helm',
    repoUrl: ISTIO_REPO,
    chart: 'base',
    version: ISTIO_VERSION,
    valuesDir: 'istio/base',
  },
  istiod: {
    type: 'helm',
    repoUrl: ISTIO_REPO,
    chart: 'istiod',
    version: ISTIO_VERSION,
    valuesDir: 'istio/istiod',
  },
  'istio-cni': {
    type: 'helm',
    repoUrl: ISTIO_REPO,
    chart: 'cni',
    version: ISTIO_VERSION,
    valuesDir: 'istio/cni',
  },
  ztunnel: {
    type: 'helm',
    repoUrl: ISTIO_REPO,
    chart: 'ztunnel',
    version: ISTIO_VERSION,
    valuesDir: 'istio/ztunnel',
  },
  'cert-manager': {
    type: 'oci',
    repoUrl: 'oci://quay.io/jetstack/charts/cert-manager',
    chart: 'cert-manager',
    version: 'v1.21.1',
    valuesDir: 'cert-manager',
  },
  'external-secrets': {
    type: 'helm',
    repoUrl: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    valuesDir: 'external-secrets',
  },
  'external-dns': {
    type: 'helm',
    repoUrl: 'https://kubernetes-sigs.github.io/external-dns/',
    chart: 'external-dns',
    version: '1.21.1',
    valuesDir: 'external-dns',
  },
  'cloudnative-pg': {
    type: 'helm',
    repoUrl: 'https://cloudnative-pg.github.io/charts',
    chart: 'cloudnative-pg',
    version: '0.29.0',
    valuesDir: 'cloudnative-pg',
  },
  keycloakx: {
    type: 'helm',
    repoUrl: 'https://codecentric.github.io/helm-charts',
    chart: 'keycloakx',
    version: '7.1.11',
    valuesDir: 'keycloakx',
  },
  langfuse: {
    type: 'oci',
    repoUrl: 'oci://ghcr.io/langfuse/langfuse-k8s/charts/langfuse',
    chart: 'langfuse',
    version: '2.0.0',
    valuesDir: 'langfuse',
  },
  // Needed by Langfuse 2.x for its ClickHouseCluster/KeeperCluster CRs (langfuse README). We
  // set no values on it, so nothing is vendored; its version is the one the README names.
  'clickhouse-operator': {
    type: 'oci',
    repoUrl: 'oci://ghcr.io/clickhouse/clickhouse-operator-helm',
    chart: 'clickhouse-operator-helm',
    version: '0.0.5',
  },
  'kube-prometheus-stack': {
    type: 'helm',
    repoUrl: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    valuesDir: 'kube-prometheus-stack',
  },
  'opentelemetry-collector': {
    type: 'helm',
    repoUrl: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.170.0',
    valuesDir: 'opentelemetry-collector',
  },
} as const satisfies Record<string, ChartPin>;

export type ChartName = keyof typeof CHARTS;

/** Gateway API CRDs: no chart upstream; Argo CD reads the tagged folder from Git. */
export const GATEWAY_API_CRDS = {
  repoUrl: 'https://github.com/kubernetes-sigs/gateway-api.git',
  revision: 'v1.6.1',
  path: 'config/crd/standard',
} as const;

/** Every repository the platform project reads, besides this one. */
export function chartRepositories(): string[] {
  return [
    ...new Set([...Object.values(CHARTS).map((c) => c.repoUrl), GATEWAY_API_CRDS.repoUrl]),
  ].sort();
}
