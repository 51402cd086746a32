import { GATEWAY_API_CRDS, type ChartName } from '../../constructs/addons/charts';

/** Annotation the vendoring step writes on a chart whose disabled dependencies it left out. */
export const REMOVED_DEPENDENCIES_ANNOTATION = 'agentic-platform.io/removed-dependencies';

/**
 * Where each pinned chart is vendored below `vendor/charts/` (vendor/charts/SOURCES.md has
 * the provenance). A `standIn` is a chart that is not the pinned version, with the reason;
 * the renderer prints it, so a stand-in is never mistaken for the real thing.
 */
export const VENDORED_CHARTS: Readonly<
  Record<ChartName, { readonly dir: string; readonly standIn?: string }>
> = {
  'argo-cd': { dir: 'argo-cd-10.1.1' },
  kyverno: { dir: 'kyverno-3.9.0' },
  kagent: { dir: 'kagent-0.9.12' },
  'kagent-crds': { dir: 'kagent-crds-0.9.12' },
  agentgateway: { dir: 'agentgateway-v1.4.1' },
  'agentgateway-crds': { dir: 'agentgateway-crds-v1.4.1' },
  'istio-base': { dir: 'istio-base-1.30.3' },
  istiod: { dir: 'istiod-1.30.3' },
  'istio-cni': { dir: 'istio-cni-1.30.3' },
  ztunnel: { dir: 'ztunnel-1.30.3' },
  'cert-manager': { dir: 'cert-manager-v1.21.1' },
  'external-secrets': { dir: 'external-secrets-2.9.0' },
  'external-dns': { dir: 'external-dns-1.21.1' },
  'cloudnative-pg': { dir: 'cloudnative-pg-0.29.0' },
  keycloakx: { dir: 'keycloakx-7.1.11' },
  langfuse: { dir: 'langfuse-2.0.0' },
  'clickhouse-operator': {
    dir: 'clickhouse-operator-main-581494e',
    standIn:
      'the pinned clickhouse-operator-helm 0.0.5 has no source tag upstream; the newest main chart (581494e) is rendered instead',
  },
  'kube-prometheus-stack': { dir: 'kube-prometheus-stack-88.5.3' },
  'opentelemetry-collector': { dir: 'opentelemetry-collector-0.170.0' },
};

/** The Gateway API CRDs (a Git folder of plain manifests, not a chart). */
export const VENDORED_GATEWAY_API = {
  dir: `gateway-api-crds-${GATEWAY_API_CRDS.revision}`,
  ...GATEWAY_API_CRDS,
} as const;
