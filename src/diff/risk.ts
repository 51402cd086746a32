import { parentPath, valueAt, type FieldChange } from './field-changes';

/** What a reviewer must look at twice. */
export type RiskKind =
  | 'rbac'
  | 'network'
  | 'route-exposed'
  | 'policy-mode'
  | 'policy-exception'
  | 'image'
  | 'terraform-destroy'
  | 'terraform-replace';

export const RISK_KINDS: readonly RiskKind[] = [
  'rbac',
  'network',
  'route-exposed',
  'policy-mode',
  'policy-exception',
  'image',
  'terraform-destroy',
  'terraform-replace',
];

export const RISK_TITLES: Readonly<Record<RiskKind, string>> = {
  rbac: 'RBAC / IAM',
  network: 'NetworkPolicy / egress',
  'route-exposed': 'route exposed',
  'policy-mode': 'policy mode',
  'policy-exception': 'policy exception',
  image: 'image / chart version',
  'terraform-destroy': 'Terraform destroy',
  'terraform-replace': 'Terraform replace',
};

export interface RiskFlag {
  readonly kind: RiskKind;
  /** What exactly, in a line: `egress to 203.0.113.0/24:443 added`. */
  readonly detail: string;
}

/** What the classifier knows about a resource change. */
export interface RiskInput {
  readonly status: 'added' | 'removed' | 'changed';
  readonly kind: string;
  readonly group: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly fields: readonly FieldChange[];
}

export interface RiskContext {
  /**
   * Listener names of the central gateway that serve only in-cluster callers; a route attached
   * to any other listener (or to no named one) is treated as public.
   */
  readonly internalListeners: ReadonlySet<string>;
  /** Terraform destroy/replace only mean something between two states of one environment. */
  readonly terraformLifecycle: boolean;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);
const POLICY_MODE_FIELDS = new Set([
  'validationActions',
  'validationFailureAction',
  'validationFailureActionOverrides',
  'failurePolicy',
]);
const VERSION_FIELDS = new Set([
  'image',
  'tag',
  'chart',
  'targetRevision',
  'version',
  'addon_version',
  'engine_version',
  'release_version',
]);
const TERRAFORM_BLOCKS_WITHOUT_LIFECYCLE =
  /^(data\.|output$|provider$|terraform$|locals$|variable$)/;

function lastSegment(path: string): string {
  const m = /(?:^|\.)([\w$-]+)$|\["([^"]+)"\]$/.exec(path);
  return m?.[1] ?? m?.[2] ?? path;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `path op` for the first few matching fields, a repeated path counted once (`×6`). */
