import type { Manifest } from '../harness/argo-plan';
import { PORTS } from '../../../src/model/conventions';
import { KAGENT_AGENT } from '../../../src/policy/conventions';

/** kagent's agent runtime image at the chart version the platform pins (kagent 0.9.12). */
export const KAGENT_RUNTIME_IMAGE = 'ghcr.io/kagent-dev/kagent/app:0.9.12';

type Obj = Record<string, any>;

/**
 * The pod kagent's controller runs for a declarative Agent: labels `app=kagent`,
 * `kagent=<agent>`, runtime container `kagent` serving A2A on 8080 (the shapes
 * test/kyverno/ documents for kagent v0.9.12), with the pod-level fields the Agent's
 * `spec.declarative.deployment` sets. A bare Pod, not a Deployment: kagent's own Deployment
 * shape is not reproduced here, so only the pod-level controls are judged on it.
 */
export function agentPod(agent: Obj, name = `${agent.metadata.name}-cluster-suite`): Obj {
  const d = agent.spec?.declarative?.deployment ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: agent.metadata.namespace,
      labels: {
        [KAGENT_AGENT.appLabel]: KAGENT_AGENT.appValue,
        [KAGENT_AGENT.agentLabel]: agent.metadata.name,
      },
    },
    spec: {
      ...(d.serviceAccountName ? { serviceAccountName: d.serviceAccountName } : {}),
      automountServiceAccountToken: false,
      ...(d.podSecurityContext ? { securityContext: d.podSecurityContext } : {}),
      ...(d.nodeSelector ? { nodeSelector: d.nodeSelector } : {}),
      ...(d.tolerations ? { tolerations: d.tolerations } : {}),
      containers: [
        {
          name: KAGENT_AGENT.container,
          image: KAGENT_RUNTIME_IMAGE,
          ports: [{ name: KAGENT_AGENT.servicePort, containerPort: PORTS.a2a }],
          ...(d.env ? { env: d.env } : {}),
          ...(d.resources ? { resources: d.resources } : {}),
          ...(d.securityContext ? { securityContext: d.securityContext } : {}),
        },
      ],
    },
  };
}

/**
 * The pod kmcp runs for an MCPServer: labels `app.kubernetes.io/name` and
 * `app.kubernetes.io/instance` = the server (what kmcp's Service selects, see
 * test/kyverno/auto-expose), the server's image, port and pod-level fields.
 */
export function mcpServerPod(server: Obj, name = `${server.metadata.name}-cluster-suite`): Obj {
  const d = server.spec?.deployment ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: server.metadata.namespace,
      labels: {
        'app.kubernetes.io/name': server.metadata.name,
        'app.kubernetes.io/instance': server.metadata.name,
      },
    },
    spec: {
      ...(d.serviceAccountName ? { serviceAccountName: d.serviceAccountName } : {}),
      automountServiceAccountToken: false,
      ...(d.podSecurityContext ? { securityContext: d.podSecurityContext } : {}),
      ...(d.nodeSelector ? { nodeSelector: d.nodeSelector } : {}),
      ...(d.tolerations ? { tolerations: d.tolerations } : {}),
      containers: [
        {
          name: 'mcp-server',
          image: d.image,
          ...(d.port ? { ports: [{ name: 'http', containerPort: d.port }] } : {}),
          ...(d.env ? { env: d.env } : {}),
          ...(d.resources ? { resources: d.resources } : {}),
          ...(d.securityContext ? { securityContext: d.securityContext } : {}),
        },
      ],
    },
  };
}

/** Every Agent and MCPServer of the applied manifests, as the pods their controllers run. */
export function tenantPods(manifests: readonly Manifest[]): { source: string; pod: Obj }[] {
  const out: { source: string; pod: Obj }[] = [];
  for (const { object, file } of manifests) {
    if (object.apiVersion?.startsWith('kagent.dev/') && object.kind === 'Agent') {
      if (object.spec?.type === 'Declarative') out.push({ source: file, pod: agentPod(object) });
    } else if (object.apiVersion?.startsWith('kagent.dev/') && object.kind === 'MCPServer') {
      out.push({ source: file, pod: mcpServerPod(object) });
    }
  }
  return out;
}
