import {
  ISTIO,
  KAGENT_PODS,
  KUBERNETES_NAMESPACES,
  LABELS,
  PORTS,
  PROMETHEUS,
} from '../model/conventions';
import type { EnvironmentModel, PlatformModel } from '../model/types';
import { cidrsOverlap } from '../spec/isolation';
import { asParsed, type ManifestInput } from './parsed-manifests';
import type { Finding } from './run-check';

/**
 * Promise checks: an isolation control in `dist/<env>` is only as strong as the objects, in
 * other layers, that make it take effect. Each promise names the control, the chain that
 * enforces it, and checks that chain over the whole synthesized environment: Kubernetes
 * manifests, add-on values and the environment's Terraform JSON together. A broken chain is
 * reported on the control's file and object and names the other end (file and object).
 */

/**
 * Parsed manifests and Terraform JSON are walked structurally, field by field, with every
 * absent field handled; a typed schema for each would only restate the upstream ones.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

interface Json {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
  };
  readonly [key: string]: Loose;
}

/** One manifest of dist/<env> with where it is. */
export interface Located {
  readonly file: string;
  readonly obj: Json;
}

/** Everything a promise reads about one environment. */
export interface EnvironmentView {
  readonly env: EnvironmentModel;
  readonly objects: readonly Located[];
  /** `<env>/terraform/cdk.tf.json`, relative to dist/. */
  readonly terraformFile: string;
  /** Its parsed JSON; undefined when the file is missing (a drift finding already says so). */
  readonly terraform: Record<string, Loose> | undefined;
  /** `YYYY-MM-DD`, UTC. */
  readonly today: string;
}

/** One end of a chain: a file (relative to dist/, or a spec file) and an object in it. */
export interface End {
  readonly file: string;
  readonly resource: string;
}

export interface BrokenChain {
  readonly control: End;
  readonly enforcer: End;
  readonly message: string;
  /** `warning` for a chain that is knowingly incomplete (inert, not unsafe). */
  readonly severity?: 'error' | 'warning';
}

/**
 * A promise must be decidable tenant by tenant, because a check of 10,000 tenants checks them
 * in parts (check-units.ts): each part's view holds the platform's objects (everything of the
 * environment no one tenant owns, and its Terraform) and some tenants' own. So a finding may
 * read the platform's objects and one tenant's, never two tenants' together; a check over
 * several tenants may only find more where it would find it for one of them (the union of
 * the parts' findings is the whole view's). Identical findings are reported once.
 */
export interface IsolationPromise {
  readonly id: string;
  /**
   * Its findings are about the environment, naming one tenant's object only as where the
   * control shows (the first in file order): a check in parts keeps the part's findings
   * whose first control file comes first, so the report names the same object as a whole
   * view.
   *
   * @default false - each finding is about the objects it names
   */
  readonly environmentWide?: boolean;
  /** The control, as a tenant bundle (or the platform) declares it. */
  readonly control: string;
  /** What must hold in the other layers for the control to take effect. */
  readonly enforcedBy: string;
  readonly check: (view: EnvironmentView) => BrokenChain[];
}

const ref = (o: Located): End => ({
  file: o.file,
  resource: `${o.obj.kind}/${o.obj.metadata?.namespace ? `${o.obj.metadata.namespace}/` : ''}${o.obj.metadata?.name ?? '?'}`,
});

/** Resources of one Terraform type, as [address, body]. */
function tfResources(view: EnvironmentView, type: string): [string, Record<string, Loose>][] {
  const byName = (view.terraform?.resource?.[type] ?? {}) as Record<string, Record<string, Loose>>;
  return Object.keys(byName)
    .sort()
    .map((name) => [`${type}.${name}`, byName[name]!]);
}
const tfEnd = (view: EnvironmentView, address: string): End => ({
  file: view.terraformFile,
  resource: address,
});

/**
 * A view's objects by namespace, built once a view. The promises walk every tenant against
 * every platform namespace; looking objects up by scanning the whole environment each time
 * made check quadratic in the tenant count.
 */
interface ViewIndex {
  /** Namespaced objects by `metadata.namespace`. */
  readonly inNamespace: ReadonlyMap<string, readonly Located[]>;
  /** NetworkPolicies by namespace. */
  readonly policies: ReadonlyMap<string, readonly Located[]>;
  /** Namespace objects by name (the first, in file order). */
  readonly namespaces: ReadonlyMap<string, Located>;
  /** Names of the Namespaces labelled with a tenant (promises ask object by object). */
  readonly tenantNamespaces: ReadonlySet<string>;
}

const INDEXES = new WeakMap<EnvironmentView, ViewIndex>();

function indexOf(view: EnvironmentView): ViewIndex {
  let index = INDEXES.get(view);
  if (!index) {
    const inNamespace = new Map<string, Located[]>();
    const policies = new Map<string, Located[]>();
    const namespaces = new Map<string, Located>();
    const push = (m: Map<string, Located[]>, k: string, o: Located) => {
      const list = m.get(k);
      if (list) list.push(o);
      else m.set(k, [o]);
    };
    for (const o of view.objects) {
      const ns = o.obj.metadata?.namespace;
      if (typeof ns === 'string') {
        push(inNamespace, ns, o);
        if (o.obj.kind === 'NetworkPolicy') push(policies, ns, o);
      }
      const name = o.obj.metadata?.name;
      if (o.obj.kind === 'Namespace' && typeof name === 'string' && !namespaces.has(name))
        namespaces.set(name, o);
    }
    const tenantNamespaces = new Set<string>();
    for (const [name, o] of namespaces)
      if (o.obj.metadata?.labels?.[LABELS.tenant]) tenantNamespaces.add(name);
    index = { inNamespace, policies, namespaces, tenantNamespaces };
    INDEXES.set(view, index);
  }
  return index;
}

const objectsIn = (view: EnvironmentView, ns: string): readonly Located[] =>
  indexOf(view).inNamespace.get(ns) ?? [];
