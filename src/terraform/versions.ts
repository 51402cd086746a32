/**
 * Version pins of the cluster infrastructure, in one place so a bump is one reviewed diff
 * next to the regenerated `dist/<env>/terraform/cdk.tf.json`.
 *
 * EKS add-on versions are per Kubernetes minor. Sources (Amazon EKS User Guide, "latest
 * version of the Amazon EKS add-on type for each Kubernetes version" tables):
 * - coredns: docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html (1.33 row)
 * - kube-proxy: docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html (1.33 row)
 * - vpc-cni: awsdocs/amazon-eks-user-guide vpc-add-on-create.adoc (v1.20.1-eksbuild.3)
 * - eks-pod-identity-agent: AWS publishes no per-version table; v1.3.8-eksbuild.2 is the
 *   1.33 pin of awslabs/cdk-eks-blueprints (lib/addons/eks-pod-identity-agent/index.ts).
 * - aws-ebs-csi-driver: no AWS table either; v1.48.0-eksbuild.2 is pinned by public
 *   aws_eks_addon configurations running 1.33 clusters (checked 2026-11-23).
 * For those two the evidence is deployments, not AWS documentation: confirm with
 * `aws eks describe-addon-versions --kubernetes-version 1.33 --addon-name <name>` before
 * the first apply (EKS rejects an unknown version at apply time, never silently).
 */
export const EKS_ADDON_VERSIONS = {
  '1.33': {
    'vpc-cni': 'v1.20.1-eksbuild.3',
    'kube-proxy': 'v1.33.5-eksbuild.2',
    coredns: 'v1.12.4-eksbuild.1',
    'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
    'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2',
  },
} as const;

export type PinnedKubernetesVersion = keyof typeof EKS_ADDON_VERSIONS;

/**
 * RDS engine: the major only. RDS applies minor upgrades in the maintenance window
 * (auto_minor_version_upgrade), and a major-only pin keeps Terraform from planning a downgrade
 * after each one.
 */
export const POSTGRES_ENGINE_VERSION = '17';

/** ElastiCache Redis OSS: 7.1 is the newest Redis OSS engine and supports IAM authentication. */
export const REDIS_ENGINE_VERSION = '7.1';

/**
 * gVisor point release the sandbox node group installs (google/gvisor tag
 * `release-20260810.0`; published at storage.googleapis.com/gvisor/releases/release/<release>/,
 * g3doc/user_guide/install.md "Point release"). Bumping it rolls the sandbox node group.
 */
export const GVISOR_RELEASE = '20260810.0';

/** Add-on versions for a Kubernetes minor; throws naming the fix when none are pinned. */
export function eksAddonVersions(
  kubernetesVersion: string,
): (typeof EKS_ADDON_VERSIONS)[PinnedKubernetesVersion] {
  const versions = (
    EKS_ADDON_VERSIONS as Record<string, (typeof EKS_ADDON_VERSIONS)[PinnedKubernetesVersion]>
  )[kubernetesVersion];
  if (!versions) {
    throw new Error(
      `cluster.kubernetesVersion: "${kubernetesVersion}" has no pinned EKS add-on versions; add them to EKS_ADDON_VERSIONS in src/terraform/versions.ts (pinned: ${Object.keys(EKS_ADDON_VERSIONS).join(', ')})`,
    );
  }
  return versions;
}
