import { readdirSync, statSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { AdmissionregistrationV1Api } from '@kubernetes/client-node';
import { readDirectory } from './argo-plan';
import { StrictApplyApi } from './apply';
import type { ControlPlane } from './control-plane';
import { waitForCrds } from './crds';
import { freePort, logTail, startProcess, waitFor } from './processes';
import type { ClusterTools } from './tools';

/**
 * GET /health/readiness on the webhook port. The certificate is Kyverno's self-signed one,
 * issued for 127.0.0.1; the API server verifies it with the CA bundle Kyverno registers.
 */
function ready(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: '/health/readiness',
        rejectUnauthorized: false,
        timeout: 2_000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Kyverno's namespace and the names its chart gives the two controllers. */
export const KYVERNO = {
  namespace: 'kyverno',
  admission: 'kyverno-admission-controller',
  background: 'kyverno-background-controller',
  service: 'kyverno-svc',
} as const;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return yamlFiles(full).map((f) => path.join(name, f));
      return name.endsWith('.yaml') ? [name] : [];
    });
}

/** Kyverno's own CRDs at the controllers' version (UpdateRequest, PolicyException, ...). */
export async function installKyvernoCrds(cp: ControlPlane, tools: ClusterTools): Promise<number> {
  const api = StrictApplyApi.makeApiClient(cp.kubeConfig);
  const names: string[] = [];
  for (const file of yamlFiles(tools.kyvernoCrdDir)) {
    for (const { object } of readDirectory(tools.kyvernoCrdDir, path.dirname(file), {
      recurse: false,
      include: path.basename(file),
    })) {
      await api.apply(object as never, 'cluster-suite');
      names.push(object.metadata.name);
    }
  }
  await waitForCrds(cp.kubeConfig, names);
  return names.length;
}

/**
 * Runs Kyverno's admission controller and background controller as processes beside the API
 * server, the way Kyverno supports running out of cluster: `--serverIP` makes the admission
 * controller register its webhooks as `https://<serverIP>/...` URLs (instead of the in-cluster
 * Service) and issue its serving certificate for that IP; both controllers talk to the API
 * server through `--kubeconfig`. They live and die with the control plane.
 */
export async function startKyverno(cp: ControlPlane, tools: ClusterTools): Promise<void> {
  const api = StrictApplyApi.makeApiClient(cp.kubeConfig);
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: KYVERNO.namespace } },
    'cluster-suite',
  );
  // The chart's configuration (resource filters, webhook selector, UpdateRequest threshold),
  // rendered from the pinned chart: the controllers read it from these ConfigMaps.
  for (const { object } of readDirectory(path.join(__dirname, '..'), 'vendor', {
    recurse: false,
    include: 'kyverno-config.yaml',
  })) {
    await api.apply(object as never, 'cluster-suite');
  }
  const webhookPort = await freePort();
  const logs = path.join(cp.dataDir, 'logs');
  const common = async () => [
    `--kubeconfig=${cp.kubeconfigPath}`,
    // The Prometheus endpoint starts even with metrics export off; keep it off shared ports.
    '--metricsHost=127.0.0.1',
    `--metricsPort=${await freePort()}`,
    '--disableMetrics=true',
    '--controllerRuntimeMetricsAddress=0',
    '--autoMemLimitEnabled=false',
    '--loggingFormat=text',
    '--v=2',
  ];
  const env = (name: string) => ({
    KYVERNO_NAMESPACE: KYVERNO.namespace,
    KYVERNO_SVC: KYVERNO.service,
    KYVERNO_DEPLOYMENT: name,
    KYVERNO_POD_NAME: `${name}-out-of-cluster`,
    KYVERNO_SERVICEACCOUNT_NAME: name,
    INIT_CONFIG: 'kyverno',
    METRICS_CONFIG: 'kyverno-metrics',
  });
  const admission = startProcess(
    KYVERNO.admission,
    tools.kyvernoAdmissionController,
    [
      ...(await common()),
      `--serverIP=127.0.0.1:${webhookPort}`,
      '--webhookServerHost=127.0.0.1',
      `--webhookServerPort=${webhookPort}`,
      `--caSecretName=${KYVERNO.service}.${KYVERNO.namespace}.svc.kyverno-tls-ca`,
      `--tlsSecretName=${KYVERNO.service}.${KYVERNO.namespace}.svc.kyverno-tls-pair`,
      `--backgroundServiceAccountName=system:serviceaccount:${KYVERNO.namespace}:${KYVERNO.background}`,
      // Reports need the reports controller; the suite reads effects, not reports.
      '--admissionReports=false',
    ],
    path.join(logs, `${KYVERNO.admission}.log`),
    env(KYVERNO.admission),
  );
  cp.adopt(admission);
  const background = startProcess(
    KYVERNO.background,
    tools.kyvernoBackgroundController,
    await common(),
    path.join(logs, `${KYVERNO.background}.log`),
    env(KYVERNO.background),
  );
  cp.adopt(background);

  const admissionApi = cp.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  await waitFor(
    'Kyverno to serve its webhooks and register them',
    async () => {
      // The webhook configurations appear before the serving certificate exists; the
      // readiness endpoint answers only once the server has it.
      if (!(await ready(webhookPort))) return false;
      const list = await admissionApi.listValidatingWebhookConfiguration();
      return list.items.some((w) =>
        (w.webhooks ?? []).some((h) =>
          h.clientConfig.url?.startsWith(`https://127.0.0.1:${webhookPort}/`),
        ),
      );
    },
    240_000,
    () =>
      `${KYVERNO.admission} ${admission.exited() ?? 'running'}:\n${logTail(admission)}\n${KYVERNO.background} ${background.exited() ?? 'running'}:\n${logTail(background)}`,
    250,
    () => (admission.exited() || background.exited() ? 'a Kyverno controller exited' : undefined),
  );
}
