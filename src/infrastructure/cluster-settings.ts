/**
 * What the EKS cluster is, decided once for both engines (the cdktf EksCluster construct and
 * the description the Pulumi program declares).
 */

/** Control-plane log types EKS can send to CloudWatch; all of them are on. */
export const CONTROL_PLANE_LOG_TYPES = [
  'api',
  'audit',
  'authenticator',
  'controllerManager',
  'scheduler',
] as const;

/**
 * The vpc-cni add-on's configuration values: NetworkPolicy enforcement on (a string, as the
 * add-on's configuration schema has it). Standard enforcing mode: a new pod starts allowed
 * until its policies are programmed; strict mode would also deny CoreDNS and every
 * kube-system pod, which have no NetworkPolicy.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;

/**
 * Access entries only (no aws-auth ConfigMap), and no implicit admin for whoever creates the
 * cluster: an admin that appears in no spec and no access entry; admins are listed.
 */
export const CLUSTER_ACCESS_CONFIG = {
  authenticationMode: 'API',
  bootstrapClusterCreatorAdminPermissions: false,
} as const;

/** Kubernetes Secrets envelope-encrypted with the given KMS key. */
export function clusterEncryptionConfig<V>(keyArn: V) {
  return { resources: ['secrets'], provider: { keyArn } };
}

/**
 * API endpoint access: the private endpoint always, the public one only for listed CIDRs.
 * Throws on a `/0`: that opens the API to the internet.
 */
export function clusterVpcConfig<V>(subnetIds: readonly V[], publicApiCidrs: readonly string[]) {
  const open = publicApiCidrs.find((c) => c.endsWith('/0'));
  if (open) {
    throw new Error(
      `publicApiCidrs: "${open}" opens the API endpoint to the internet; list the operator networks instead`,
    );
  }
  return {
    subnetIds: [...subnetIds],
    endpointPrivateAccess: true,
    endpointPublicAccess: publicApiCidrs.length > 0,
    ...(publicApiCidrs.length > 0 ? { publicAccessCidrs: [...publicApiCidrs] } : {}),
  };
}

/** The add-on definition in Git is the source of truth; drift in the cluster is reverted. */
export const ADDON_CONFLICT_RESOLUTION = {
  resolveConflictsOnCreate: 'OVERWRITE',
  resolveConflictsOnUpdate: 'OVERWRITE',
} as const;
