import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RenderFinding } from './check-rendered';
import { databaseNeed, databaseProvisions, databaseUses } from './database-chain';
import type { RenderedObject } from './helm';
import type { RenderedEnvironment } from './render-addons';

/** Something Argo CD syncs as a unit, with the wave the root Application orders it by. */
export interface SyncUnit {
  readonly name: string;
  readonly wave: number;
  readonly namespace: string;
  readonly objects: readonly RenderedObject[];
}

/** One prerequisite: `consumer` needs what `producer` creates. */
export interface Dependency {
  readonly consumer: string;
  readonly producer: string;
  /** `Kind/name` in the consumer that needs it. */
  readonly resource: string;
  /** What is needed, e.g. `CRD monitoring.coreos.com/ServiceMonitor`, `Secret kagent/kagent-db-app`. */
  readonly needs: string;
}

/**
 * The sync units of an environment: every rendered add-on Application, and every plain
 * Application of dist/<env>/bootstrap with the manifests of the folder it syncs.
 */
export function syncUnits(root: string, env: RenderedEnvironment): SyncUnit[] {
  const units: SyncUnit[] = env.applications.map((a) => ({
    name: a.app.name,
    wave: a.app.wave,
    namespace: a.app.namespace,
    objects: a.objects,
  }));
  const bootstrap = path.join(root, 'dist', env.name, 'bootstrap');
  for (const file of readdirSync(bootstrap).sort()) {
    if (!file.startsWith('application-')) continue;
    const app = parseAllDocuments(readFileSync(path.join(bootstrap, file), 'utf8'))[0]!.toJS() as {
      metadata: { name: string; annotations?: Record<string, string> };
      spec: {
        source: { path: string; directory?: { recurse?: boolean } };
        destination: { namespace: string };
      };
    };
    const folder = path.join(root, app.spec.source.path);
    // The root Application itself syncs the bootstrap folder: its children are the units.
    if (path.resolve(folder) === path.resolve(bootstrap) || !existsSync(folder)) continue;
    units.push({
      name: app.metadata.name,
      wave: Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0'),
      namespace: app.spec.destination.namespace,
      objects: yamlFiles(folder, app.spec.source.directory?.recurse ?? false).flatMap((f) =>
        parseAllDocuments(readFileSync(f, 'utf8'))
          .map((d) => d.toJS() as RenderedObject)
          .filter(Boolean),
      ),
    });
  }
  return units;
}

function yamlFiles(dir: string, recurse: boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (recurse) out.push(...yamlFiles(full, true));
    } else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/** Secrets an object's pods read: env, envFrom, volumes, projected volumes, pull secrets. */
function secretsUsed(o: RenderedObject): string[] {
  const spec = o.spec as Record<string, unknown> | undefined;
  const pod = ((spec?.template as { spec?: unknown } | undefined)?.spec ??
    (spec?.jobTemplate as { spec?: { template?: { spec?: unknown } } } | undefined)?.spec?.template
      ?.spec) as Record<string, unknown> | undefined;
  if (!pod) return [];
  const out: string[] = [];
  const containers = [
    ...((pod.containers as Record<string, unknown>[] | undefined) ?? []),
    ...((pod.initContainers as Record<string, unknown>[] | undefined) ?? []),
  ];
  for (const c of containers) {
    for (const e of (c.env as
      { valueFrom?: { secretKeyRef?: { name: string; optional?: boolean } } }[] | undefined) ?? [])
      if (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional)
        out.push(e.valueFrom.secretKeyRef.name);
    for (const e of (c.envFrom as
      { secretRef?: { name: string; optional?: boolean } }[] | undefined) ?? [])
      if (e.secretRef && !e.secretRef.optional) out.push(e.secretRef.name);
  }
  for (const v of (pod.volumes as Record<string, unknown>[] | undefined) ?? []) {
    const s = v.secret as { secretName?: string; optional?: boolean } | undefined;
    if (s?.secretName && !s.optional) out.push(s.secretName);
    const projected = v.projected as
      { sources?: { secret?: { name: string; optional?: boolean } }[] } | undefined;
    for (const src of projected?.sources ?? [])
      if (src.secret && !src.secret.optional) out.push(src.secret.name);
  }
  return out;
}

/** Secrets an object creates (itself, or through its controller). */
function secretsProduced(o: RenderedObject, namespace: string): string[] {
  const ns = o.metadata.namespace ?? namespace;
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  switch (`${group(o.apiVersion)}/${o.kind}`) {
    case '/Secret':
      return [`${ns}/${o.metadata.name}`];
    case 'external-secrets.io/ExternalSecret':
      return [`${ns}/${(spec.target as { name?: string } | undefined)?.name ?? o.metadata.name}`];
    case 'cert-manager.io/Certificate':
      return [`${ns}/${spec.secretName as string}`];
    // CloudNativePG writes `<cluster>-app` (the application user's credentials and URI).
    case 'postgresql.cnpg.io/Cluster':
      return [`${ns}/${o.metadata.name}-app`];
    default:
      return [];
  }
}

/**
 * The prerequisites between sync units, derived from what they contain: a custom resource
 * needs the unit that installs its CRD; a pod needs the unit that creates (or makes a
 * controller create) each Secret it mounts or reads; an ExternalSecret needs its store; a
 * Certificate its issuer; a pod that connects to the environment's PostgreSQL needs the unit
 * whose bootstrap Job creates its role and database (database-chain.ts). Needs met inside the
 * same unit are not edges (Argo CD applies CRDs first, and pods wait for their Secrets within
 * one sync).
 */
