import {
  collectStrings,
  type EnvironmentNormalizer,
  type IdentityValue,
} from './environment-identity';
import { fieldChanges, parentPath, valueAt, type FieldChange } from './field-changes';
import { LAYER_ORDER, type Resource } from './resources';
import { classifyRisks, type RiskContext, type RiskFlag } from './risk';

/** One object that differs between the two sides. */
export interface ResourceChange {
  readonly status: 'added' | 'removed' | 'changed';
  /** Identity it was matched by, normalized when the sides are two environments. */
  readonly key: string;
  readonly layer: string;
  readonly kind: string;
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  readonly tenant?: string;
  /** File on the right side, or on the left when the object was removed. */
  readonly file: string;
  /** The fields that differ (changed objects only). */
  readonly fields: readonly FieldChange[];
  readonly risks: readonly RiskFlag[];
  /** The whole object, for an added (right side) or removed (left side) one. */
  readonly body?: unknown;
}

/** The comparison of one environment's output on two sides. */
export interface EnvironmentComparison {
  /** Left and right, as the report names them: `staging`, `prod@1a2b3c4`, `live cluster`. */
  readonly left: string;
  readonly right: string;
  readonly changes: readonly ResourceChange[];
  /** Objects equal on both sides (after normalization, when normalized). */
  readonly unchanged: number;
  /** Of those, the objects whose text differs only by what identifies the environment. */
  readonly identityOnly: number;
  /** What the comparison could not look at (a kind the cluster does not serve). */
  readonly notes?: readonly string[];
  /** The spec values each side's normalization replaced, when the sides are two environments. */
  readonly normalized?: {
    readonly left: readonly IdentityValue[];
    readonly right: readonly IdentityValue[];
  };
}

export interface CompareOptions {
  readonly risk: RiskContext;
  /** Set both to compare two different environments; leave unset for two states of one. */
  readonly normalizeLeft?: EnvironmentNormalizer;
  readonly normalizeRight?: EnvironmentNormalizer;
}

const identity = <T>(v: T) => v;

function layerRank(layer: string): number {
  const i = LAYER_ORDER.indexOf(layer);
  return i === -1 ? LAYER_ORDER.length : i;
}

