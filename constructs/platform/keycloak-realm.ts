import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  toJson_KeycloakRealmImportSpecRealm,
  type KeycloakRealmImportSpecRealm,
} from '../../imports/keycloak-realmimport-k8s.keycloak.org';

/** An OIDC client of the realm. */
export interface RealmClient {
  readonly clientId: string;
  /** Base URL of the application; redirects are allowed below it. */
  readonly url: string;
}

export interface KeycloakRealmProps {
  /** ConfigMap name (mounted at /opt/keycloak/data/import by the Keycloak add-on). */
  readonly configMapName: string;
  readonly namespace: string;
  /** Realm name. */
  readonly realm: string;
  /** Realm roles, e.g. platform-admin, developer, viewer. */
  readonly roles: readonly string[];
  /** Groups and the realm roles their members get. */
  readonly groups: readonly { readonly name: string; readonly realmRoles: readonly string[] }[];
  readonly clients: readonly RealmClient[];
}

/**
 * The platform realm as Keycloak's import JSON, typed by the KeycloakRealmImport CRD's realm
 * schema (RealmRepresentation). Every client is confidential (Keycloak generates the secret
 * on import; it is copied to Secrets Manager once) and puts a flat `groups` claim in its
 * tokens, which Argo CD RBAC and the other UIs map to their own roles.
 */
export class KeycloakRealm extends Construct {
  public readonly realm: KeycloakRealmImportSpecRealm;

  constructor(scope: Construct, id: string, props: KeycloakRealmProps) {
    super(scope, id);
    const roleSet = new Set(props.roles);
    for (const g of props.groups) {
      const unknown = g.realmRoles.filter((r) => !roleSet.has(r));
      if (unknown.length > 0) {
        throw new Error(
          `KeycloakRealm ${props.realm}: group "${g.name}" gets undefined roles ${unknown.join(', ')}; define them in roles (${props.roles.join(', ')})`,
        );
      }
    }
    for (const c of props.clients) {
      if (!URL.canParse(c.url) || !/^https?:$/.test(new URL(c.url).protocol)) {
        throw new Error(
          `KeycloakRealm ${props.realm}: client "${c.clientId}" has url "${c.url}", which is not an absolute http(s) URL; give the URL the client is served at, e.g. https://argocd.example.com`,
        );
      }
    }
    const groupsMapper = {
      name: 'groups',
      protocol: 'openid-connect',
      protocolMapper: 'oidc-group-membership-mapper',
      config: {
        'full.path': 'false',
        'claim.name': 'groups',
        'id.token.claim': 'true',
        'access.token.claim': 'true',
        'userinfo.token.claim': 'true',
      },
    };
    this.realm = {
      realm: props.realm,
      enabled: true,
      roles: { realm: props.roles.map((name) => ({ name })) },
      groups: [...props.groups]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((g) => ({ name: g.name, path: `/${g.name}`, realmRoles: [...g.realmRoles] })),
      clients: props.clients.map((c) => ({
        clientId: c.clientId,
        enabled: true,
        protocol: 'openid-connect',
        publicClient: false,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        rootUrl: c.url,
        redirectUris: [`${c.url}/*`],
        // An origin is scheme://host[:port]; a client served under a path (the registry at
        // /registry on the gateway host) still has only its host as origin.
        webOrigins: [new URL(c.url).origin],
        protocolMappers: [groupsMapper],
      })),
    };
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.configMapName, namespace: props.namespace },
      data: {
        [`${props.realm}.json`]: `${JSON.stringify(toJson_KeycloakRealmImportSpecRealm(this.realm), null, 2)}\n`,
      },
    });
  }
}