export function dependencies(units: readonly SyncUnit[]): Dependency[] {
  const crdOwner = new Map<string, string>();
  const secretOwner = new Map<string, string>();
  const objectOwner = new Map<string, string>();
  for (const u of units) {
    for (const o of u.objects) {
      if (o.kind === 'CustomResourceDefinition') {
        const s = o.spec as { group: string; names: { kind: string } };
        crdOwner.set(`${s.group}/${s.names.kind}`, u.name);
      }
      for (const s of secretsProduced(o, u.namespace))
        if (!secretOwner.has(s)) secretOwner.set(s, u.name);
      objectOwner.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, u.name);
      objectOwner.set(`${o.kind}/${u.namespace}/${o.metadata.name}`, u.name);
    }
  }
  const out: Dependency[] = [];
  const seen = new Set<string>();
  const add = (d: Dependency) => {
    const key = `${d.consumer}|${d.producer}|${d.resource}|${d.needs}`;
    if (d.consumer === d.producer || seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const u of units) {
    for (const o of u.objects) {
      const resource = `${o.kind}/${o.metadata.name}`;
      const g = group(o.apiVersion);
      const crd = crdOwner.get(`${g}/${o.kind}`);
      if (g.includes('.') && crd)
        add({ consumer: u.name, producer: crd, resource, needs: `CRD ${g}/${o.kind}` });
      const ns = o.metadata.namespace ?? u.namespace;
      for (const s of secretsUsed(o)) {
        const p = secretOwner.get(`${ns}/${s}`);
        if (p) add({ consumer: u.name, producer: p, resource, needs: `Secret ${ns}/${s}` });
      }
      const spec = (o.spec ?? {}) as Record<string, unknown>;
      const store = spec.secretStoreRef as { kind?: string; name: string } | undefined;
      if (o.kind === 'ExternalSecret' && store) {
        const kind = store.kind ?? 'SecretStore';
        const p = objectOwner.get(
          kind === 'ClusterSecretStore' ? `${kind}//${store.name}` : `${kind}/${ns}/${store.name}`,
        );
        if (p) add({ consumer: u.name, producer: p, resource, needs: `${kind} ${store.name}` });
      }
      const issuer = spec.issuerRef as { kind?: string; name: string } | undefined;
      if (o.kind === 'Certificate' && issuer) {
        const kind = issuer.kind ?? 'Issuer';
        const p = objectOwner.get(
          kind === 'ClusterIssuer' ? `${kind}//${issuer.name}` : `${kind}/${ns}/${issuer.name}`,
        );
        if (p) add({ consumer: u.name, producer: p, resource, needs: `${kind} ${issuer.name}` });
      }
    }
  }
  const provisions = databaseProvisions(units);
  for (const use of databaseUses(units)) {
    const p = provisions.find((x) => x.role === use.user);
    if (p)
      add({
        consumer: use.unit,
        producer: p.unit,
        resource: use.resource,
        needs: databaseNeed(use.database, use.user),
      });
  }
  return out;
}

/** A prerequisite met late on purpose, because no order of waves can meet it in time. */
export interface LateDependency {
  readonly consumer: string;
  readonly needs: string;
  readonly why: string;
}

/**
 * The accepted late prerequisites. Each says why no wave order meets it and what happens
 * instead; one that no longer occurs is itself a finding, so the list cannot go stale.
 */
export const LATE_DEPENDENCIES: readonly LateDependency[] = [
  {
    consumer: 'kube-prometheus-stack',
    needs: 'Secret monitoring/grafana-oidc-keycloak',
    why: "the chart also carries the monitoring.coreos.com CRDs every operator's ServiceMonitor needs, so it syncs in the crds wave, while Grafana's OIDC client secret is platform configuration (an ExternalSecret behind the operators). No sync fails: only the Grafana pod waits (CreateContainerConfigError, retried by the kubelet) until external-secrets writes the Secret",
  },
];

/**
 * Every prerequisite must come from an earlier wave. The root Application moves to the next
 * wave once the current one is healthy, and an add-on ApplicationSet is healthy as soon as
 * it has generated its Application (Argo CD's ApplicationSet health check), so only an
 * earlier wave is ordered before a unit; within one wave, nothing is.
 */
export function checkBringUpOrder(
  environment: string,
  units: readonly SyncUnit[],
  late: readonly LateDependency[] = LATE_DEPENDENCIES,
): RenderFinding[] {
  const wave = new Map(units.map((u) => [u.name, u.wave]));
  const deps = dependencies(units);
  const accepted = (d: Dependency) =>
    late.some((l) => l.consumer === d.consumer && l.needs === d.needs);
  const stale = late
    .filter((l) => units.some((u) => u.name === l.consumer))
    .filter(
      (l) =>
        !deps.some(
          (d) =>
            d.consumer === l.consumer &&
            d.needs === l.needs &&
            wave.get(d.producer)! >= wave.get(d.consumer)!,
        ),
    )
    .map((l) => ({
      check: 'order' as const,
      environment,
      application: l.consumer,
      resource: '-',
      message: `is listed in LATE_DEPENDENCIES for ${l.needs}, which it no longer needs late; remove the entry`,
    }));
  return deps
    .filter((d) => wave.get(d.producer)! >= wave.get(d.consumer)! && !accepted(d))
    .map((d) => ({
      check: 'order' as const,
      environment,
      application: d.consumer,
      resource: d.resource,
      message: `needs ${d.needs} from ${d.producer} (wave ${wave.get(d.producer)}), but syncs in wave ${wave.get(d.consumer)}; the producer must sync in an earlier wave`,
    }))
    .concat(stale);
}
