import type { KubeConfig } from '@kubernetes/client-node';
import type { EnvironmentModel } from '../../../src/model/types';
import type { Manifest } from '../harness/argo-plan';
import { StrictApplyApi, describeError } from '../harness/apply';
import type { CheckResult } from './result';

type Obj = Record<string, any>;

/** A pod that passes Pod Security `restricted` as the platform's own workloads are written. */
export function restrictedPod(namespace: string, name: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'cluster-suite/case': name } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          // From an allowed registry (images-allowed-registries); kwok nodes never pull it.
          image: 'ghcr.io/example-org/cluster-suite/app:1.0.0',
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
      ],
    },
  };
}

/** A request and the admission decision the platform promises for it. */
interface AdmissionCase {
  readonly name: string;
  readonly object: Obj;
  /** `reject`: refused with a message matching `message`; `admit`: stored (or admitted, dry-run). */
  readonly expect: 'reject' | 'admit';
  readonly message?: RegExp;
  /** Checked on the admitted object (after mutation and defaulting). */
  readonly verify?: (admitted: Obj) => string | undefined;
  readonly dryRun: boolean;
}

function find(manifests: readonly Manifest[], kind: string, namespace: string): Obj | undefined {
  return manifests.find((m) => m.object.kind === kind && m.object.metadata?.namespace === namespace)
    ?.object;
}

/** Quantities as the API server writes them back; enough for cpu/memory of LimitRanges. */
function sameQuantity(a: unknown, b: unknown): boolean {
  const parse = (q: unknown): number => {
    const s = String(q);
    const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(s);
    if (!m) return Number.NaN;
    const n = Number(m[1]);
    const unit = m[2] ?? '';
    const f: Record<string, number> = {
      '': 1,
      m: 1e-3,
      k: 1e3,
      M: 1e6,
      G: 1e9,
      Ki: 1024,
      Mi: 1024 ** 2,
      Gi: 1024 ** 3,
      Ti: 1024 ** 4,
    };
    return n * (f[unit] ?? Number.NaN);
  };
  return Math.abs(parse(a) - parse(b)) < 1e-9;
}

