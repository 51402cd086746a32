import type { EnvironmentModel } from '../model/types';

/** Public hostnames of the platform UIs, derived once from the environment's domain. */
export function platformHosts(env: EnvironmentModel) {
  const d = env.spec.cluster.domain;
  return {
    argocd: `argocd.${d}`,
    keycloak: `keycloak.${d}`,
    langfuse: `langfuse.${d}`,
    grafana: `grafana.${d}`,
    kagent: `kagent.${d}`,
  } as const;
}

/** The Keycloak realm every platform client lives in. */
export const PLATFORM_REALM = 'platform';

/** Keycloak groups of the platform roles. */
export const PLATFORM_GROUPS = {
  admin: 'platform-admin',
  developer: 'developer',
  viewer: 'viewer',
} as const;
