import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { makeCerts, type ControlPlaneCerts } from './certs';
import {
  freePort,
  logTail,
  startProcess,
  stopProcess,
  waitFor,
  type ManagedProcess,
} from './processes';
import { locateTools, type ClusterTools } from './tools';

export interface ControlPlaneOptions {
  /**
   * Binaries to run.
   *
   * @default - locateTools(): CLUSTER_TOOLS_BIN or ~/.cache/agentic-platform/bin
   */
  readonly tools?: ClusterTools;
  /**
   * Start kube-controller-manager, kube-scheduler and kwok (fake kubelets) too. Without them
   * the server stores and admits objects but no pod is ever scheduled.
   *
   * @default true
   */
  readonly workloads?: boolean;
  /**
   * Keep the data directory (certs, logs, etcd) after stop, for a post-mortem.
   *
   * @default false
   */
  readonly keepDataDir?: boolean;
}

/** A running control plane on 127.0.0.1; `stop()` ends every process it started, by PID. */
export interface ControlPlane {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** A kubeconfig file with a `system:masters` client certificate. */
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  readonly certs: ControlPlaneCerts;
  /** Temporary directory holding certs, logs and etcd's data. */
  readonly dataDir: string;
  readonly processes: readonly ManagedProcess[];
  /** Starts another process that lives and dies with the control plane (e.g. Kyverno). */
  readonly adopt: (p: ManagedProcess) => void;
  readonly stop: () => Promise<void>;
}

/** GET `urlPath` with the admin certificate; resolves the status code and body. */
export function adminGet(
  server: string,
  certs: ControlPlaneCerts,
  urlPath: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${server}${urlPath}`,
      {
        ca: readFileSync(certs.caCert),
        cert: readFileSync(certs.adminCert),
        key: readFileSync(certs.adminKey),
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function writeKubeconfig(file: string, server: string, certs: ControlPlaneCerts): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'cluster-suite', server, caFile: certs.caCert, skipTLSVerify: false }],
    users: [{ name: 'admin', certFile: certs.adminCert, keyFile: certs.adminKey }],
    contexts: [{ name: 'cluster-suite', cluster: 'cluster-suite', user: 'admin' }],
    currentContext: 'cluster-suite',
  });
  writeFileSync(file, kc.exportConfig());
  return kc;
}

/**
 * etcd, kube-apiserver (default admission plugins, PodSecurity included; RBAC), and unless
 * `workloads: false` kube-controller-manager, kube-scheduler and kwok, all on loopback with
 * ports the OS picked. Resolves once the API server is ready and every component runs.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const tools = options.tools ?? locateTools();
  const workloads = options.workloads ?? true;
  // etcd fsyncs every write: a tmpfs keeps applying ~600 objects from taking minutes.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dataDir = mkdtempSync(path.join(base, 'cluster-suite-'));
  const certsDir = path.join(dataDir, 'pki');
  const logs = path.join(dataDir, 'logs');
  mkdirSync(certsDir);
  mkdirSync(logs);
  const processes: ManagedProcess[] = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse order: clients before the server, the server before its store.
    for (const p of [...processes].reverse()) await stopProcess(p);
    if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const certs = makeCerts(certsDir);
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcd = startProcess(
      'etcd',
      tools.etcd,
      [
        '--name=cluster-suite',
        `--data-dir=${path.join(dataDir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=cluster-suite=http://127.0.0.1:${etcdPeer}`,
        '--log-level=warn',
      ],
      path.join(logs, 'etcd.log'),
    );
    processes.push(etcd);

    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProcess(
      'kube-apiserver',
      tools.kubeApiserver,
      [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${certsDir}`,
        `--tls-cert-file=${certs.servingCert}`,
        `--tls-private-key-file=${certs.servingKey}`,
        `--client-ca-file=${certs.caCert}`,
        `--service-account-key-file=${certs.serviceAccountPub}`,
        `--service-account-signing-key-file=${certs.serviceAccountKey}`,
        '--service-account-issuer=https://kubernetes.default.svc',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=RBAC',
        // EKS runs privileged-capable API servers: a privileged tenant pod must be refused by
        // Pod Security admission (the control under test), not by this flag.
        '--allow-privileged=true',
        // Priority and fairness only queues requests here; off saves CPU on a shared machine.
        '--enable-priority-and-fairness=false',
        '--endpoint-reconciler-type=none',
        '--v=1',
      ],
      path.join(logs, 'kube-apiserver.log'),
    );
    processes.push(apiserver);
    const kubeconfigPath = path.join(dataDir, 'kubeconfig');
    const kubeConfig = writeKubeconfig(kubeconfigPath, server, certs);
    await waitFor(
      'kube-apiserver /readyz',
      async () => (await adminGet(server, certs, '/readyz')).status === 200,
      180_000,
      () =>
        `kube-apiserver ${apiserver.exited() ?? 'running'}:\n${logTail(apiserver)}\netcd ${etcd.exited() ?? 'running'}:\n${logTail(etcd)}`,
      250,
      () => (apiserver.exited() || etcd.exited() ? 'the control plane died' : undefined),
    );

    if (workloads) {
      const [cmPort, schedPort, kwokPort] = [await freePort(), await freePort(), await freePort()];
      processes.push(
        startProcess(
          'kube-controller-manager',
          tools.kubeControllerManager,
          [
            `--kubeconfig=${kubeconfigPath}`,
            `--authentication-kubeconfig=${kubeconfigPath}`,
            `--authorization-kubeconfig=${kubeconfigPath}`,
            '--bind-address=127.0.0.1',
            `--secure-port=${cmPort}`,
            `--cert-dir=${certsDir}`,
            `--service-account-private-key-file=${certs.serviceAccountKey}`,
            `--root-ca-file=${certs.caCert}`,
            '--use-service-account-credentials=true',
            '--leader-elect=false',
            '--v=1',
          ],
          path.join(logs, 'kube-controller-manager.log'),
        ),
      );
      processes.push(
        startProcess(
          'kube-scheduler',
          tools.kubeScheduler,
          [
            `--kubeconfig=${kubeconfigPath}`,
            `--authentication-kubeconfig=${kubeconfigPath}`,
            `--authorization-kubeconfig=${kubeconfigPath}`,
            '--bind-address=127.0.0.1',
            `--secure-port=${schedPort}`,
            '--leader-elect=false',
            '--v=1',
          ],
          path.join(logs, 'kube-scheduler.log'),
        ),
      );
      processes.push(
        startProcess(
          'kwok',
          tools.kwok,
          [
            `--kubeconfig=${kubeconfigPath}`,
            ...tools.kwokStages.map((s) => `--config=${s}`),
            `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
            `--server-address=127.0.0.1:${kwokPort}`,
            '--node-ip=10.250.0.1',
            '--cidr=10.244.0.0/16',
          ],
          path.join(logs, 'kwok.log'),
        ),
      );
    }

    await new Promise((r) => setTimeout(r, 1_000));
    const dead = processes.filter((p) => p.exited());
    if (dead.length > 0) {
      throw new Error(
        dead.map((p) => `${p.name} ${p.exited()}:\n${logTail(p)}`).join('\n') || 'a component died',
      );
    }

    return {
      server,
      kubeconfigPath,
      kubeConfig,
      certs,
      dataDir,
      processes,
      adopt: (p) => processes.push(p),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Nodes carrying this annotation are kwok's to run (its documented selector). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
