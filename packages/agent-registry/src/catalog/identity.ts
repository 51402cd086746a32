/**
 * Where the platform's identity provider lives, derived from the environment's domain in
 * this one place: the realm the platform layer imports into Keycloak, the issuer Argo CD,
 * Grafana and Langfuse sign in against, the Agent Cards' OpenID Connect scheme and the JWKS
 * the registry verifies bearer tokens against all come from here. (In the registry package
 * because the registry image carries only that package.)
 */
export const KEYCLOAK_REALM = 'platform';

/** Keycloak's public hostname in an environment's domain. */
export function keycloakHost(domain: string): string {
  return `keycloak.${domain}`;
}

export function keycloakIssuer(domain: string): string {
  return `https://${keycloakHost(domain)}/realms/${KEYCLOAK_REALM}`;
}

/** One of Keycloak's OpenID Connect endpoints of a realm (`auth`, `token`, `userinfo`, …). */
export function keycloakOidcUrl(
  issuer: string,
  endpoint: 'auth' | 'token' | 'userinfo' | 'certs',
): string {
  return `${issuer}/protocol/openid-connect/${endpoint}`;
}

/** Keycloak publishes the realm's signing keys here (OIDC discovery `jwks_uri`). */
export function keycloakJwksUrl(issuer: string): string {
  return keycloakOidcUrl(issuer, 'certs');
}

/** OIDC discovery document, the `openIdConnectUrl` of an A2A security scheme. */
export function oidcDiscoveryUrl(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}
