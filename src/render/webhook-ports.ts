import type { RenderFinding } from './check-rendered';
import type { RenderedObject } from './helm';
import type { SyncUnit } from './bring-up-order';

/** The NetworkPolicy that admits the API server into a platform namespace (PlatformNamespaceIsolation). */
export const API_SERVER_POLICY = 'allow-api-server';

/** One Service port the Kubernetes API server calls, and who makes it call there. */
export interface ApiServerCall {
  readonly unit: string;
  /** `Kind/name` of the webhook configuration, CRD, APIService or registering Deployment. */
  readonly resource: string;
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
}

/** A call resolved through its Service to the pod port it reaches (what a NetworkPolicy sees). */
export interface ResolvedCall extends ApiServerCall {
  /** The pod port; undefined when the Service or its named target port does not resolve. */
  readonly podPort?: number;
  /** Why it does not resolve. */
  readonly unresolved?: string;
}

interface ServiceRef {
  readonly namespace?: string;
  readonly name?: string;
  readonly port?: number;
}
interface ClientConfig {
  readonly service?: ServiceRef;
}
interface ServicePort {
  readonly port: number;
  readonly targetPort?: number | string;
}
interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
}
interface Container {
  readonly args?: readonly string[];
  readonly ports?: readonly ContainerPort[];
}
interface PodTemplate {
  readonly metadata?: { readonly labels?: Record<string, string> };
  readonly spec?: { readonly containers?: readonly Container[] };
}

const spec = (o: RenderedObject) => (o.spec ?? {}) as Record<string, unknown>;
const podTemplate = (o: RenderedObject) =>
  (spec(o).template as PodTemplate | undefined) ??
  (spec(o).jobTemplate as { spec?: { template?: PodTemplate } } | undefined)?.spec?.template;

/**
 * Kyverno's controllers register their webhooks at run time, not in the chart's output: each
 * on the Service named by its `--tlsSecretName=<service>.<namespace>.svc.kyverno-tls-pair` and
 * the port of `--servicePort` (kyverno 3.9.0 templates/admission-controller/deployment.yaml
 * and cleanup-controller/deployment.yaml).
 */
function runtimeRegistrations(unit: SyncUnit, o: RenderedObject): ApiServerCall[] {
  const out: ApiServerCall[] = [];
  for (const c of podTemplate(o)?.spec?.containers ?? []) {
    const arg = (flag: string) =>
      (c.args ?? []).find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
    const port = arg('servicePort');
    const tls = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.kyverno-tls-pair$/.exec(
      arg('tlsSecretName') ?? '',
    );
    if (port === undefined || !tls) continue;
    out.push({
      unit: unit.name,
      resource: `${o.kind}/${o.metadata.name}`,
      namespace: tls[2]!,
      service: tls[1]!,
      port: Number(port),
    });
  }
  return out;
}

/**
 * Every Service port the API server calls, from the rendered objects: admission webhooks
 * (Validating/MutatingWebhookConfiguration), CRD conversion webhooks, aggregated APIs
 * (APIService) and the webhooks Kyverno registers at run time. A webhook by URL calls no
 * Service of the cluster and is not listed.
 */
