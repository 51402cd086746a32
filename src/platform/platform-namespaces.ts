import { Chart } from 'cdk8s';
import type { TenantFlow } from '../../constructs/platform/platform-namespace-isolation';
import { REGISTRY_NAMESPACE } from '@agentic-platform/agent-registry/constants';
import { ISTIO, KAGENT_PODS, KUBERNETES_NAMESPACES, PORTS } from '../model/conventions';
import type { EnvironmentShared } from '../model/types';
import { synthChart } from '../synth/chart-objects';
import { addAddons } from './addons';
import { addPlatformFolders } from './platform-manifests';

/**
 * Pod ports the API server calls in each platform namespace: the webhook Services of the
 * rendered charts, resolved to their pods' container ports. Kyverno registers its webhooks at
 * run time on `kyverno-svc` (443 → 9443). Synth renders no chart, so the table is written by
 * hand; `npm run render:addons` (src/render/webhook-ports.ts) derives the same ports from the
 * rendered objects and fails when a namespace's allow-api-server admits any other set.
 */
export const API_SERVER_PORTS: Readonly<Record<string, readonly number[]>> = {
  // cert-manager v1.21.1: cert-manager-webhook, containerPort https 10250.
  'cert-manager': [10250],
  // cloudnative-pg 0.29.0: cnpg-webhook-service → webhook-server 9443.
  'cnpg-system': [9443],
  // external-secrets 2.9.0: external-secrets-webhook → webhook 10250.
  'external-secrets': [10250],
  // istiod 1.30.3: istiod Service 443 → https-webhooks 15017.
  'istio-system': [15017],
  // kyverno 3.9.0: admission and cleanup controllers, https 9443.
  kyverno: [9443],
  // the ClickHouse operator (Langfuse's namespace): webhook-server 9443.
  langfuse: [9443],
  // kube-prometheus-stack 88.5.3: the operator's admission webhook, https 10250.
  monitoring: [10250],
};

/**
 * Every namespace the platform runs its own pods in: the destination of each add-on
 * ApplicationSet and platform-folder Application the environment enables, and the registry's.
 * Read from the same Applications `bootstrap/` holds, so a new add-on is covered by adding it.
 */
export function platformNamespaces(env: EnvironmentShared): string[] {
  const objects = synthChart((app) => {
    const chart = new Chart(app, `platform-namespaces-${env.name}`, {
      disableResourceNameHashes: true,
    });
    addAddons(chart, env);
    addPlatformFolders(chart, env);
    return chart;
  });
  const out = new Set<string>([REGISTRY_NAMESPACE]);
  type Destined = {
    kind: string;
    spec?: { destination?: { namespace?: unknown }; template?: Destined };
  };
  for (const o of objects as unknown as Destined[]) {
    const ns =
      o.kind === 'ApplicationSet'
        ? o.spec?.template?.spec?.destination?.namespace
        : o.kind === 'Application'
          ? o.spec?.destination?.namespace
          : undefined;
    if (typeof ns === 'string' && !ns.includes('{{') && !KUBERNETES_NAMESPACES.has(ns)) out.add(ns);
  }
  const tenants = new Set(env.tenantFacts.namespaces);
  return [...out].filter((n) => !tenants.has(n)).sort();
}

/**
 * What tenant pods may open into platform namespaces, by namespace: the same flows the tenant
 * NetworkPolicies' egress permits (constructs/tenant/tenant-network-policies.ts, fed from the
 * same environment model). `platform-namespace-default-deny` checks that the two sides agree.
 */
export function tenantPlatformFlows(env: EnvironmentShared): Map<string, TenantFlow[]> {
  const flows = new Map<string, TenantFlow[]>();
  const add = (ns: string, f: TenantFlow) => flows.set(ns, [...(flows.get(ns) ?? []), f]);
  // allow-gateway: every tenant pod, to the proxy pods' in-cluster listener only (agents call
  // models and tools through it); the controller's xDS port stays closed to tenants.
  add(env.gateway.namespace, {
    name: 'gateway',
    toPods: env.gateway.proxyPods,
    ports: [env.gateway.internalPort],
  });
  // allow-kagent: the tenants' agent pods, to the controller API only.
  if (env.tenantFacts.anyAgents) {
    add(env.kagentNamespace, {
      name: 'kagent-agents',
      toPods: KAGENT_PODS.controller,
      fromPods: {
        matchLabels: { ...KAGENT_PODS.agent },
        matchExpressions: [{ key: KAGENT_PODS.agentNameLabel, operator: 'Exists' }],
      },
      ports: [PORTS.kagentController],
    });
  }
  // allow-waypoint-istiod: each tenant's waypoint pods, to istiod's XDS and CA port only.
  const waypoints = env.tenantFacts.waypoints;
  if (waypoints.length > 0) {
    add(ISTIO.namespace, {
      name: 'waypoints',
      toPods: ISTIO.istiodPods,
      fromPods: {
        matchExpressions: [{ key: ISTIO.gatewayNameLabel, operator: 'In', values: [...waypoints] }],
      },
      ports: [ISTIO.xdsPort],
    });
  }
  // allow-telemetry: OTLP to the collector's namespace.
  add(env.telemetry.namespace, {
    name: 'telemetry',
    ports: [env.telemetry.otlpGrpcPort, env.telemetry.otlpHttpPort],
  });
  return flows;
}