/** The admission cases of one tenant namespace. */
function tenantCases(
  env: EnvironmentModel,
  ns: string,
  manifests: readonly Manifest[],
): AdmissionCase[] {
  const cases: AdmissionCase[] = [];
  const podSecurity = /violates PodSecurity "restricted:latest"/;
  const privileged = restrictedPod(ns, 'privileged');
  // The API server itself refuses privileged with allowPrivilegeEscalation false: drop it.
  privileged.spec.containers[0].securityContext = {
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    privileged: true,
  };
  cases.push({
    name: 'privileged container',
    object: privileged,
    expect: 'reject',
    message: podSecurity,
    dryRun: true,
  });
  const hostPath = restrictedPod(ns, 'host-path');
  hostPath.spec.volumes = [{ name: 'host', hostPath: { path: '/var/run' } }];
  hostPath.spec.containers[0].volumeMounts = [{ name: 'host', mountPath: '/host' }];
  cases.push({
    name: 'hostPath volume',
    object: hostPath,
    expect: 'reject',
    message: podSecurity,
    dryRun: true,
  });
  const root = restrictedPod(ns, 'root');
  root.spec.securityContext = { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } };
  delete root.spec.containers[0].securityContext.runAsNonRoot;
  cases.push({
    name: 'root user',
    object: root,
    expect: 'reject',
    message: podSecurity,
    dryRun: true,
  });

  const quota = find(manifests, 'ResourceQuota', ns);
  if (!quota) throw new Error(`no ResourceQuota for tenant namespace ${ns} in dist/${env.name}`);
  const cpuHard = Number(quota.spec.hard['requests.cpu']);
  const overQuota = restrictedPod(ns, 'over-quota');
  overQuota.spec.containers[0].resources = {
    requests: { cpu: String(cpuHard + 1), memory: '128Mi' },
    limits: { cpu: String(cpuHard + 1), memory: '128Mi' },
  };
  cases.push({
    name: `pod requesting ${cpuHard + 1} CPUs (quota ${cpuHard})`,
    object: overQuota,
    expect: 'reject',
    message: new RegExp(`exceeded quota: ${quota.metadata.name}.*requests\\.cpu`),
    dryRun: true,
  });

  const limits = find(manifests, 'LimitRange', ns);
  if (!limits) throw new Error(`no LimitRange for tenant namespace ${ns} in dist/${env.name}`);
  const container = limits.spec.limits.find((l: Obj) => l.type === 'Container');
  cases.push({
    name: 'pod without resources gets the LimitRange defaults',
    object: restrictedPod(ns, 'defaults'),
    expect: 'admit',
    dryRun: true,
    verify: (admitted) => {
      const r = admitted.spec?.containers?.[0]?.resources ?? {};
      const wrong: string[] = [];
      for (const [field, want] of [
        ['requests', container.defaultRequest],
        ['limits', container.default],
      ] as const) {
        for (const [res, q] of Object.entries(want ?? {})) {
          if (!sameQuantity(r[field]?.[res], q)) {
            wrong.push(
              `${field}.${res} ${JSON.stringify(r[field]?.[res])} (LimitRange ${limits.metadata.name} says ${q})`,
            );
          }
        }
      }
      return wrong.length ? `resources ${wrong.join(', ')}` : undefined;
    },
  });

  // Guardrails: Deny in staging/prod, Audit (admitted) in dev.
  const deny = env.guardrailAction === 'Deny';
  /** A tenant object of dist/ renamed and changed into one that `guardrail` refuses. */
  const guardrailCase = (
    what: string,
    guardrail: string,
    base: Obj,
    name: string,
    change: (o: Obj) => void,
    message: RegExp,
  ) => {
    const object = structuredClone(base);
    object.metadata = { name, namespace: ns };
    change(object);
    cases.push({
      name: `${what} (guardrail ${guardrail}, ${env.guardrailAction})`,
      object,
      expect: deny ? 'reject' : 'admit',
      message,
      dryRun: true,
    });
  };
  const server = find(manifests, 'MCPServer', ns);
  if (server) {
    guardrailCase(
      'MCPServer with a :latest image',
      'mcp-servers-restricted',
      server,
      'unpinned-image',
      (o) => {
        o.spec.deployment.image = String(o.spec.deployment.image).replace(/[:@].*$/, ':latest');
      },
      /mcp-servers-restricted.*version tag|version tag.*mcp-servers-restricted|MCP server image must carry a version tag/,
    );
    // kmcp copies these labels onto the server's pods: the tenant's own image would be selected
    // by allow-kagent (the kagent controller, on 8083) or allow-waypoint-istiod.
    for (const [label, value] of [
      ['kagent', 'triage'],
      ['gateway.networking.k8s.io/gateway-name', 'waypoint'],
    ] as const) {
      guardrailCase(
        `MCPServer labelling its pods ${label}`,
        'tenant-reserved-pod-labels',
        server,
        'reserved-label',
        (o) => {
          o.spec.deployment.labels = { ...o.spec.deployment.labels, [label]: value };
        },
        new RegExp(`pod label ${label.replace(/[./]/g, '\\$&')} is reserved`),
      );
    }
  }
  const agent = find(manifests, 'Agent', ns);
  if (agent) {
    // Skills give the agent a bash tool, in a pod the kagent controller trusts for X-User-Id.
    guardrailCase(
      'Agent loading skills',
      'tenant-agents-kagent-runtime',
      agent,
      'with-skills',
      (o) => {
        o.spec.skills = { refs: ['ghcr.io/example-org/cluster-suite/skills:1.0.0'] };
      },
      /must not load skills/,
    );
  }
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'unpinned-image', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'cluster-suite/case': 'unpinned-image' } },
      template: {
        metadata: { labels: { 'cluster-suite/case': 'unpinned-image' } },
        spec: { ...restrictedPod(ns, 'x').spec },
      },
    },
  };
  const c = deployment.spec.template.spec.containers[0];
  c.image = 'ghcr.io/example-org/cluster-suite/app:latest';
  c.resources = {
    requests: { cpu: '100m', memory: '64Mi' },
    limits: { cpu: '100m', memory: '64Mi' },
  };
  c.readinessProbe = { httpGet: { path: '/', port: 8080 } };
  c.livenessProbe = { httpGet: { path: '/', port: 8080 } };
  cases.push({
    name: `Deployment with a :latest image (guardrail images-pinned, ${env.guardrailAction})`,
    object: deployment,
    expect: deny ? 'reject' : 'admit',
    message: /version tag \(not latest\)/,
    dryRun: true,
  });
  const foreign = structuredClone(deployment);
  foreign.metadata.name = 'foreign-registry';
  foreign.spec.selector.matchLabels['cluster-suite/case'] = 'foreign-registry';
  foreign.spec.template.metadata.labels['cluster-suite/case'] = 'foreign-registry';
  foreign.spec.template.spec.containers[0]!.image = 'ghcr.io.evil.com/example-org/app:1.0.0';
  cases.push({
    name: `Deployment with an image from an unlisted registry (guardrail images-allowed-registries, ${env.guardrailAction})`,
    object: foreign,
    expect: deny ? 'reject' : 'admit',
    message:
      /ghcr\.io\.evil\.com\/example-org\/app is from a registry this environment does not allow/,
    dryRun: true,
  });
  return cases;
}

/**
 * Admission by the real chain (Kyverno's webhooks, Pod Security, LimitRanger, ResourceQuota)
 * for every tenant namespace: what must be refused is refused with the control's message, what
 * must be admitted is admitted as the spec says.
 */
export async function admissionCases(
  kc: KubeConfig,
  env: EnvironmentModel,
  manifests: readonly Manifest[],
): Promise<CheckResult> {
  const api = StrictApplyApi.makeApiClient(kc);
  const failures: string[] = [];
  const lines: string[] = [];
  let count = 0;
  for (const tenant of env.tenants) {
    for (const c of tenantCases(env, tenant.namespace, manifests)) {
      count++;
      const what = `${c.object.kind}/${tenant.namespace}/${c.object.metadata.name} (${c.name})`;
      try {
        const admitted = await api.createRaw(c.object as never, c.dryRun);
        if (c.expect === 'reject') {
          failures.push(
            `admission ${what}: expected rejection matching ${c.message}, observed admitted`,
          );
          lines.push(`FAIL ${what}: admitted`);
          continue;
        }
        const wrong = c.verify?.(admitted);
        if (wrong) failures.push(`admission ${what}: admitted, but ${wrong}`);
        lines.push(`${wrong ? 'FAIL' : 'ok  '} ${what}: admitted${wrong ? `, ${wrong}` : ''}`);
      } catch (err) {
        const { status, message } = describeError(err);
        if (c.expect === 'admit') {
          failures.push(`admission ${what}: expected admitted, observed ${status} ${message}`);
          lines.push(`FAIL ${what}: ${status} ${message}`);
        } else if (c.message && !c.message.test(message)) {
          failures.push(
            `admission ${what}: rejected, but not by the expected control (${c.message}): ${status} ${message}`,
          );
          lines.push(`FAIL ${what}: ${message}`);
        } else {
          lines.push(`ok   ${what}: rejected: ${message.split('\n')[0]?.slice(0, 160)}`);
        }
      }
    }
  }
  return { name: 'admission', cases: count, failures, report: lines.join('\n') };
}