export function apiServerCalls(units: readonly SyncUnit[]): ApiServerCall[] {
  const out: ApiServerCall[] = [];
  for (const u of units)
    for (const o of u.objects) {
      const resource = `${o.kind}/${o.metadata.name}`;
      const add = (s: ServiceRef | undefined) => {
        if (!s?.name) return;
        out.push({
          unit: u.name,
          resource,
          namespace: s.namespace ?? u.namespace,
          service: s.name,
          // The API server's default: admissionregistration/v1, apiextensions/v1, apiregistration/v1.
          port: s.port ?? 443,
        });
      };
      if (o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration')
        for (const w of (o.webhooks ?? []) as { clientConfig?: ClientConfig }[])
          add(w.clientConfig?.service);
      else if (o.kind === 'CustomResourceDefinition') {
        const conversion = spec(o).conversion as
          { strategy?: string; webhook?: { clientConfig?: ClientConfig } } | undefined;
        if (conversion?.strategy === 'Webhook') add(conversion.webhook?.clientConfig?.service);
      } else if (o.kind === 'APIService') add(spec(o).service as ServiceRef | undefined);
      else out.push(...runtimeRegistrations(u, o));
    }
  return out;
}

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Each call followed to its Service, the Service port's targetPort, and the pod port it names. */
export function resolveCalls(units: readonly SyncUnit[]): ResolvedCall[] {
  const objects = units.flatMap((u) =>
    u.objects.map((o) => ({ o, namespace: o.metadata.namespace ?? u.namespace })),
  );
  return apiServerCalls(units).map((call): ResolvedCall => {
    const svc = objects.find(
      (x) =>
        x.o.kind === 'Service' &&
        x.o.metadata.name === call.service &&
        x.namespace === call.namespace,
    )?.o;
    const where = `Service ${call.namespace}/${call.service}`;
    if (!svc) return { ...call, unresolved: `${where} is not among the rendered objects` };
    const ports = (spec(svc).ports ?? []) as ServicePort[];
    const sp = ports.find((p) => p.port === call.port);
    if (!sp)
      return {
        ...call,
        unresolved: `${where} has no port ${call.port} (it has ${ports.map((p) => p.port).join(', ') || 'none'})`,
      };
    const target = sp.targetPort ?? sp.port;
    if (typeof target === 'number') return { ...call, podPort: target };
    if (/^\d+$/.test(target)) return { ...call, podPort: Number(target) };
    const selector = (spec(svc).selector ?? {}) as Record<string, string>;
    const named = objects
      .filter((x) => x.namespace === call.namespace)
      .map((x) => podTemplate(x.o))
      .filter((t) => t !== undefined && selects(selector, t.metadata?.labels ?? {}))
      .flatMap((t) => (t!.spec?.containers ?? []).flatMap((c) => c.ports ?? []))
      .find((p) => p.name === target);
    return named
      ? { ...call, podPort: named.containerPort }
      : {
          ...call,
          unresolved: `${where} port ${call.port} targets "${target}", which no container port of the pods it selects is named`,
        };
  });
}

interface PolicyRule {
  readonly from?: readonly { readonly ipBlock?: { readonly cidr?: string } }[];
  readonly ports?: readonly { readonly port?: number | string }[];
}

/**
 * The API server's webhook ports against the platform namespaces' `allow-api-server`
 * NetworkPolicies (dist/<env>/platform/network-isolation): in every namespace that denies
 * ingress by default, the policy admits exactly the pod ports the rendered webhooks resolve
 * to. A port missing there is a webhook the API server cannot call (admission fails closed or
 * a CRD stops converting); a port listed that no webhook uses is an opening for nothing.
 */
export function checkWebhookPorts(
  environment: string,
  units: readonly SyncUnit[],
): RenderFinding[] {
  const out: RenderFinding[] = [];
  const policies = units.flatMap((u) =>
    u.objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => ({ unit: u.name, o, namespace: o.metadata.namespace ?? u.namespace })),
  );
  const isolated = new Set(
    policies
      .filter((p) => {
        const s = spec(p.o);
        const selector = (s.podSelector ?? {}) as Record<string, unknown>;
        return (
          Object.keys(selector).length === 0 &&
          ((s.policyTypes ?? []) as string[]).includes('Ingress') &&
          ((s.ingress ?? []) as unknown[]).length === 0
        );
      })
      .map((p) => p.namespace),
  );
  const admitted = new Map<string, { unit: string; ports: Set<number> }>();
  for (const p of policies) {
    if (p.o.metadata.name !== API_SERVER_POLICY) continue;
    const ports = new Set<number>();
    for (const r of (spec(p.o).ingress ?? []) as PolicyRule[])
      if ((r.from ?? []).some((x) => x.ipBlock?.cidr))
        for (const x of r.ports ?? []) ports.add(Number(x.port));
    admitted.set(p.namespace, { unit: p.unit, ports });
  }
  const needed = new Map<string, Set<number>>();
  for (const c of resolveCalls(units)) {
    const finding = (message: string) =>
      out.push({
        check: 'webhook',
        environment,
        application: c.unit,
        resource: c.resource,
        message,
      });
    if (c.podPort === undefined) {
      finding(
        `makes the API server call ${c.namespace}/${c.service}:${c.port}, but ${c.unresolved}`,
      );
      continue;
    }
    needed.set(c.namespace, (needed.get(c.namespace) ?? new Set()).add(c.podPort));
    if (!isolated.has(c.namespace)) continue;
    const a = admitted.get(c.namespace);
    if (a?.ports.has(c.podPort)) continue;
    finding(
      `makes the API server call Service ${c.namespace}/${c.service} port ${c.port} (pod port ${c.podPort}), but ${
        a
          ? `NetworkPolicy ${c.namespace}/${API_SERVER_POLICY} admits only ${[...a.ports].sort((x, y) => x - y).join(', ') || 'no port'}`
          : `namespace ${c.namespace} denies ingress by default and has no ${API_SERVER_POLICY} NetworkPolicy`
      }: add ${c.podPort} to API_SERVER_PORTS['${c.namespace}'] in src/platform/platform-namespaces.ts`,
    );
  }
  for (const [ns, a] of [...admitted].sort(([x], [y]) => x.localeCompare(y))) {
    const unused = [...a.ports].filter((p) => !needed.get(ns)?.has(p)).sort((x, y) => x - y);
    if (unused.length === 0) continue;
    out.push({
      check: 'webhook',
      environment,
      application: a.unit,
      resource: `NetworkPolicy/${ns}/${API_SERVER_POLICY}`,
      message: `admits the API server on ${unused.join(', ')}, which no rendered webhook of namespace ${ns} resolves to (they resolve to ${[...(needed.get(ns) ?? [])].sort((x, y) => x - y).join(', ') || 'nothing'}): remove it from API_SERVER_PORTS['${ns}'] in src/platform/platform-namespaces.ts`,
    });
  }
  return out;
}