function fieldSummary(fields: readonly FieldChange[], match: (f: FieldChange) => boolean): string {
  const counts = new Map<string, number>();
  for (const f of fields.filter(match)) {
    const key = `${f.path} ${f.op}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, n]) => (n > 1 ? `${key} ×${n}` : key));
  return parts.slice(0, 3).join('; ') + (parts.length > 3 ? `; +${parts.length - 3} more` : '');
}

/** `host/path` pairs of a route and whether it reaches a public listener. */
function routeSummary(route: unknown, ctx: RiskContext): { publicRoute: boolean; text: string } {
  const spec = obj(obj(route).spec);
  const parents = list(spec.parentRefs).map(obj);
  const publicRoute =
    parents.length === 0 ||
    parents.some(
      (p) => typeof p.sectionName !== 'string' || !ctx.internalListeners.has(p.sectionName),
    );
  const hosts = list(spec.hostnames).map(show);
  const paths = list(spec.rules).flatMap((r) =>
    list(obj(r).matches).map((m) => show(obj(obj(m).path).value ?? '/')),
  );
  const where = parents
    .map((p) => `${show(p.name)}${p.sectionName ? `/${show(p.sectionName)}` : ''}`)
    .join(', ');
  return {
    publicRoute,
    text: `${[...(hosts.length ? hosts : ['*'])].join(',')} ${[...new Set(paths)].join(', ') || '/'} via ${where || 'no parent'}`,
  };
}

/** What a NetworkPolicy opens beyond the cluster: ipBlocks and peer-less rules, with ports. */
function outsidePeers(policy: unknown): string[] {
  const out: string[] = [];
  const spec = obj(obj(policy).spec);
  for (const [direction, peersField] of [
    ['egress', 'to'],
    ['ingress', 'from'],
  ] as const) {
    for (const rule of list(spec[direction]).map(obj)) {
      const ports = list(rule.ports)
        .map((p) => show(obj(p).port ?? '*'))
        .join(',');
      const suffix = ports ? `:${ports}` : '';
      const peers = list(rule[peersField]).map(obj);
      const word = direction === 'egress' ? 'egress to' : 'ingress from';
      if (peers.length === 0) out.push(`${word} anywhere${suffix}`);
      for (const peer of peers) {
        const block = obj(peer.ipBlock);
        if (typeof block.cidr !== 'string') continue;
        const except = list(block.except).map(show);
        out.push(
          `${word} ${block.cidr}${except.length ? ` except ${except.join(',')}` : ''}${suffix}`,
        );
      }
    }
  }
  return out;
}

/** Image and chart references anywhere inside `v`: `field=value` pairs. */
function versionsInside(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => versionsInside(x, out));
  else if (v && typeof v === 'object')
    for (const [k, child] of Object.entries(v)) {
      if (VERSION_FIELDS.has(k) && (typeof child === 'string' || typeof child === 'number'))
        out.push(`${k} ${child}`);
      else versionsInside(child, out);
    }
  return out;
}

/** A change below metadata (labels, annotations) grants and opens nothing. */
const beyondMetadata = (f: FieldChange) => !f.path.startsWith('metadata.');

function isTerraform(input: RiskInput): boolean {
  return input.group === 'terraform';
}

function rbac(input: RiskInput): RiskFlag[] {
  if (isTerraform(input)) {
    if (/^aws_(iam_|eks_access_|eks_pod_identity_)|_policy$/.test(input.kind))
      return [{ kind: 'rbac', detail: `IAM ${input.kind} ${input.status}` }];
    return [];
  }
  if (RBAC_KINDS.has(input.kind) && input.group === 'rbac.authorization.k8s.io') {
    if (input.status === 'changed' && !input.fields.some(beyondMetadata)) return [];
    const body = obj(input.after ?? input.before);
    const detail =
      input.status === 'changed'
        ? fieldSummary(input.fields, beyondMetadata)
        : input.kind.endsWith('Binding')
          ? `${input.status}: ${list(body.subjects)
              .map((s) => `${show(obj(s).kind)} ${show(obj(s).name)}`)
              .join(', ')} → ${show(obj(body.roleRef).kind)} ${show(obj(body.roleRef).name)}`
          : `${input.status}`;
    return [{ kind: 'rbac', detail }];
  }
  const rbacField = (f: FieldChange) =>
    (input.kind === 'AppProject' &&
      /^spec\.(roles|destinations|clusterResourceWhitelist|namespaceResourceWhitelist|sourceNamespaces)/.test(
        f.path,
      )) ||
    /policy\.csv|policy\.default|scopes/.test(f.path);
  if (input.status === 'changed' && input.fields.some(rbacField))
    return [{ kind: 'rbac', detail: fieldSummary(input.fields, rbacField) }];
  if (input.status !== 'changed' && input.kind === 'AppProject')
    return [{ kind: 'rbac', detail: `Argo CD project ${input.status}` }];
  return [];
}

function network(input: RiskInput): RiskFlag[] {
  if (isTerraform(input)) {
    const netField = (f: FieldChange) =>
      /cidr|public_access|endpoint_public|ingress|egress/.test(f.path);
    if (/security_group|network_acl/.test(input.kind))
      return [
        {
          kind: 'network',
          detail:
            input.status === 'changed'
              ? fieldSummary(input.fields, () => true)
              : `${input.kind} ${input.status}`,
        },
      ];
    if (input.status === 'changed' && input.fields.some(netField))
      return [{ kind: 'network', detail: fieldSummary(input.fields, netField) }];
    return [];
  }
  if (
    (input.kind === 'NetworkPolicy' || input.kind === 'AuthorizationPolicy') &&
    input.status === 'changed' &&
    !input.fields.some(beyondMetadata)
  )
    return [];
  if (input.kind === 'NetworkPolicy') {
    if (input.status !== 'added')
      return [
        {
          kind: 'network',
          detail: input.status === 'changed' ? fieldSummary(input.fields, () => true) : 'removed',
        },
      ];
    // A new policy only narrows or allows in-cluster peers unless it reaches outside: that
    // (an ipBlock, or a rule with no peer at all) is what a reviewer must see.
    const outside = outsidePeers(input.after);
    return outside.length ? [{ kind: 'network', detail: `added: ${outside.join(', ')}` }] : [];
  }
  if (input.kind === 'AuthorizationPolicy') {
    if (input.status !== 'added')
      return [
        {
          kind: 'network',
          detail:
            input.status === 'changed'
              ? fieldSummary(input.fields, () => true)
              : 'AuthorizationPolicy removed',
        },
      ];
    const spec = obj(obj(input.after).spec);
    const allowsAnySource =
      (spec.action ?? 'ALLOW') === 'ALLOW' &&
      list(spec.rules).some((r) => list(obj(r).from).length === 0);
    return allowsAnySource
      ? [{ kind: 'network', detail: 'AuthorizationPolicy added that allows any source' }]
      : [];
  }
  if (input.kind === 'Service') {
    const typeField = (f: FieldChange) => f.path === 'spec.type';
    const type = obj(obj(input.after).spec).type;
    if (
      (input.status === 'added' && (type === 'LoadBalancer' || type === 'NodePort')) ||
      input.fields.some(typeField)
    )
      return [{ kind: 'network', detail: `Service type ${show(type)}` }];
  }
  return [];
}

function routes(input: RiskInput, ctx: RiskContext): RiskFlag[] {
  if (ROUTE_KINDS.has(input.kind)) {
    if (input.status === 'removed') return [];
    const { publicRoute, text } = routeSummary(input.after, ctx);
    const exposure = publicRoute ? 'public' : 'in-cluster';
    if (input.status === 'added')
      return publicRoute ? [{ kind: 'route-exposed', detail: `${exposure} route ${text}` }] : [];
    const routing = (f: FieldChange) => /^spec\.(parentRefs|hostnames|rules)/.test(f.path);
    if (input.fields.some(routing))
      return [
        {
          kind: 'route-exposed',
          detail: `${exposure} route ${text} (${fieldSummary(input.fields, routing)})`,
        },
      ];
    return [];
  }
  if (input.kind === 'Gateway' && input.group === 'gateway.networking.k8s.io') {
    const listeners = (f: FieldChange) => f.path.startsWith('spec.listeners');
    // HBONE is the mesh's own tunnel (a waypoint): it serves nothing outside the mesh.
    const open = list(obj(obj(input.after).spec).listeners).filter(
      (l) => obj(l).protocol !== 'HBONE',
    );
    if ((input.status === 'added' && open.length > 0) || input.fields.some(listeners))
      return [
        {
          kind: 'route-exposed',
          detail:
            input.status === 'added'
              ? `Gateway listeners ${open
                  .map((l) => `${show(obj(l).name)}:${show(obj(l).port)}`)
                  .join(', ')}`
              : fieldSummary(input.fields, listeners),
        },
      ];
  }
  return [];
}

function policyMode(input: RiskInput): RiskFlag[] {
  const isPolicy =
    /(^|\.)kyverno\.io$/.test(input.group) ||
    (input.group === 'admissionregistration.k8s.io' && /Policy(Binding)?$/.test(input.kind));
  if (!isPolicy || input.kind === 'PolicyException') return [];
  if (input.status === 'removed') return [{ kind: 'policy-mode', detail: `${input.kind} removed` }];
  const modeField = (f: FieldChange) =>
    f.path.split(/[.[]/).some((segment) => POLICY_MODE_FIELDS.has(segment));
  if (input.status === 'changed' && input.fields.some(modeField)) {
    const f = input.fields.filter(modeField);
    return [
      {
        kind: 'policy-mode',
        detail: f
          .slice(0, 3)
          .map((x) => `${x.path}: ${show(x.before ?? '∅')} → ${show(x.after ?? '∅')}`)
          .join('; '),
      },
    ];
  }
  return [];
}

function policyException(input: RiskInput): RiskFlag[] {
  if (input.kind !== 'PolicyException') return [];
  const spec = obj(obj(input.after ?? input.before).spec);
  const names = list(spec.exceptions)
    .map((e) => show(obj(e).policyName))
    .concat(list(spec.policyRefs).map((r) => show(obj(r).name)));
  return [
    {
      kind: 'policy-exception',
      detail: `${input.status}${names.length ? ` for ${names.join(', ')}` : ''}`,
    },
  ];
}

/**
 * A version field: an image, a chart and its version. An Argo CD `targetRevision` is a chart
 * version only beside a `chart`; beside a git `path` it is the branch the environment follows.
 */
function isVersionField(f: FieldChange, body: unknown): boolean {
  const field = lastSegment(f.path);
  if (!VERSION_FIELDS.has(field)) return false;
  if (field !== 'targetRevision') return true;
  const source = valueAt(body, parentPath(f.path));
  return !!source && typeof source === 'object' && 'chart' in source;
}

function versions(input: RiskInput): RiskFlag[] {
  if (input.status === 'changed') {
    const version = (f: FieldChange) => isVersionField(f, input.after);
    const hits = input.fields.filter(version);
    if (hits.length === 0) return [];
    return [
      {
        kind: 'image',
        detail: hits
          .slice(0, 3)
          .map((f) => `${f.path}: ${show(f.before ?? '∅')} → ${show(f.after ?? '∅')}`)
          .join('; '),
      },
    ];
  }
  if (input.status === 'added') {
    const images = [...new Set(versionsInside(input.after))].filter(
      (v) => v.startsWith('image ') || v.startsWith('chart '),
    );
    if (images.length) return [{ kind: 'image', detail: images.slice(0, 5).join(', ') }];
  }
  return [];
}

function terraformLifecycle(input: RiskInput, ctx: RiskContext): RiskFlag[] {
  if (!ctx.terraformLifecycle || !isTerraform(input)) return [];
  if (TERRAFORM_BLOCKS_WITHOUT_LIFECYCLE.test(input.kind)) return [];
  if (input.status === 'removed')
    return [{ kind: 'terraform-destroy', detail: `${input.kind} is destroyed` }];
  return [];
}

/** The risk flags of one resource change; empty when nothing about it needs a second look. */
export function classifyRisks(input: RiskInput, ctx: RiskContext): RiskFlag[] {
  return [
    ...rbac(input),
    ...network(input),
    ...routes(input, ctx),
    ...policyMode(input),
    ...policyException(input),
    ...versions(input),
    ...terraformLifecycle(input, ctx),
  ];
}
