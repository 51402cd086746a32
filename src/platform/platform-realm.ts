import {
  GROUPS_CLAIM,
  PLATFORM_GROUPS,
  REALM_ROLES,
  TENANT_GROUP_ROOT,
  TENANT_REALM_ROLE,
  TENANT_ROLES,
  tenantGroupRoot,
} from '../model/identity';
import type { EnvironmentShared, TenantModel } from '../model/types';
import { REGISTRY_GATEWAY_PREFIX } from '@agentic-platform/agent-registry/constants';
import { PLATFORM_REALM, platformHosts } from './hosts';

/** Realm roles and what they are for (shown in Keycloak's admin console). */
export const PLATFORM_REALM_ROLES: readonly { name: string; description: string }[] = [
  { name: REALM_ROLES.platformAdmin, description: 'Administers the platform and every tenant' },
  { name: REALM_ROLES.platformAuditor, description: 'Reads the platform and every tenant' },
  { name: REALM_ROLES.tenantAdmin, description: 'Administers one tenant (its group subtree)' },
  { name: REALM_ROLES.tenantDeveloper, description: "Develops one tenant's agents" },
  { name: REALM_ROLES.tenantViewer, description: 'Reads one tenant' },
];

/** Client id of the registry, and the audience its bearer tokens must carry. */
export const REGISTRY_CLIENT_ID = 'agent-registry';
/** Client id kubectl signs in with (kubelogin) and the audience EKS requires of ID tokens. */
export const KUBERNETES_CLIENT_ID = 'kubernetes';
/** kubelogin's default redirect (`kubectl oidc-login`, port 8000 then 18000). */
const KUBELOGIN_REDIRECTS = ['http://localhost:8000', 'http://localhost:18000'];

export interface PlatformClient {
  readonly clientId: string;
  readonly url: string;
  /** @default false - confidential */
  readonly publicClient?: boolean;
  /** @default - `<url>/*` */
  readonly redirectUris?: readonly string[];
}

/** The OIDC clients of the realm in an environment. */
export function platformClients(env: EnvironmentShared): PlatformClient[] {
  const hosts = platformHosts(env);
  return [
    { clientId: 'argocd', url: `https://${hosts.argocd}` },
    { clientId: 'grafana', url: `https://${hosts.grafana}` },
    { clientId: 'langfuse', url: `https://${hosts.langfuse}` },
    { clientId: 'kagent', url: `https://${hosts.kagent}` },
    {
      clientId: REGISTRY_CLIENT_ID,
      url: `https://${env.gateway.publicHost}${REGISTRY_GATEWAY_PREFIX}`,
    },
    {
      // A CLI on the user's machine cannot keep a secret: public, with kubelogin's loopback
      // redirects only.
      clientId: KUBERNETES_CLIENT_ID,
      url: `https://${hosts.keycloak}`,
      publicClient: true,
      redirectUris: KUBELOGIN_REDIRECTS,
    },
  ];
}

/** Platform groups and the realm roles they grant; `/tenants` is the empty tenant root. */
export function platformGroups(): Map<string, string[]> {
  return new Map([
    [PLATFORM_GROUPS.admin, [REALM_ROLES.platformAdmin]],
    [PLATFORM_GROUPS.auditor, [REALM_ROLES.platformAuditor]],
  ]);
}

/** A tenant's groups (`/tenants/<tenant>/...`) and the realm role each grants. */
export function tenantRealmGroups(t: Pick<TenantModel, 'name' | 'groups'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const role of TENANT_ROLES)
    for (const g of t.groups[role]) out.set(g, [...(out.get(g) ?? []), TENANT_REALM_ROLE[role]]);
  return out;
}

export { GROUPS_CLAIM, PLATFORM_REALM, TENANT_GROUP_ROOT, tenantGroupRoot };
