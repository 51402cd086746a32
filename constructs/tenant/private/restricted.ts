/**
 * Security contexts that satisfy Pod Security `restricted`, written into the workload CRDs
 * (kagent Agent, kmcp MCPServer) so their controllers render compliant pods: the namespace
 * enforces `restricted` and would otherwise reject them.
 */
export const RESTRICTED_POD_SECURITY = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;