const policiesIn = (view: EnvironmentView, ns: string): readonly Located[] =>
  indexOf(view).policies.get(ns) ?? [];

const tenantNamespaces = (view: EnvironmentView): ReadonlySet<string> =>
  indexOf(view).tenantNamespaces;

/** Every string value of `runtimeClassName` in an object, and those CEL expressions set. */
function runtimeClassNames(obj: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'runtimeClassName' && typeof x === 'string') out.push(x);
        else if (k === 'expression' && typeof x === 'string') {
          for (const m of x.matchAll(/runtimeClassName:\s*"([^"]+)"/g)) out.push(m[1]!);
        } else walk(x);
      }
    }
  };
  walk(obj);
  return [...new Set(out)];
}

/** The MIME parts of base64 EC2 user data, by Content-Type. */
export function userDataParts(base64: string): Map<string, string> {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  const boundary = /boundary="([^"]+)"/.exec(text)?.[1];
  const parts = new Map<string, string>();
  if (!boundary) return parts;
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const split = chunk.replace(/^\n/, '').indexOf('\n\n');
    const head = chunk.replace(/^\n/, '').slice(0, split);
    const body = chunk.replace(/^\n/, '').slice(split + 2);
    const type = /Content-Type: ([^;\n]+)/.exec(head)?.[1];
    if (type) parts.set(type, body);
  }
  return parts;
}

/** Does this node group's user data install runsc and register `handler` with containerd? */
function installsHandler(userData: unknown, handler: string): string | undefined {
  if (typeof userData !== 'string') return 'its launch template has no user data';
  const parts = userDataParts(userData);
  const nodeConfig = parts.get('application/node.eks.aws') ?? '';
  const script = parts.get('text/x-shellscript') ?? '';
  if (!/kind: NodeConfig/.test(nodeConfig))
    return 'its user data has no nodeadm NodeConfig part (application/node.eks.aws)';
  const table = `containerd.runtimes.${handler}]`;
  if (
    !nodeConfig.includes(table) ||
    !nodeConfig.includes('runtime_type = "io.containerd.runsc.v1"')
  )
    return `its NodeConfig registers no containerd runtime handler "${handler}" of type io.containerd.runsc.v1`;
  if (!/\/runsc\b/.test(script) || !/containerd-shim-runsc-v1/.test(script))
    return 'its user data installs no runsc and containerd-shim-runsc-v1';
  return undefined;
}

/** Terraform reference `${aws_launch_template.<name>.id}` → `aws_launch_template.<name>`. */
const refAddress = (v: unknown) =>
  typeof v === 'string' ? /^\$\{([a-z0-9_]+\.[a-z0-9_]+)\.[a-z_]+\}$/.exec(v)?.[1] : undefined;

const tolerates = (tolerations: Loose[], taint: { key: string; value?: string; effect: string }) =>
  tolerations.some(
    (t) =>
      (t.operator === 'Exists' && (t.key === undefined || t.key === taint.key)) ||
      (t.key === taint.key &&
        (t.value ?? '') === (taint.value ?? '') &&
        (t.effect === undefined || t.effect === taint.effect)),
  );
const K8S_EFFECT: Record<string, string> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

/** A Kubernetes label selector (matchLabels, matchExpressions) against a set of labels. */
function selects(selector: Loose, labels: Record<string, string>): boolean {
  const ok = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).every(
    ([k, v]) => labels[k] === v,
  );
  return (
    ok &&
    ((selector?.matchExpressions ?? []) as Loose[]).every((e) => {
      const has = Object.hasOwn(labels, e.key);
      const values = (e.values ?? []) as string[];
      if (e.operator === 'Exists') return has;
      if (e.operator === 'DoesNotExist') return !has;
      if (e.operator === 'In') return has && values.includes(labels[e.key]!);
      if (e.operator === 'NotIn') return !has || !values.includes(labels[e.key]!);
      return false;
    })
  );
}

/**
 * Does a ClusterSecretStore serve ExternalSecrets in this namespace? external-secrets admits a
 * namespace when the store has no conditions or when any condition matches it (its
 * namespaceSelector, its namespaces list or one of its namespaceRegexes).
 */
function storeAdmits(store: Json, namespace: string, labels: Record<string, string>): boolean {
  const conditions = (store.spec?.conditions ?? []) as Loose[];
  if (conditions.length === 0) return true;
  return conditions.some(
    (c) =>
      (c.namespaceSelector !== undefined && selects(c.namespaceSelector, labels)) ||
      ((c.namespaces ?? []) as string[]).includes(namespace) ||
      ((c.namespaceRegexes ?? []) as string[]).some((r) => new RegExp(r).test(namespace)),
  );
}

/** Remote keys an ExternalSecret reads; a `find` (by path or name pattern) reads unknown keys. */
function remoteKeys(es: Json): { keys: string[]; finds: number } {
  const keys = ((es.spec?.data ?? []) as Loose[]).flatMap((d) =>
    typeof d.remoteRef?.key === 'string' ? [d.remoteRef.key as string] : [],
  );
  let finds = 0;
  for (const d of (es.spec?.dataFrom ?? []) as Loose[]) {
    if (typeof d.extract?.key === 'string') keys.push(d.extract.key);
    if (d.find) finds++;
  }
  return { keys, finds };
}

/** Does this NetworkPolicy deny every ingress of every pod (empty podSelector, no rules)? */
function deniesAllIngress(np: Json): boolean {
  const spec = np.spec ?? {};
  const selector = spec.podSelector ?? {};
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    ((selector.matchExpressions ?? []) as Loose[]).length === 0 &&
    ((spec.policyTypes ?? []) as string[]).includes('Ingress') &&
    ((spec.ingress ?? []) as Loose[]).length === 0
  );
}

/** Ports a NetworkPolicy rule lists; undefined when it lists none (every port). */
/** Address blocks that hold every address of their family. */
const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

