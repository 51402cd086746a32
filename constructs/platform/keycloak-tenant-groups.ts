import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  groupTree,
  pathSegments,
  type TenantRealmPart,
} from '../../src/identity/realm-representation';
import type { RealmGroupGrant } from './keycloak-realm';

/** Data key of the tenant's group subtree in its ConfigMap. */
export const TENANT_GROUPS_KEY = 'groups.json';

export interface KeycloakTenantGroupsProps {
  /** ConfigMap name, one per tenant. */
  readonly configMapName: string;
  /** Keycloak's namespace, where the convergence Job lists these ConfigMaps. */
  readonly namespace: string;
  readonly tenant: string;
  /** The tenant's subtree, e.g. `/tenants/acme`. Every group must be below it. */
  readonly root: string;
  /** The tenant's groups by full path, with the realm roles each grants. */
  readonly groups: readonly RealmGroupGrant[];
  /** Labels the convergence Job selects the tenant parts by. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One tenant's part of the platform realm: its `/tenants/<tenant>` group subtree, in a
 * ConfigMap of its own so that onboarding tenant 10,001 adds one object and changes none. The
 * realm-convergence Job applies it to the running Keycloak; Keycloak never reads it itself.
 */
export class KeycloakTenantGroups extends Construct {
  public readonly part: TenantRealmPart;

  constructor(scope: Construct, id: string, props: KeycloakTenantGroupsProps) {
    super(scope, id);
    pathSegments(props.root);
    if (props.groups.length === 0) {
      throw new Error(
        `KeycloakTenantGroups ${props.tenant}: groups is empty; a tenant needs at least its role groups under ${props.root}`,
      );
    }
    for (const g of props.groups) {
      if (!g.path.startsWith(`${props.root}/`)) {
        throw new Error(
          `KeycloakTenantGroups ${props.tenant}: group "${g.path}" is outside the tenant's subtree ${props.root}; owners must be groups under ${props.root}/`,
        );
      }
    }
    this.part = {
      tenant: props.tenant,
      group: groupTree(props.root, new Map(props.groups.map((g) => [g.path, g.realmRoles]))),
    };
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.configMapName, namespace: props.namespace, labels: props.labels },
      data: { [TENANT_GROUPS_KEY]: `${JSON.stringify(this.part, null, 2)}\n` },
    });
  }
}
