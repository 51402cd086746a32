import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  toJson_KeycloakRealmImportSpecRealm,
  type KeycloakRealmImportSpecRealm,
} from '../../imports/keycloak-realmimport-k8s.keycloak.org';
import {
  groupTree,
  pathSegments,
  type BaseRealm,
  type ProtocolMapper,
  type RealmClient as RealmClientRepresentation,
} from '../../src/identity/realm-representation';

/** An OIDC client of the realm. */
export interface RealmClient {
  readonly clientId: string;
  /** Base URL of the application; redirects are allowed below it. */
  readonly url: string;
  /**
   * A public client (a CLI such as kubelogin) holds no secret.
   *
   * @default false - confidential: Keycloak generates the secret, copied to Secrets Manager once
   */
  readonly publicClient?: boolean;
  /** @default - everything below `url` (`<url>/*`) */
  readonly redirectUris?: readonly string[];
}

/** A group by its full path, with the realm roles its members get. */
export interface RealmGroupGrant {
  readonly path: string;
  readonly realmRoles: readonly string[];
}

export interface KeycloakRealmProps {
  /** ConfigMap name (mounted at /opt/keycloak/data/import by the Keycloak add-on). */
  readonly configMapName: string;
  readonly namespace: string;
  /** Realm name. */
  readonly realm: string;
  /** Realm roles the groups grant. */
  readonly roles: readonly { readonly name: string; readonly description: string }[];
  /** Platform groups by full path; parents are created as needed. */
  readonly groups: readonly RealmGroupGrant[];
  /**
   * Root of the per-tenant subtrees (`/tenants`). The base realm holds it empty; each
   * tenant's subtree is its own object (KeycloakTenantGroups), so this one never grows.
   */
  readonly tenantRoot: string;
  readonly clients: readonly RealmClient[];
  /** Claim the group-membership mapper writes full group paths to. @default 'groups' */
  readonly groupsClaim?: string;
}

/**
 * The bounded base of the platform realm as Keycloak's import JSON, typed by the
 * KeycloakRealmImport CRD's realm schema (RealmRepresentation): settings, realm roles,
 * platform groups as a real hierarchy, the empty tenant root and the clients. Every client
 * puts the full group paths in a `groups` claim and its own client id in `aud`, so a token
 * issued to one client is refused by another that checks its audience.
 */
export class KeycloakRealm extends Construct {
  public readonly realm: BaseRealm;

  constructor(scope: Construct, id: string, props: KeycloakRealmProps) {
    super(scope, id);
    const roleSet = new Set(props.roles.map((r) => r.name));
    const where = `KeycloakRealm ${props.realm}`;
    pathSegments(props.tenantRoot);
    for (const g of props.groups) {
      pathSegments(g.path);
      const unknown = g.realmRoles.filter((r) => !roleSet.has(r));
      if (unknown.length > 0) {
        throw new Error(
          `${where}: group "${g.path}" gets undefined roles ${unknown.join(', ')}; define them in roles (${[...roleSet].join(', ')})`,
        );
      }
      if (g.path === props.tenantRoot || g.path.startsWith(`${props.tenantRoot}/`)) {
        throw new Error(
          `${where}: group "${g.path}" is under the tenant root ${props.tenantRoot}; tenant groups go in their tenant's KeycloakTenantGroups, never in the base realm`,
        );
      }
    }
    for (const c of props.clients) {
      if (!URL.canParse(c.url) || !/^https?:$/.test(new URL(c.url).protocol)) {
        throw new Error(
          `${where}: client "${c.clientId}" has url "${c.url}", which is not an absolute http(s) URL; give the URL the client is served at, e.g. https://argocd.example.com`,
        );
      }
    }
    const claim = props.groupsClaim ?? 'groups';
    const groupsMapper: ProtocolMapper = {
      name: 'groups',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-group-membership-mapper',
      config: {
        // Full paths: `/tenants/acme/developers`, never a bare `developers` that every tenant has.
        'full.path': 'true',
        'claim.name': claim,
        'id.token.claim': 'true',
        'access.token.claim': 'true',
        'userinfo.token.claim': 'true',
      },
    };
    const audienceMapper = (clientId: string): ProtocolMapper => ({
      name: 'audience',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-audience-mapper',
      config: {
        'included.client.audience': clientId,
        'id.token.claim': 'false',
        'access.token.claim': 'true',
      },
    });
    // Top-level roots of the platform groups (`/platform`), each a tree.
    const roots = [...new Set(props.groups.map((g) => `/${pathSegments(g.path)[0]!}`))].sort();
    const grants = new Map(props.groups.map((g) => [g.path, g.realmRoles]));
    const clients: RealmClientRepresentation[] = props.clients.map((c) => ({
      clientId: c.clientId,
      enabled: true,
      protocol: 'openid-connect',
      publicClient: c.publicClient ?? false,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      rootUrl: c.url,
      redirectUris: [...(c.redirectUris ?? [`${c.url}/*`])],
      // An origin is scheme://host[:port]; a client served under a path (the registry at
      // /registry on the gateway host) still has only its host as origin.
      webOrigins: [new URL(c.url).origin],
      protocolMappers: [groupsMapper, audienceMapper(c.clientId)],
    }));
    this.realm = {
      realm: props.realm,
      enabled: true,
      roles: { realm: props.roles.map((r) => ({ name: r.name, description: r.description })) },
      groups: [
        ...roots.map((r) => groupTree(r, grants)),
        groupTree(props.tenantRoot, new Map()),
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
      clients,
    };
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.configMapName, namespace: props.namespace },
      data: {
        [`${props.realm}.json`]: `${JSON.stringify(toJson_KeycloakRealmImportSpecRealm(this.realm as KeycloakRealmImportSpecRealm), null, 2)}\n`,
      },
    });
  }
}
