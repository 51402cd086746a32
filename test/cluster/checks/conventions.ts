import type { KubeConfig } from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  NODE_GROUPS,
  PORTS,
  SANDBOX_RUNTIME_CLASS,
} from '../../../src/model/conventions';
import type { EnvironmentModel } from '../../../src/model/types';
import {
  APP_PROTOCOL,
  CONVENTION_POLICIES,
  EXPOSED_ROUTE_PREFIX,
  KAGENT_AGENT,
  TRACE_ENV,
} from '../../../src/policy/conventions';
import { StrictApplyApi, describeError } from '../harness/apply';
import { waitFor } from '../harness/processes';
import { restrictedPod } from './admission';
import { KAGENT_RUNTIME_IMAGE } from './workloads';
import type { CheckResult } from './result';

type Obj = Record<string, any>;

function kagentPod(ns: string, agent: string): Obj {
  const pod = restrictedPod(ns, `${agent}-convention`);
  pod.metadata.labels = {
    [KAGENT_AGENT.appLabel]: KAGENT_AGENT.appValue,
    [KAGENT_AGENT.agentLabel]: agent,
  };
  pod.spec.containers[0].name = KAGENT_AGENT.container;
  pod.spec.containers[0].image = KAGENT_RUNTIME_IMAGE;
  return pod;
}

function agentService(ns: string, name: string, expose: boolean): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ns,
      labels: { [KAGENT_AGENT.appLabel]: KAGENT_AGENT.appValue, [KAGENT_AGENT.agentLabel]: name },
      ...(expose ? { annotations: { [ANNOTATIONS.expose]: 'true' } } : {}),
    },
    spec: {
      selector: { [KAGENT_AGENT.appLabel]: KAGENT_AGENT.appValue, [KAGENT_AGENT.agentLabel]: name },
      ports: [
        { name: KAGENT_AGENT.servicePort, port: PORTS.a2a, protocol: 'TCP', targetPort: PORTS.a2a },
      ],
    },
  };
}

/** `key=value:effect` tolerations of a pod, for messages. */
function tolerations(pod: Obj): string {
  return JSON.stringify(
    (pod.spec?.tolerations ?? []).map((t: Obj) => `${t.key}=${t.value ?? ''}:${t.effect ?? ''}`),
  );
}

/**
 * The Kyverno conventions as the running admission and background controllers apply them: a
 * pod created in each tenant namespace comes out on its node group (selector, toleration,
 * gVisor for the dedicated tier), an agent pod gets the trace-propagation env, an agent Service
 * gets the A2A appProtocol, an annotated agent Service gets its generated HTTPRoute, and a
 * platform pod that chose no node group is sent to the platform nodes.
 */
