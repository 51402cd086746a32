/**
 * Namespaces the platform owns in every cluster. A tenant named like one of them would be
 * deployed into (and could take over) a platform component, so these names are refused.
 * The add-on catalog installs into exactly these namespaces.
 */
export const PLATFORM_NAMESPACES = [
  'agent-registry',
  'agentgateway-system',
  'argocd',
  'cert-manager',
  'cnpg-system',
  'default',
  'external-dns',
  'external-secrets',
  'istio-system',
  'kagent',
  'keycloak',
  'kyverno',
  'langfuse',
  'monitoring',
  'opentelemetry',
  'platform',
] as const;

/** Prefixes Kubernetes and its distributions reserve for themselves. */
export const RESERVED_PREFIXES = ['kube-', 'openshift-', 'istio-', 'platform-'] as const;

/** Why `name` cannot be a tenant (or route alias), or undefined when it can. */
export function reservedReason(name: string, extra: readonly string[] = []): string | undefined {
  if ((PLATFORM_NAMESPACES as readonly string[]).includes(name) || extra.includes(name)) {
    return `"${name}" is a platform namespace`;
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? `names starting with "${prefix}" are reserved for the platform` : undefined;
}