/** A podSelector that selects by label (not every pod of its namespace). */
const hasSelector = (sel: Loose | undefined): boolean =>
  Object.keys(sel?.matchLabels ?? {}).length > 0 ||
  ((sel?.matchExpressions ?? []) as unknown[]).length > 0;

const rulePorts = (r: Loose): number[] | undefined =>
  ((r.ports ?? []) as Loose[]).length === 0
    ? undefined
    : ((r.ports ?? []) as Loose[]).map((x) => Number(x.port));

/** Labels a namespace matches on: its Namespace object's, else only the automatic name label. */
function namespaceLabels(view: EnvironmentView, ns: string): Record<string, string> {
  const o = indexOf(view).namespaces.get(ns);
  return { ...(o?.obj.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}

/**
 * What the tenant's egress NetworkPolicies let its pods open into namespace `target`:
 * `every` when some rule names the namespace without ports, else the ports listed.
 */
function tenantEgressInto(
  view: EnvironmentView,
  tenant: string,
  target: string,
): { every: boolean; ports: Set<number> } {
  const labels = namespaceLabels(view, target);
  const out = { every: false, ports: new Set<number>() };
  for (const p of policiesIn(view, tenant)) {
    for (const r of (p.obj.spec?.egress ?? []) as Loose[]) {
      const into = ((r.to ?? []) as Loose[]).some(
        (t) => t.namespaceSelector && selects(t.namespaceSelector, labels),
      );
      if (!into) continue;
      const ports = rulePorts(r);
      if (!ports) out.every = true;
      else ports.forEach((x) => out.ports.add(x));
    }
  }
  return out;
}

/**
 * Every namespace the platform deploys its own workloads into, with the object that puts them
 * there: each Argo CD Application and ApplicationSet destination (add-ons and platform folders,
 * created by CreateNamespace) and each non-tenant Namespace of dist/.
 */
function platformNamespaces(view: EnvironmentView): Map<string, Located> {
  const tenants = tenantNamespaces(view);
  const out = new Map<string, Located>();
  const add = (ns: unknown, o: Located) => {
    if (typeof ns !== 'string' || ns.includes('{{')) return;
    if (tenants.has(ns) || KUBERNETES_NAMESPACES.has(ns) || out.has(ns)) return;
    out.set(ns, o);
  };
  for (const o of [...view.objects].sort((a, b) => a.file.localeCompare(b.file))) {
    if (o.obj.kind === 'Namespace') add(o.obj.metadata?.name, o);
    else if (o.obj.kind === 'Application') add(o.obj.spec?.destination?.namespace, o);
    else if (o.obj.kind === 'ApplicationSet')
      add(o.obj.spec?.template?.spec?.destination?.namespace, o);
  }
  return out;
}

/** Ports the objects declare as metrics ports: container and Service ports named *metrics*. */
function metricsPorts(objects: readonly Json[]): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.name === 'string' && /metrics/.test(o.name)) {
        const port = o.containerPort ?? o.port;
        if (typeof port === 'number') out.push(port);
      }
      Object.values(o).forEach(walk);
    }
  };
  objects
    .filter((o) => o.kind !== 'NetworkPolicy' && o.kind !== 'AuthorizationPolicy')
    .forEach(walk);
  return [...new Set(out)].sort((a, b) => a - b);
}

