import type { EnvironmentShared } from '../model/types';
import {
  KEYCLOAK_REALM,
  keycloakHost,
  keycloakIssuer,
} from '@agentic-platform/agent-registry/catalog/identity';

/** Public hostnames of the platform UIs, derived once from the environment's domain. */
export function platformHosts(env: EnvironmentShared) {
  const d = env.spec.cluster.domain;
  return {
    argocd: `argocd.${d}`,
    keycloak: keycloakHost(d),
    langfuse: `langfuse.${d}`,
    grafana: `grafana.${d}`,
    kagent: `kagent.${d}`,
  } as const;
}

/** The Keycloak realm every platform client lives in. */
export const PLATFORM_REALM = KEYCLOAK_REALM;

/** The realm's OIDC issuer, which every platform client signs in against. */
export function platformIssuer(env: EnvironmentShared): string {
  return keycloakIssuer(env.spec.cluster.domain);
}
