/** Annotation Argo CD orders a sync by, lowest first (Argo CD docs, "Sync Phases and Waves"). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The platform's one ordering contract, in the order a fresh cluster comes up:
 *
 * - `projects`: AppProjects every Application needs;
 * - `crds`: CRD-only charts, the default StorageClass, and kube-prometheus-stack (it carries
 *   the monitoring.coreos.com CRDs every operator's ServiceMonitor needs);
 * - `operators`: controllers that need only CRDs (cert-manager, external-secrets,
 *   CloudNativePG, Kyverno, Istio, agentgateway, external-dns, Argo CD);
 * - `dependentOperators`: controllers that need another operator's CRDs (the ClickHouse
 *   operator's webhook certificate is a cert-manager Certificate);
 * - `policies`: the Kyverno policies (need Kyverno's CRDs);
 * - `stores`: what platform configuration reads from: the ClusterSecretStores and the
 *   ClusterIssuer;
 * - `platformConfig`: platform secrets (ExternalSecrets), databases (kagent's CloudNativePG
 *   cluster, the add-ons' roles and databases on RDS from the PostgreSQL bootstrap Job),
 *   certificates, the gateway, the registry;
 * - `services`: add-ons that read platform configuration (their secrets and databases):
 *   Keycloak, kagent, Langfuse, the OpenTelemetry collector;
 * - `tenants`.
 *
 * The root Application applies its children wave by wave and moves on once a wave is
 * healthy: an add-on ApplicationSet is healthy when it has generated its Application (Argo
 * CD's ApplicationSet health check), a plain Application when its resources are
 * (argocd-cm's Application health check). test/render checks the order against what the
 * rendered charts actually need.
 */
export const SYNC_WAVES = {
  projects: -10,
  crds: 0,
  operators: 10,
  dependentOperators: 15,
  policies: 20,
  stores: 25,
  platformConfig: 30,
  services: 35,
  tenants: 40,
} as const;

export type SyncWave = keyof typeof SYNC_WAVES;

/** `{ 'argocd.argoproj.io/sync-wave': '<n>' }`: annotation values are strings. */
export function syncWaveAnnotation(wave: SyncWave): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES[wave]) };
}
