/**
 * EC2 user data that installs gVisor on an EKS managed node (AL2023) and registers it with
 * containerd as a CRI runtime handler, before the node joins the cluster.
 *
 * Why user data and not a DaemonSet installer: on AL2023, `nodeadm-run.service` (which starts
 * containerd and kubelet) is ordered `After=cloud-final.service`, so the shell part below has
 * finished before the kubelet first registers the node (awslabs/amazon-eks-ami
 * templates/al2023/runtime/rootfs/etc/systemd/system/nodeadm-run.service). No pod can be
 * scheduled onto a node that does not have the handler yet, no privileged installer pod runs
 * on tenant nodes, and nodes stay immutable (a new release rolls the node group). A baked AMI
 * would do the same with an image pipeline the project does not own.
 *
 * The runtime is registered through nodeadm's `NodeConfig.spec.containerd.config`, which
 * nodeadm merges into the containerd config it writes (nodeadm/internal/containerd/config.go
 * `combineContainerdConfigs`). The snippet uses the config-version-2 plugin path
 * (`io.containerd.grpc.v1.cri`): nodeadm accepts it on containerd 1.x as is and migrates it on
 * containerd 2.x (`getConfigTemplateVersion` + `containerd config migrate`), whereas the
 * version-3 path fails on 1.x.
 *
 * EKS managed node groups merge their own NodeConfig (cluster name, endpoint, CA) with this
 * one; that merge requires MIME multipart user data.
 */

/** What the sandbox runtime install needs to know. */
export interface SandboxRuntimeOptions {
  /** CRI runtime handler name the RuntimeClass references (`runsc`). */
  readonly handler: string;
  /** gVisor point release, `YYYYMMDD.N` (a `release-YYYYMMDD.N` tag of google/gvisor). */
  readonly gvisorRelease: string;
}

/** MIME boundary; any string that cannot occur in the parts. */
const BOUNDARY = '//agentic-platform-node-config';

/** Where runsc and its shim go: on containerd's PATH, readable and executable by all users. */
export const GVISOR_INSTALL_DIR = '/usr/local/bin';
/** Shim options file containerd passes to containerd-shim-runsc-v1 (`ConfigPath`). */
export const RUNSC_SHIM_CONFIG = '/etc/containerd/runsc.toml';

/** The containerd TOML nodeadm merges: the handler, runtime type and shim options path. */
export function sandboxContainerdConfig(options: SandboxRuntimeOptions): string {
  const table = `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${options.handler}`;
  return [
    `[${table}]`,
    'runtime_type = "io.containerd.runsc.v1"',
    `[${table}.options]`,
    'TypeUrl = "io.containerd.runsc.v1.options"',
    `ConfigPath = "${RUNSC_SHIM_CONFIG}"`,
    '',
  ].join('\n');
}

/**
 * The install script. It downloads the release tarball (runsc, containerd-shim-runsc-v1 and
 * gvisor-bin/, gVisor's install guide at the pinned tag) and checks it against the sha512 file
 * published beside it; that proves an intact download over TLS from gVisor's bucket, not a
 * digest reviewed here. Any failure powers the instance off, so a node without the runtime
 * never joins: the node group reports it and replaces the instance.
 *
 * `systemd-cgroup` because kubelet on AL2023 uses the systemd cgroup driver and hands runsc
 * slice-style cgroup paths (gVisor g3doc/user_guide/systemd.md). No `${` in the script:
 * Terraform would read it as an interpolation.
 */
export function sandboxInstallScript(options: SandboxRuntimeOptions): string {
  const url = `https://storage.googleapis.com/gvisor/releases/release/${options.gvisorRelease}/x86_64`;
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    'trap \'echo "gVisor install failed; powering off so this node never joins" >&2; systemctl poweroff\' ERR',
    'work=$(mktemp -d)',
    'cd "$work"',
    `curl --fail --silent --show-error --location --retry 5 --remote-name ${url}/gvisor.tar.bz2`,
    `curl --fail --silent --show-error --location --retry 5 --remote-name ${url}/gvisor.tar.bz2.sha512`,
    'sha512sum --check gvisor.tar.bz2.sha512',
    `tar -xjf gvisor.tar.bz2 -C ${GVISOR_INSTALL_DIR}`,
    `chmod a+rx ${GVISOR_INSTALL_DIR}/runsc ${GVISOR_INSTALL_DIR}/containerd-shim-runsc-v1`,
    `${GVISOR_INSTALL_DIR}/runsc --version`,
    `mkdir -p ${RUNSC_SHIM_CONFIG.slice(0, RUNSC_SHIM_CONFIG.lastIndexOf('/'))}`,
    `cat > ${RUNSC_SHIM_CONFIG} <<'EOF'`,
    '[runsc_config]',
    'systemd-cgroup = "true"',
    'EOF',
    'rm -rf "$work"',
    '',
  ].join('\n');
}

/** The NodeConfig part: only what this node adds; EKS supplies the cluster details. */
export function sandboxNodeConfig(options: SandboxRuntimeOptions): string {
  const toml = sandboxContainerdConfig(options)
    .trimEnd()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
  return [
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  containerd:',
    '    config: |',
    toml,
    '',
  ].join('\n');
}

/** MIME multipart user data: the NodeConfig part first, then the install script. */
export function sandboxUserData(options: SandboxRuntimeOptions): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.handler)) {
    throw new Error(
      `sandboxRuntime.handler: "${options.handler}" is not a CRI handler name (lowercase DNS label, e.g. runsc)`,
    );
  }
  if (!/^\d{8}\.\d+$/.test(options.gvisorRelease)) {
    throw new Error(
      `sandboxRuntime.gvisorRelease: "${options.gvisorRelease}" is not a gVisor point release such as 20260810.0`,
    );
  }
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    '',
    `--${BOUNDARY}`,
    'Content-Type: application/node.eks.aws',
    '',
    sandboxNodeConfig(options),
    `--${BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    sandboxInstallScript(options),
    `--${BOUNDARY}--`,
    '',
  ].join('\n');
}
