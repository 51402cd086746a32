/**
 * Which files of a tenant bundle (`dist/<env>/tenants/<tenant>/`) the platform owns. The
 * bundle is one folder so a reviewer sees a tenant whole, but two Applications sync it: one
 * in the `platform` project applies exactly these files, one in the tenant's own project
 * applies the rest and is forbidden, by its AppProject, from managing these kinds at all.
 *
 * File names are `<kind>-<name>.yaml` (src/synth/manifest.ts), so a kind maps to a glob.
 */
export interface OwnedKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * Kinds that isolate, limit, authorise, credential or expose a tenant: never the tenant's to
 * change. Credentials (ExternalSecret, AgentgatewayBackend) because a tenant-edited backend
 * could send a platform key to any host; the edge (HTTPRoute, Gateway) because a route can
 * claim another tenant's path and a Gateway of class `agentgateway` opens a new load balancer.
 * What is left for the tenant's own project: its agents, MCP servers, model configs and their
 * service accounts.
 */
export const PLATFORM_OWNED_KINDS: readonly OwnedKind[] = [
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'security.istio.io', kind: 'AuthorizationPolicy' },
  { group: 'security.istio.io', kind: 'PeerAuthentication' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'policies.kyverno.io', kind: 'NamespacedMutatingPolicy' },
  { group: 'policies.kyverno.io', kind: 'NamespacedValidatingPolicy' },
  { group: 'agentgateway.dev', kind: 'AgentgatewayPolicy' },
  { group: 'agentgateway.dev', kind: 'AgentgatewayBackend' },
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
];

/** Namespaced kinds the tenant's own project syncs (the sync service account's rights). */
export const TENANT_OWNED_KINDS: readonly OwnedKind[] = [
  { group: '', kind: 'ServiceAccount' },
  { group: 'kagent.dev', kind: 'Agent' },
  { group: 'kagent.dev', kind: 'ModelConfig' },
  { group: 'kagent.dev', kind: 'MCPServer' },
  { group: 'kagent.dev', kind: 'RemoteMCPServer' },
];

/** `resourcequota-*.yaml` for ResourceQuota, in the order of PLATFORM_OWNED_KINDS. */
export const PLATFORM_OWNED_FILE_GLOBS: readonly string[] = PLATFORM_OWNED_KINDS.map(
  (k) => `${k.kind.toLowerCase()}-*.yaml`,
);

/** One Argo CD directory include/exclude pattern for all of them (`{a,b}` brace glob). */
export const PLATFORM_OWNED_FILES_PATTERN = `{${PLATFORM_OWNED_FILE_GLOBS.join(',')}}`;