export const PROMISES: readonly IsolationPromise[] = [
  {
    id: 'network-policy-enforced',
    control: 'NetworkPolicies of a namespace (tenant default-deny and allowances)',
    enforcedBy:
      'the environment\'s Terraform installs the vpc-cni add-on with enableNetworkPolicy "true"',
    check: (view) => {
      const policies = view.objects.filter((o) => o.obj.kind === 'NetworkPolicy');
      if (policies.length === 0) return [];
      const cni = tfResources(view, 'aws_eks_addon').find(([, b]) => b.addon_name === 'vpc-cni');
      let why: string | undefined;
      if (!cni) why = 'installs no vpc-cni add-on';
      else {
        let config: Record<string, unknown> = {};
        try {
          config = JSON.parse(cni[1].configuration_values ?? '{}') as Record<string, unknown>;
        } catch {
          why = 'has vpc-cni configuration_values that are not JSON';
        }
        if (!why && config.enableNetworkPolicy !== 'true')
          why = `configures vpc-cni without enableNetworkPolicy "true" (got ${JSON.stringify(config.enableNetworkPolicy)}), so the CNI ignores every NetworkPolicy`;
      }
      if (!why) return [];
      const firstPerNamespace = new Map<string, Located>();
      for (const p of policies) {
        const ns = p.obj.metadata?.namespace ?? '';
        if (!firstPerNamespace.has(ns)) firstPerNamespace.set(ns, p);
      }
      return [...firstPerNamespace.values()].map((p) => ({
        control: ref(p),
        enforcer: tfEnd(view, cni?.[0] ?? 'aws_eks_addon (vpc-cni)'),
        message: `is not enforced: the cluster ${why}`,
      }));
    },
  },
  {
    id: 'sandbox-runtime-installed',
    control: 'a pod (or a policy that sets it) with runtimeClassName gvisor',
    enforcedBy:
      'the RuntimeClass exists and selects exactly the node groups whose launch-template user data installs runsc and registers its handler with containerd',
    check: (view) => {
      const broken: BrokenChain[] = [];
      const classes = new Map(
        view.objects
          .filter((o) => o.obj.kind === 'RuntimeClass')
          .map((o) => [o.obj.metadata?.name ?? '', o]),
      );
      const groups = tfResources(view, 'aws_eks_node_group');
      const templates = new Map(tfResources(view, 'aws_launch_template'));
      for (const user of view.objects) {
        if (user.obj.kind === 'RuntimeClass') continue;
        for (const name of runtimeClassNames(user.obj)) {
          const rc = classes.get(name);
          if (!rc) {
            broken.push({
              control: ref(user),
              enforcer: { file: `${view.env.name}/platform/`, resource: `RuntimeClass/${name}` },
              message: `uses RuntimeClass "${name}", which dist/${view.env.name} does not define`,
            });
            continue;
          }
          const handler = String(rc.obj.handler ?? '');
          const selector = (rc.obj.scheduling?.nodeSelector ?? {}) as Record<string, string>;
          const tolerations = (rc.obj.scheduling?.tolerations ?? []) as Loose[];
          if (Object.keys(selector).length === 0) {
            broken.push({
              control: ref(user),
              enforcer: ref(rc),
              message: `uses RuntimeClass "${name}", which selects no nodes (no scheduling.nodeSelector): its pods may land on nodes without ${handler}`,
            });
            continue;
          }
          const matching = groups.filter(([, g]) =>
            Object.entries(selector).every(([k, v]) => g.labels?.[k] === v),
          );
          if (matching.length === 0) {
            broken.push({
              control: ref(user),
              enforcer: ref(rc),
              message: `uses RuntimeClass "${name}", whose nodeSelector ${JSON.stringify(selector)} matches no node group in ${view.terraformFile}`,
            });
          }
          for (const [address, g] of matching) {
            const untolerated = ((g.taint ?? []) as Loose[]).find(
              (t) => !tolerates(tolerations, { ...t, effect: K8S_EFFECT[t.effect] ?? t.effect }),
            );
            if (untolerated) {
              broken.push({
                control: ref(rc),
                enforcer: tfEnd(view, address),
                message: `selects node group ${g.node_group_name} but does not tolerate its taint ${untolerated.key}=${untolerated.value}`,
              });
            }
            const lt = refAddress(g.launch_template?.id);
            const why = installsHandler(lt ? templates.get(lt)?.user_data : undefined, handler);
            if (why) {
              broken.push({
                control: ref(user),
                enforcer: tfEnd(view, lt ?? address),
                message: `runs in RuntimeClass "${name}" (handler ${handler}), which selects node group ${g.node_group_name}, but ${why}`,
              });
            }
          }
        }
      }
      return broken;
    },
  },
  {
    id: 'node-credentials-unreachable',
    environmentWide: true,
    control: "tenant pods never reach the instance metadata endpoint (the tenant's default-deny)",
    enforcedBy:
      'every launch template requires IMDSv2 with http_put_response_hop_limit 1, so IMDS answers never reach a pod network namespace',
    check: (view) => {
      const controls = view.objects
        .filter(
          (o) =>
            o.obj.kind === 'NetworkPolicy' &&
            o.obj.metadata?.name === 'default-deny' &&
            tenantNamespaces(view).has(o.obj.metadata?.namespace ?? ''),
        )
        .sort((a, b) => a.file.localeCompare(b.file));
      if (controls.length === 0) return [];
      return tfResources(view, 'aws_launch_template').flatMap(([address, t]) => {
        const m =
          (Array.isArray(t.metadata_options) ? t.metadata_options[0] : t.metadata_options) ?? {};
        if (m.http_tokens === 'required' && m.http_put_response_hop_limit === 1) return [];
        return [
          {
            control: ref(controls[0]!),
            enforcer: tfEnd(view, address),
            message: `is bypassed: node ${t.name ?? address} answers IMDS with http_tokens ${JSON.stringify(m.http_tokens)} and hop limit ${JSON.stringify(m.http_put_response_hop_limit)}, so a pod can read the node role's credentials`,
          },
        ];
      });
    },
  },
  {
    id: 'tenant-egress-outside-cluster',
    control: "a tenant NetworkPolicy's ipBlock (the spec's egress CIDRs)",
    enforcedBy:
      "the CIDR overlaps neither the VPC (pod) range nor the cluster's service range in Terraform, and is not 0.0.0.0/0, unless an unexpired isolationExceptions entry allows it",
    check: (view) => {
      const broken: BrokenChain[] = [];
      const exceptions = view.env.spec.isolationExceptions;
      exceptions.forEach((e, i) => {
        if (e.expires < view.today) {
          broken.push({
            control: {
              file: view.env.sourceFile,
              resource: `isolationExceptions[${i}] (${e.name})`,
            },
            enforcer: { file: view.env.sourceFile, resource: `expires ${e.expires}` },
            message: `expired on ${e.expires}; remove it, or renew it with a new justification`,
          });
        }
      });
      const vpcs = tfResources(view, 'aws_vpc');
      const clusters = tfResources(view, 'aws_eks_cluster');
      const ranges: { cidr: string; end: End; what: string }[] = [
        ...vpcs.map(([a, v]) => ({
          cidr: v.cidr_block,
          end: tfEnd(view, a),
          what: 'the VPC (pod) range',
        })),
        ...clusters.flatMap(([a, c]) => {
          const cidr = c.kubernetes_network_config?.service_ipv4_cidr;
          return cidr ? [{ cidr, end: tfEnd(view, a), what: 'the service range' }] : [];
        }),
      ].filter((r) => typeof r.cidr === 'string');
      const tenants = tenantNamespaces(view);
      for (const p of view.objects) {
        const ns = p.obj.metadata?.namespace ?? '';
        if (p.obj.kind !== 'NetworkPolicy' || !tenants.has(ns)) continue;
        const blocks = ((p.obj.spec?.egress ?? []) as Loose[]).flatMap((r) =>
          ((r.to ?? []) as Loose[]).flatMap((t) =>
            t.ipBlock?.cidr ? [t.ipBlock.cidr as string] : [],
          ),
        );
        for (const cidr of blocks) {
          const allowed = exceptions.some(
            (e) => e.tenant === ns && e.egressCidr === cidr && e.expires >= view.today,
          );
          if (allowed) continue;
          const hit = ranges.find((r) => cidrsOverlap(cidr, r.cidr));
          if (cidr.endsWith('/0')) {
            broken.push({
              control: ref(p),
              enforcer: { file: view.env.sourceFile, resource: 'isolationExceptions' },
              message: `allows egress to ${cidr}, the whole internet, and no isolationExceptions entry allows it`,
            });
          } else if (hit) {
            broken.push({
              control: ref(p),
              enforcer: hit.end,
              message: `allows egress to ${cidr}, which overlaps ${hit.what} ${hit.cidr}: the tenant could reach cluster-internal services`,
            });
          }
        }
      }
      return broken;
    },
  },
  {
    id: 'owner-groups-authenticated',
    control: "a tenant RoleBinding to its owners' Keycloak groups",
    enforcedBy:
      "the cluster authenticates those groups: an EKS OIDC identity provider whose groups claim and groups prefix produce the binding's subject names",
    check: (view) => {
      const idps = tfResources(view, 'aws_eks_identity_provider_config');
      const tenants = tenantNamespaces(view);
      const broken: BrokenChain[] = [];
      for (const rb of view.objects) {
        if (rb.obj.kind !== 'RoleBinding' || !tenants.has(rb.obj.metadata?.namespace ?? ''))
          continue;
        const groups = ((rb.obj.subjects ?? []) as Loose[]).filter((s) => s.kind === 'Group');
        if (groups.length === 0) continue;
        if (idps.length === 0) {
          broken.push({
            control: ref(rb),
            enforcer: tfEnd(view, 'aws_eks_identity_provider_config'),
            message: `is inert: the cluster authenticates no OIDC groups (no EKS identity provider in Terraform), so no member of ${groups.map((g) => g.name).join(', ')} can use it`,
            severity: 'warning',
          });
          continue;
        }
        for (const g of groups) {
          const ok = idps.some(([, c]) => {
            const oidc = Array.isArray(c.oidc) ? c.oidc[0] : c.oidc;
            return oidc?.groups_claim && String(g.name).startsWith(oidc.groups_prefix ?? '');
          });
          if (!ok) {
            broken.push({
              control: ref(rb),
              enforcer: tfEnd(view, idps[0]![0]),
              message: `binds group "${g.name}", which no EKS identity provider produces (groups_claim unset, or the subject lacks its groups_prefix)`,
            });
          }
        }
      }
      return broken;
    },
  },
  {
    id: 'kagent-agents-only',
    control: "a tenant's allow-kagent NetworkPolicy (agent pods ↔ kagent controller)",
    enforcedBy:
      "it selects only the tenant's agent pods, opens only the controller API port to kagent and the A2A port from it, and kagent's controller does not run in auth mode unsecure (anonymous admin)",
    check: (view) => {
      const broken: BrokenChain[] = [];
      const kagentNs = view.env.kagentNamespace;
      const addon = view.objects.find(
        (o) => o.obj.kind === 'ApplicationSet' && o.obj.metadata?.name === 'addon-kagent',
      );
      const mode = addon?.obj.spec?.template?.spec?.source?.helm?.valuesObject?.controller?.auth
        ?.mode as string | undefined;
      const tenants = tenantNamespaces(view);
      for (const p of view.objects) {
        const ns = p.obj.metadata?.namespace ?? '';
        if (p.obj.kind !== 'NetworkPolicy' || !tenants.has(ns)) continue;
        const spec = p.obj.spec ?? {};
        const toKagent = ((spec.egress ?? []) as Loose[]).filter((r) =>
          ((r.to ?? []) as Loose[]).some(
            (t) => t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === kagentNs,
          ),
        );
        if (toKagent.length === 0) continue;
        const selectsAgents =
          spec.podSelector?.matchLabels?.app === KAGENT_PODS.agent.app &&
          (spec.podSelector?.matchExpressions ?? []).some(
            (e: Loose) => e.key === KAGENT_PODS.agentNameLabel && e.operator === 'In',
          );
        const ports = toKagent.flatMap((r) => ((r.ports ?? []) as Loose[]).map((x) => x.port));
        if (
          !selectsAgents ||
          ports.length === 0 ||
          ports.some((x) => x !== PORTS.kagentController)
        ) {
          broken.push({
            control: ref(p),
            enforcer: { file: p.file, resource: `namespace ${kagentNs}` },
            message: `lets ${selectsAgents ? 'agent pods' : 'every pod of the tenant'} reach kagent on ${ports.length === 0 ? 'every port' : `ports ${ports.join(', ')}`}; only agent pods, on ${PORTS.kagentController}, may`,
          });
        }
        if (!addon || mode === undefined || mode === 'unsecure') {
          broken.push({
            control: ref(p),
            enforcer: addon
              ? ref(addon)
              : { file: `${view.env.name}/bootstrap/`, resource: 'ApplicationSet/addon-kagent' },
            message: `admits agents to a kagent controller in auth mode ${mode ?? 'unsecure (the chart default)'}, which takes any caller's X-User-Id and defaults to admin`,
          });
        }
      }
      return broken;
    },
  },
  {
    id: 'tenant-secrets-tenant-owned',
    control:
      "a Secret in a tenant namespace (only an ExternalSecret of the tenant's own key, BYOK)",
    enforcedBy:
      "its ClusterSecretStore is not one the platform's namespaces read from and it reads only keys under tenants/<tenant>/, and no such platform store's conditions admit a tenant namespace, so external-secrets refuses to copy a platform key there",
    check: (view) => {
      const broken: BrokenChain[] = [];
      const tenants = tenantNamespaces(view);
      const namespaces = new Map(
        view.objects
          .filter((o) => o.obj.kind === 'Namespace')
          .map((o) => [o.obj.metadata?.name ?? '', o]),
      );
      const stores = new Map(
        view.objects
          .filter((o) => o.obj.kind === 'ClusterSecretStore')
          .map((o) => [o.obj.metadata?.name ?? '', o]),
      );
      const externalSecrets = view.objects.filter((o) => o.obj.kind === 'ExternalSecret');
      const storeOf = (es: Located) =>
        es.obj.spec?.secretStoreRef?.kind === 'ClusterSecretStore'
          ? String(es.obj.spec.secretStoreRef.name ?? '')
          : undefined;
      // A platform store: the environment's platform LLM key store, and every store a platform
      // namespace (not a tenant's) reads from.
      const platformStores = new Set<string>([view.env.spec.secrets.platformStore]);
      for (const es of externalSecrets) {
        const name = storeOf(es);
        if (name && !tenants.has(es.obj.metadata?.namespace ?? '')) platformStores.add(name);
      }
      for (const name of [...platformStores].sort()) {
        const store = stores.get(name);
        if (!store) continue;
        for (const ns of [...tenants].sort()) {
          const nsObject = namespaces.get(ns)!;
          if (storeAdmits(store.obj, ns, nsObject.obj.metadata?.labels ?? {})) {
            broken.push({
              control: ref(store),
              enforcer: ref(nsObject),
              message: `is a platform store (platform namespaces read it) whose conditions admit tenant namespace ${ns}: an ExternalSecret there could copy a platform secret into it`,
            });
          }
        }
      }
      for (const es of externalSecrets) {
        const ns = es.obj.metadata?.namespace ?? '';
        if (!tenants.has(ns)) continue;
        const name = storeOf(es);
        const store = name === undefined ? undefined : stores.get(name);
        if (!store) {
          broken.push({
            control: ref(es),
            enforcer: {
              file: `${view.env.name}/platform/external-secrets/`,
              resource: `${es.obj.spec?.secretStoreRef?.kind ?? 'SecretStore'}/${es.obj.spec?.secretStoreRef?.name ?? '?'}`,
            },
            message: `reads through a store dist/${view.env.name} does not define as a ClusterSecretStore, so nothing bounds what it reads`,
          });
          continue;
        }
        if (platformStores.has(name!)) {
          broken.push({
            control: ref(es),
            enforcer: ref(store),
            message: `sources a Secret in tenant namespace ${ns} from platform store ${name}; a tenant workload could mount it. Platform keys stay in the gateway namespace`,
          });
        }
        const { keys, finds } = remoteKeys(es.obj);
        const prefix = `tenants/${ns}/`;
        const outside = keys.filter((k) => !k.startsWith(prefix));
        if (outside.length > 0 || finds > 0) {
          broken.push({
            control: ref(es),
            enforcer: ref(store),
            message: `reads ${outside.length > 0 ? `key ${outside.join(', ')}` : 'keys found by a dataFrom find'} through ${name}, outside the tenant's own prefix ${prefix}`,
          });
        }
      }
      return broken;
    },
  },
  {
    id: 'platform-namespace-default-deny',
    control:
      'a platform namespace (every add-on and platform-folder destination, the registry) against tenant pods',
    enforcedBy:
      "a NetworkPolicy in it that denies every pod's ingress (empty podSelector, no rules), and allowances that admit a tenant namespace only on ports the tenant's own egress NetworkPolicies open into it, an address block (tenant pods have VPC addresses) only on listed ports unless every tenant's egress opens every port there, and every address (0.0.0.0/0, ::/0) only to the pods it selects by label (the gateway's proxies, not its controller)",
    check: (view) => {
      const broken: BrokenChain[] = [];
      const tenants = [...tenantNamespaces(view)].sort();
      const tenantLabels = new Map(tenants.map((t) => [t, namespaceLabels(view, t)]));
      for (const [ns, origin] of [...platformNamespaces(view)].sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        const own = [...policiesIn(view, ns)];
        if (!own.some((p) => deniesAllIngress(p.obj))) {
          const named = own.find((p) => p.obj.metadata?.name === 'default-deny');
          broken.push({
            control: ref(origin),
            enforcer: named
              ? ref(named)
              : {
                  file: `${view.env.name}/platform/network-isolation/${ns}/`,
                  resource: `NetworkPolicy/${ns}/default-deny`,
                },
            message: named
              ? `deploys into namespace ${ns}, whose default-deny NetworkPolicy does not deny every pod's ingress (it selects pods, misses Ingress or allows traffic)`
              : `deploys into namespace ${ns}, which has no default-deny NetworkPolicy: any pod, a tenant's included, reaches its pods on every port`,
          });
        }
        const egress = new Map(tenants.map((t) => [t, tenantEgressInto(view, t, ns)]));
        for (const p of own) {
          if (!((p.obj.spec?.policyTypes ?? []) as string[]).includes('Ingress')) continue;
          for (const r of (p.obj.spec?.ingress ?? []) as Loose[]) {
            const ports = rulePorts(r);
            const peers = (r.from ?? []) as Loose[];
            const blocks = peers.flatMap((x) => (x.ipBlock?.cidr ? [String(x.ipBlock.cidr)] : []));
            const everyTenantEvery = tenants.every((t) => egress.get(t)!.every);
            const selectsSome = hasSelector(p.obj.spec?.podSelector);
            for (const cidr of blocks) {
              if (ANY_ADDRESS.has(cidr) && !selectsSome) {
                broken.push({
                  control: ref(p),
                  enforcer: ref(origin),
                  message: `admits ${cidr} (every address, a tenant pod's included) to every pod of namespace ${ns}; select only the pods that serve the public (the gateway's proxy pods) so the namespace's other pods stay closed`,
                });
              }
              if (ports || everyTenantEvery) continue;
              broken.push({
                control: ref(p),
                enforcer: ref(origin),
                message: `admits ${cidr} into namespace ${ns} on every port; tenant pods have VPC addresses, so list the ports (the API server's webhook ports)`,
              });
            }
            const admitted =
              peers.length === 0
                ? tenants
                : tenants.filter((t) =>
                    peers.some(
                      (x) =>
                        x.namespaceSelector && selects(x.namespaceSelector, tenantLabels.get(t)!),
                    ),
                  );
            for (const t of admitted) {
              const open = egress.get(t)!;
              if (open.every) continue;
              const extra = ports ? ports.filter((x) => !open.ports.has(x)) : undefined;
              if (extra && extra.length === 0) continue;
              const tenantNs = indexOf(view).namespaces.get(t)!;
              broken.push({
                control: ref(p),
                enforcer: ref(tenantNs),
                message: `admits tenant namespace ${t} into ${ns} on ${extra ? `ports ${extra.join(', ')}` : 'every port'}, which its egress NetworkPolicies do not open (${open.ports.size > 0 ? `they open ${[...open.ports].sort((a, b) => a - b).join(', ')}` : 'they open nothing there'}): admit tenants only on the flows their egress allow-lists permit`,
              });
            }
          }
        }
      }
      return broken;
    },
  },
  {
    id: 'tenant-waypoint-reaches-istiod',
    control:
      "a tenant's waypoint Gateway (the L7 proxy its mesh AuthorizationPolicies take effect in)",
    enforcedBy: `the tenant's egress NetworkPolicies let the waypoint's pods (${ISTIO.gatewayNameLabel}: <Gateway name>) reach DNS and istiod (namespace ${ISTIO.namespace}, pods app: ${ISTIO.istiodPods.app}) on its XDS and CA port ${ISTIO.xdsPort}, and the ingress NetworkPolicies of ${ISTIO.namespace} admit them there; istiod creates the waypoint's Deployment, and without configuration it serves nothing`,
    check: (view) => {
      const broken: BrokenChain[] = [];
      const istiodNs = namespaceLabels(view, ISTIO.namespace);
      const istiodPods = { ...ISTIO.istiodPods };
      const dnsNs = namespaceLabels(view, 'kube-system');
      const dnsPods = { 'k8s-app': 'kube-dns' };
      const podsOf = (x: Loose, labels: Record<string, string>) =>
        x.podSelector === undefined || selects(x.podSelector, labels);
      const opens = (ports: number[] | undefined, p: number) => !ports || ports.includes(p);
      const applies = (p: Located, type: string, pods: Record<string, string>) =>
        ((p.obj.spec?.policyTypes ?? []) as string[]).includes(type) &&
        selects(p.obj.spec?.podSelector ?? {}, pods);
      const denyEnd = (ns: string, own: readonly Located[]): End => {
        const d = own.find((p) => p.obj.metadata?.name === 'default-deny') ?? own[0];
        return d ? ref(d) : { file: `${view.env.name}/`, resource: `namespace ${ns}` };
      };
      for (const ns of [...tenantNamespaces(view)].sort()) {
        const nsLabels = namespaceLabels(view, ns);
        const gateways = objectsIn(view, ns).filter(
          (o) => o.obj.kind === 'Gateway' && o.obj.spec?.gatewayClassName === ISTIO.waypointClass,
        );
        for (const gw of gateways) {
          const name = gw.obj.metadata?.name ?? '';
          const pods = {
            [ISTIO.gatewayNameLabel]: name,
            'gateway.networking.k8s.io/gateway-class-name': String(gw.obj.spec.gatewayClassName),
          };
          // Egress from the tenant: open unless some egress policy selects the pods.
          const egress = policiesIn(view, ns).filter((p) => applies(p, 'Egress', pods));
          const reaches = (
            nsL: Record<string, string>,
            podL: Record<string, string>,
            port: number,
          ) =>
            egress.length === 0 ||
            egress.some((p) =>
              ((p.obj.spec?.egress ?? []) as Loose[]).some(
                (r) =>
                  opens(rulePorts(r), port) &&
                  (((r.to ?? []) as Loose[]).length === 0 ||
                    ((r.to ?? []) as Loose[]).some(
                      (t) =>
                        t.namespaceSelector !== undefined &&
                        selects(t.namespaceSelector, nsL) &&
                        podsOf(t, podL),
                    )),
              ),
            );
          const tenantOwn = policiesIn(view, ns);
          for (const [what, nsL, podL, port] of [
            [
              `istiod (${ISTIO.namespace}) on ${ISTIO.xdsPort}`,
              istiodNs,
              istiodPods,
              ISTIO.xdsPort,
            ],
            ['DNS (kube-system kube-dns) on 53', dnsNs, dnsPods, PORTS.dns],
          ] as const) {
            if (reaches(nsL, podL, port)) continue;
            broken.push({
              control: ref(gw),
              enforcer: denyEnd(ns, tenantOwn),
              message: `gets pods (${ISTIO.gatewayNameLabel}: ${name}) that no egress NetworkPolicy of tenant ${ns} lets reach ${what}: the waypoint gets no configuration and the tenant's L7 AuthorizationPolicies never take effect`,
            });
          }
          // Ingress into istiod: open unless some ingress policy selects istiod's pods.
          const istioOwn = policiesIn(view, ISTIO.namespace);
          const ingress = istioOwn.filter((p) => applies(p, 'Ingress', istiodPods));
          const admitted =
            ingress.length === 0 ||
            ingress.some((p) =>
              ((p.obj.spec?.ingress ?? []) as Loose[]).some(
                (r) =>
                  opens(rulePorts(r), ISTIO.xdsPort) &&
                  (((r.from ?? []) as Loose[]).length === 0 ||
                    ((r.from ?? []) as Loose[]).some(
                      (x) =>
                        (x.namespaceSelector !== undefined &&
                          selects(x.namespaceSelector, nsLabels) &&
                          podsOf(x, pods)) ||
                        (x.ipBlock?.cidr &&
                          cidrsOverlap(String(x.ipBlock.cidr), view.env.spec.aws.vpcCidr)),
                    )),
              ),
            );
          if (!admitted) {
            broken.push({
              control: ref(gw),
              enforcer: denyEnd(ISTIO.namespace, istioOwn),
              message: `gets pods (${ISTIO.gatewayNameLabel}: ${name}) that no ingress NetworkPolicy of ${ISTIO.namespace} admits to istiod on ${ISTIO.xdsPort}: the waypoint gets no configuration and the tenant's L7 AuthorizationPolicies never take effect`,
            });
          }
        }
      }
      return broken;
    },
  },
  {
    id: 'prometheus-metrics-ports-only',
    control: `Prometheus (namespace ${PROMETHEUS.namespace}, service account ${PROMETHEUS.serviceAccount}) scraping a tenant namespace`,
    enforcedBy:
      "every tenant NetworkPolicy rule and Istio AuthorizationPolicy rule that admits it is limited to the ports the tenant's workloads declare as metrics ports (a port named *metrics*; none today), besides the ambient mesh's HBONE port",
    check: (view) => {
      const broken: BrokenChain[] = [];
      const monitoring = namespaceLabels(view, PROMETHEUS.namespace);
      const principal = `cluster.local/ns/${PROMETHEUS.namespace}/sa/${PROMETHEUS.serviceAccount}`;
      const vpc = view.env.spec.aws.vpcCidr;
      for (const ns of [...tenantNamespaces(view)].sort()) {
        const objects = objectsIn(view, ns);
        const metrics = new Set(metricsPorts(objects.map((o) => o.obj)));
        const tooWide = (ports: number[] | undefined, allowed: Set<number>) =>
          ports === undefined ? 'every port' : ports.filter((x) => !allowed.has(x)).join(', ');
        const what =
          metrics.size > 0
            ? `its metrics ports ${[...metrics].join(', ')}`
            : 'no port: no workload of it declares a metrics port';
        for (const p of objects) {
          if (p.obj.kind === 'NetworkPolicy') {
            for (const r of (p.obj.spec?.ingress ?? []) as Loose[]) {
              const peers = (r.from ?? []) as Loose[];
              const admits =
                peers.length === 0 ||
                peers.some(
                  (x) =>
                    (x.namespaceSelector && selects(x.namespaceSelector, monitoring)) ||
                    (x.ipBlock?.cidr && cidrsOverlap(String(x.ipBlock.cidr), vpc)),
                );
              if (!admits) continue;
              const wide = tooWide(rulePorts(r), new Set([...metrics, ISTIO.hbonePort]));
              if (wide === '') continue;
              broken.push({
                control: ref(p),
                enforcer: { file: p.file, resource: `namespace ${PROMETHEUS.namespace}` },
                message: `lets Prometheus reach tenant ${ns} on ${wide}; it may reach ${what}`,
              });
            }
          }
          if (p.obj.kind === 'AuthorizationPolicy' && (p.obj.spec?.action ?? 'ALLOW') === 'ALLOW') {
            for (const r of (p.obj.spec?.rules ?? []) as Loose[]) {
              const sources = ((r.from ?? []) as Loose[]).map((f) => f.source ?? {});
              const admits =
                sources.length === 0 ||
                sources.some((src) => {
                  const nss = src.namespaces as string[] | undefined;
                  const pri = src.principals as string[] | undefined;
                  if (!nss && !pri) return true;
                  const byNs = !nss || nss.some((n) => n === '*' || n === PROMETHEUS.namespace);
                  const byPrincipal =
                    !pri ||
                    pri.some(
                      (x) =>
                        x === '*' ||
                        x === principal ||
                        (x.endsWith('*') && principal.startsWith(x.slice(0, -1))),
                    );
                  return byNs && byPrincipal;
                });
              if (!admits) continue;
              const ops = ((r.to ?? []) as Loose[]).map((t) => t.operation ?? {});
              const ports =
                ops.length === 0 || ops.some((o) => !o.ports)
                  ? undefined
                  : ops.flatMap((o) => (o.ports as string[]).map(Number));
              const wide = tooWide(ports, metrics);
              if (wide === '') continue;
              broken.push({
                control: ref(p),
                enforcer: { file: p.file, resource: `principal ${principal}` },
                message: `lets Prometheus through the mesh into tenant ${ns} on ${wide}; it may reach ${what}`,
              });
            }
          }
        }
      }
      return broken;
    },
  },
];

