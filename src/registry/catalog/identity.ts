/**
 * Where the platform's identity provider lives, derived from the environment's domain in
 * this one place: the Agent Cards' OpenID Connect scheme, the default issuer and the JWKS
 * the registry verifies bearer tokens against all come from here.
 */
export const KEYCLOAK_REALM = 'agentic';

export function keycloakIssuer(domain: string): string {
  return `https://keycloak.${domain}/realms/${KEYCLOAK_REALM}`;
}

/** Keycloak publishes the realm's signing keys here (OIDC discovery `jwks_uri`). */
export function keycloakJwksUrl(issuer: string): string {
  return `${issuer}/protocol/openid-connect/certs`;
}

/** OIDC discovery document, the `openIdConnectUrl` of an A2A security scheme. */
export function oidcDiscoveryUrl(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}
