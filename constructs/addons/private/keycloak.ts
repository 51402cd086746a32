/**
 * Refuses anything but a Keycloak realm URL (`https://<host>/realms/<realm>`): the add-ons
 * derive Keycloak's OIDC endpoints from it, so a trailing slash or a bare host breaks login.
 */
export function assertKeycloakRealmUrl(owner: string, prop: string, url: string): void {
  if (!/^https:\/\/[^/]+\/realms\/[^/]+$/.test(url)) {
    throw new Error(
      `${owner}: ${prop} must be a Keycloak realm URL such as https://keycloak.example.com/realms/platform, got "${url}"`,
    );
  }
}