/** Runs every promise over every environment of the model. */
export function checkPromises(
  model: PlatformModel,
  input: ManifestInput,
  terraform: ReadonlyMap<string, unknown>,
  today: string,
  promises: readonly IsolationPromise[] = PROMISES,
): Finding[] {
  const documents = asParsed(input);
  const findings: Finding[] = [];
  for (const env of model.environments) {
    const objects: Located[] = [];
    for (const { file, object } of documents) {
      if (file.startsWith(`${env.name}/`) && object && typeof object.kind === 'string')
        objects.push({ file, obj: object as Json });
    }
    const terraformFile = `${env.name}/terraform/cdk.tf.json`;
    const view: EnvironmentView = {
      env,
      objects,
      terraformFile,
      terraform: terraform.get(terraformFile) as Record<string, Loose> | undefined,
      today,
    };
    findings.push(...promiseFindings(view, promises));
  }
  return findings;
}

/** Every promise over one view, as findings; a chain broken twice the same way is one. */
export function promiseFindings(
  view: EnvironmentView,
  promises: readonly IsolationPromise[] = PROMISES,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const p of promises) {
    for (const b of p.check(view)) {
      const f: Finding = {
        check: 'promise',
        severity: b.severity ?? 'error',
        file: b.control.file,
        resource: b.control.resource,
        policy: p.id,
        message: `${b.message} [other end: ${b.enforcer.file} ${b.enforcer.resource}]`,
        remediation: `${p.control} takes effect only if ${p.enforcedBy}`,
      };
      const key = findingKey(f);
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }
  return findings;
}

/** What makes two findings the same finding. */
export function findingKey(f: Finding): string {
  return JSON.stringify([f.check, f.severity, f.file, f.resource, f.policy, f.message]);
}
