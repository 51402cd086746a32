/** Annotation Argo CD orders a sync by, lowest first (Argo CD docs, "Sync Phases and Waves"). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The platform's one ordering contract: projects, then CRDs, then the operators that serve
 * them, then policies, then platform configuration that needs all of the above, then tenants.
 * The root Application applies its children in this order; generated Applications carry the
 * same wave so the order is visible wherever one is read.
 */
export const SYNC_WAVES = {
  projects: -10,
  crds: 0,
  operators: 10,
  policies: 20,
  platformConfig: 30,
  tenants: 40,
} as const;

export type SyncWave = keyof typeof SYNC_WAVES;

/** `{ 'argocd.argoproj.io/sync-wave': '<n>' }`: annotation values are strings. */
export function syncWaveAnnotation(wave: SyncWave): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES[wave]) };
}