/** Orders changes as reports show them: by layer, then tenant, then identity. */
export function compareChanges(a: ResourceChange, b: ResourceChange): number {
  return (
    layerRank(a.layer) - layerRank(b.layer) ||
    (a.tenant ?? '').localeCompare(b.tenant ?? '') ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/** Objects keyed by identity; a second object with the same identity is keyed by its file too. */
function byKey(
  resources: readonly Resource[],
  name: (s: string) => string,
): Map<string, Resource & { readonly matchKey: string }> {
  const out = new Map<string, Resource & { readonly matchKey: string }>();
  for (const r of resources) {
    const base =
      r.group === 'terraform'
        ? `terraform/${r.kind} ${name(r.name)}`
        : `${r.group}/${r.kind} ${r.namespace !== undefined ? `${name(r.namespace)}/` : ''}${name(r.name)}`;
    const matchKey = out.has(base) ? `${base} (${r.file})` : base;
    out.set(matchKey, { ...r, matchKey });
  }
  return out;
}

const DIGEST = /^(sha256-)?[0-9a-f]{8,64}$/;

function without(v: unknown, field: string): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const rest: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  delete rest[field];
  return rest;
}

/**
 * A digest computed from its own object (a catalog entry's `version`), changed only because
 * that object holds environment-specific values: the rest of the object is equal once
 * normalized but not before. A digest of something else (an annotation hashing another
 * object) has equal raw siblings and stays reported.
 */
function isIdentityDerivedDigest(
  f: FieldChange,
  rawLeft: unknown,
  rawRight: unknown,
  normLeft: unknown,
  normRight: unknown,
): boolean {
  if (f.op !== 'changed' || typeof f.before !== 'string' || typeof f.after !== 'string')
    return false;
  if (!DIGEST.test(f.before) || !DIGEST.test(f.after) || f.before.length !== f.after.length)
    return false;
  const parent = parentPath(f.path);
  const field = f.path.slice(parent.length).replace(/^\./, '');
  const nl = without(valueAt(normLeft, parent), field);
  const nr = without(valueAt(normRight, parent), field);
  const rl = without(valueAt(rawLeft, parent), field);
  const rr = without(valueAt(rawRight, parent), field);
  if (nl === undefined || rl === undefined) return false;
  return fieldChanges(nl, nr).length === 0 && stable(rl) !== stable(rr);
}

function stable(v: unknown): string {
  return JSON.stringify(v);
}

/**
 * Matches the objects of two outputs by identity and reports, per object, what exists on one
 * side only and which fields differ, each change classified by risk.
 */
export function compareResources(
  left: readonly Resource[],
  right: readonly Resource[],
  options: CompareOptions,
): Omit<EnvironmentComparison, 'left' | 'right'> {
  const normL = options.normalizeLeft;
  const normR = options.normalizeRight;
  let keep: ReadonlySet<string> = new Set();
  if (normL && normR) {
    const l = collectStrings(left.map((r) => r.body));
    const r = collectStrings(right.map((x) => x.body));
    keep = new Set([...l].filter((s) => r.has(s)));
  }
  const nameL = normL ? (s: string) => (keep.has(s) ? s : normL.string(s)) : identity;
  const nameR = normR ? (s: string) => (keep.has(s) ? s : normR.string(s)) : identity;
  const valueL = normL ? (v: unknown) => normL.value(v, keep) : identity;
  const valueR = normR ? (v: unknown) => normR.value(v, keep) : identity;

  const l = byKey(left, nameL);
  const r = byKey(right, nameR);
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  let identityOnly = 0;
  const describe = (res: Resource & { matchKey: string }, name: (s: string) => string) => ({
    key: res.matchKey,
    layer: res.layer,
    kind: res.kind,
    group: res.group,
    ...(res.namespace !== undefined && { namespace: name(res.namespace) }),
    name: name(res.name),
    ...(res.tenant !== undefined && { tenant: res.tenant }),
    file: res.file,
  });

  for (const [key, before] of l) {
    const after = r.get(key);
    if (!after) {
      const risks = classifyRisks(
        {
          status: 'removed',
          kind: before.kind,
          group: before.group,
          before: before.body,
          fields: [],
        },
        options.risk,
      );
      changes.push({
        status: 'removed',
        ...describe(before, nameL),
        fields: [],
        risks,
        body: before.body,
      });
      continue;
    }
    const normBefore = valueL(before.body);
    const normAfter = valueR(after.body);
    const fields = fieldChanges(normBefore, normAfter).filter(
      (f) =>
        !(normL && normR) ||
        !isIdentityDerivedDigest(f, before.body, after.body, normBefore, normAfter),
    );
    if (fields.length === 0) {
      unchanged++;
      if (stable(before.body) !== stable(after.body)) identityOnly++;
      continue;
    }
    const risks = classifyRisks(
      {
        status: 'changed',
        kind: after.kind,
        group: after.group,
        before: before.body,
        after: after.body,
        fields,
      },
      options.risk,
    );
    changes.push({ status: 'changed', ...describe(after, nameR), fields, risks });
  }
  for (const [key, after] of r) {
    if (l.has(key)) continue;
    const risks = classifyRisks(
      { status: 'added', kind: after.kind, group: after.group, after: after.body, fields: [] },
      options.risk,
    );
    changes.push({
      status: 'added',
      ...describe(after, nameR),
      fields: [],
      risks,
      body: after.body,
    });
  }
  return {
    changes: markTerraformReplacements(changes, options.risk).sort(compareChanges),
    unchanged,
    identityOnly,
  };
}

/**
 * A Terraform resource whose address changed is destroyed and created again (unless a `moved`
 * block says otherwise): an added resource of the same type as a removed one is flagged as its
 * likely replacement.
 */
function markTerraformReplacements(changes: ResourceChange[], risk: RiskContext): ResourceChange[] {
  if (!risk.terraformLifecycle) return changes;
  const removedByType = new Map<string, string[]>();
  for (const c of changes)
    if (
      c.group === 'terraform' &&
      c.status === 'removed' &&
      c.risks.some((f) => f.kind === 'terraform-destroy')
    )
      removedByType.set(c.kind, [...(removedByType.get(c.kind) ?? []), c.name]);
  return changes.map((c) => {
    const gone =
      c.status === 'added' && c.group === 'terraform' ? removedByType.get(c.kind) : undefined;
    if (!gone) return c;
    return {
      ...c,
      risks: [
        ...c.risks,
        {
          kind: 'terraform-replace',
          detail: `${c.kind}.${c.name} is created while ${gone.map((n) => `${c.kind}.${n}`).join(', ')} is destroyed: an address change replaces the resource unless a moved block maps it`,
        },
      ],
    };
  });
}
