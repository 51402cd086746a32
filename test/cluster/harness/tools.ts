import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Versions the install scripts build; the harness refuses other builds' leftovers. */
export const TOOL_VERSIONS = {
  kubernetes: 'v1.35.0',
  kwok: 'v0.8.0',
  kyverno: 'v1.19.0',
} as const;

/** Where the control plane's binaries and data files are. */
export interface ClusterTools {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kwok: string;
  /** kwok's default stages (node initialize/heartbeat, pod ready/complete/delete). */
  readonly kwokStages: readonly string[];
  readonly kyvernoAdmissionController: string;
  readonly kyvernoBackgroundController: string;
  /** Kyverno's own CRDs at the controllers' version. */
  readonly kyvernoCrdDir: string;
}

const INSTALL_HINT =
  'run .ci/install-cluster-tools.sh and .ci/install-kyverno.sh (they build into ~/.cache/agentic-platform/bin)';

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The binaries .ci/install-cluster-tools.sh and .ci/install-kyverno.sh cache, from
 * `CLUSTER_TOOLS_BIN` or `~/.cache/agentic-platform/bin`. Throws naming every missing file.
 */
export function locateTools(binDir = process.env.CLUSTER_TOOLS_BIN): ClusterTools {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache');
  const bin = binDir ?? path.join(cache, 'agentic-platform', 'bin');
  const share = path.join(path.dirname(bin), 'share');
  const stagesDir = path.join(share, `kwok-${TOOL_VERSIONS.kwok}`, 'stages');
  const tools: ClusterTools = {
    etcd: findOnPath('etcd') ?? path.join(bin, 'etcd'),
    kubeApiserver: path.join(bin, 'kube-apiserver'),
    kubeControllerManager: path.join(bin, 'kube-controller-manager'),
    kubeScheduler: path.join(bin, 'kube-scheduler'),
    kwok: path.join(bin, 'kwok'),
    kwokStages: [
      'node-initialize.yaml',
      'node-heartbeat.yaml',
      'pod-ready.yaml',
      'pod-complete.yaml',
      'pod-delete.yaml',
    ].map((f) => path.join(stagesDir, f)),
    kyvernoAdmissionController: path.join(bin, 'kyverno-admission-controller'),
    kyvernoBackgroundController: path.join(bin, 'kyverno-background-controller'),
    kyvernoCrdDir: path.join(share, `kyverno-${TOOL_VERSIONS.kyverno}`, 'crds'),
  };
  const missing = Object.values(tools)
    .flat()
    .filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(`cluster tools missing: ${missing.join(', ')}; ${INSTALL_HINT}`);
  }
  return tools;
}