export async function conventionEffects(
  kc: KubeConfig,
  env: EnvironmentModel,
  platformNamespace: string,
): Promise<CheckResult> {
  const api = StrictApplyApi.makeApiClient(kc);
  const failures: string[] = [];
  const lines: string[] = [];
  let cases = 0;
  const check = (policy: string, what: string, problem: string | undefined) => {
    cases++;
    if (problem) failures.push(`convention ${policy}: ${what}: ${problem}`);
    lines.push(`${problem ? 'FAIL' : 'ok  '} ${policy}: ${what}${problem ? `: ${problem}` : ''}`);
  };
  const admit = async (policy: string, what: string, o: Obj): Promise<Obj | undefined> => {
    try {
      return await api.createRaw(o as never, true);
    } catch (err) {
      check(policy, what, `refused at admission: ${describeError(err).message}`);
      return undefined;
    }
  };

  for (const tenant of env.tenants) {
    const ns = tenant.namespace;
    const dedicated = tenant.scheduling.runtimeClassName !== undefined;
    const policy = dedicated
      ? CONVENTION_POLICIES.tenantSchedulingDedicated
      : CONVENTION_POLICIES.tenantScheduling;
    const group = tenant.scheduling.nodeSelector.workload as keyof typeof NODE_GROUPS;
    const taint = NODE_GROUPS[group].taint;
    const what = `Pod ${ns}/triage-convention (${tenant.isolation} tier)`;
    const pod = await admit(policy, what, kagentPod(ns, 'triage'));
    if (pod) {
      const problems: string[] = [];
      if (pod.spec?.nodeSelector?.workload !== group) {
        problems.push(
          `nodeSelector ${JSON.stringify(pod.spec?.nodeSelector ?? {})}, expected workload=${group}`,
        );
      }
      const tolerates = (pod.spec?.tolerations ?? []).some(
        (t: Obj) => t.key === taint.key && t.value === taint.value && t.effect === taint.effect,
      );
      if (!tolerates) {
        problems.push(
          `tolerations ${tolerations(pod)}, expected ${taint.key}=${taint.value}:${taint.effect}`,
        );
      }
      if (dedicated && pod.spec?.runtimeClassName !== SANDBOX_RUNTIME_CLASS) {
        problems.push(
          `runtimeClassName ${JSON.stringify(pod.spec?.runtimeClassName)}, expected ${SANDBOX_RUNTIME_CLASS}`,
        );
      }
      if (!dedicated && pod.spec?.runtimeClassName !== undefined) {
        problems.push(`runtimeClassName ${pod.spec.runtimeClassName}, expected none (shared tier)`);
      }
      check(policy, what, problems.join('; ') || undefined);

      const envVars = new Map<string, string>(
        (pod.spec?.containers?.[0]?.env ?? []).map((e: Obj) => [e.name, e.value]),
      );
      const want: Record<string, string> = {
        [TRACE_ENV.otlpEndpoint]: env.telemetry.otlpGrpcEndpoint,
        [TRACE_ENV.propagators]: TRACE_ENV.propagatorsValue,
        [TRACE_ENV.disableAiohttp]: TRACE_ENV.disableAiohttpValue,
      };
      const missing = Object.entries(want)
        .filter(([k, v]) => envVars.get(k) !== v)
        .map(([k, v]) => `${k}=${JSON.stringify(envVars.get(k))} (expected ${v})`);
      check(
        CONVENTION_POLICIES.tracePropagation,
        `Pod ${ns}/triage-convention container kagent`,
        missing.length ? `env ${missing.join(', ')}` : undefined,
      );
    }

    const svc = await admit(
      CONVENTION_POLICIES.a2aAppProtocol,
      `Service ${ns}/triage-convention`,
      agentService(ns, 'triage-convention', false),
    );
    if (svc) {
      const http = (svc.spec?.ports ?? []).find((p: Obj) => p.name === KAGENT_AGENT.servicePort);
      check(
        CONVENTION_POLICIES.a2aAppProtocol,
        `Service ${ns}/triage-convention port http`,
        http?.appProtocol === APP_PROTOCOL.a2a
          ? undefined
          : `appProtocol ${JSON.stringify(http?.appProtocol)}, expected ${APP_PROTOCOL.a2a}`,
      );
    }

    // Generation runs in the background controller: a real Service, then its route appears.
    const exposed = agentService(ns, 'exposed-convention', true);
    const routeName = `${EXPOSED_ROUTE_PREFIX}-a2a-exposed-convention`;
    const what2 = `Service ${ns}/exposed-convention annotated ${ANNOTATIONS.expose}=true`;
    try {
      await api.createRaw(exposed as never);
      let route: Obj | undefined;
      await waitFor(
        `HTTPRoute ${ns}/${routeName}`,
        async () => {
          route = await api.getRaw({
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            metadata: { name: routeName, namespace: ns },
          });
          return route !== undefined;
        },
        60_000,
      ).catch(() => undefined);
      const path = route?.spec?.rules?.[0]?.matches?.[0]?.path?.value;
      const backend = route?.spec?.rules?.[0]?.backendRefs?.[0];
      check(
        CONVENTION_POLICIES.autoExpose,
        what2,
        !route
          ? `no HTTPRoute ${routeName} within 60 s`
          : path !== `/a2a/${ns}/exposed-convention` || backend?.name !== 'exposed-convention'
            ? `HTTPRoute ${routeName} path ${path} backend ${backend?.name}, expected /a2a/${ns}/exposed-convention → exposed-convention`
            : undefined,
      );
    } catch (err) {
      check(
        CONVENTION_POLICIES.autoExpose,
        what2,
        `refused at admission: ${describeError(err).message}`,
      );
    } finally {
      await api.deleteRaw(exposed as never);
    }
  }

  const platformPod = restrictedPod(platformNamespace, 'platform-convention');
  const admitted = await admit(
    CONVENTION_POLICIES.platformScheduling,
    `Pod ${platformNamespace}/platform-convention`,
    platformPod,
  );
  if (admitted) {
    const t = NODE_GROUPS.platform.taint;
    const ok =
      admitted.spec?.nodeSelector?.workload === 'platform' &&
      (admitted.spec?.tolerations ?? []).some(
        (x: Obj) => x.key === t.key && x.value === t.value && x.effect === t.effect,
      );
    check(
      CONVENTION_POLICIES.platformScheduling,
      `Pod ${platformNamespace}/platform-convention`,
      ok
        ? undefined
        : `nodeSelector ${JSON.stringify(admitted.spec?.nodeSelector ?? {})} tolerations ${tolerations(admitted)}, expected workload=platform and its toleration`,
    );
  }
  return { name: 'conventions', cases, failures, report: lines.join('\n') };
}
