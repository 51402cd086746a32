import type { KubernetesObject } from '@kubernetes/client-node';

/** One step into an object: a map key or a list index. */
export type PathSegment = string | number;

/** A field of a live object that a manager other than the sync wrote and git does not declare. */
export interface ForeignField {
  readonly path: readonly PathSegment[];
  /** Who wrote it, as `managedFields` names them (`kubectl-label`, `kube-controller-manager`). */
  readonly managers: readonly string[];
}

interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly subresource?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: Record<string, unknown>;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (!isMap(a) || !isMap(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => sameJson(a[k], b[k]));
}

/**
 * A field a manager owns. `node` marks a `.` member: the manager owns that the map or list item
 * exists, not every field inside it (those are listed on their own).
 */
export interface OwnedPath {
  readonly path: readonly PathSegment[];
  readonly node: boolean;
}

/**
 * The fields a FieldsV1 set owns, resolved against the object it describes: `f:<name>` is a
 * map key, `k:<json>` the list item whose key fields equal it, `v:<json>` the set item equal to
 * it, `i:<n>` a list index, `.` the node itself. Members the object no longer has are skipped.
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
 */
export function ownedPaths(
  fields: Record<string, unknown>,
  value: unknown,
  prefix: readonly PathSegment[] = [],
): OwnedPath[] {
  const out: OwnedPath[] = [];
  for (const [member, children] of Object.entries(fields)) {
    if (member === '.') {
      out.push({ path: [...prefix], node: true });
      continue;
    }
    let segment: PathSegment | undefined;
    if (member.startsWith('f:')) {
      const name = member.slice(2);
      if (isMap(value) && name in value) segment = name;
    } else if (Array.isArray(value)) {
      const selector = member.slice(2);
      if (member.startsWith('k:')) {
        const key = JSON.parse(selector) as Record<string, unknown>;
        const i = value.findIndex(
          (item) => isMap(item) && Object.entries(key).every(([k, v]) => sameJson(item[k], v)),
        );
        if (i >= 0) segment = i;
      } else if (member.startsWith('v:')) {
        const wanted = JSON.parse(selector) as unknown;
        const i = value.findIndex((item) => sameJson(item, wanted));
        if (i >= 0) segment = i;
      } else if (member.startsWith('i:')) {
        const i = Number(selector);
        if (Number.isInteger(i) && i >= 0 && i < value.length) segment = i;
      }
    }
    if (segment === undefined) continue;
    const path = [...prefix, segment];
    const child = (value as Record<PathSegment, unknown>)[segment];
    if (isMap(children) && Object.keys(children).length > 0)
      out.push(...ownedPaths(children, child, path));
    else out.push({ path, node: false });
  }
  return out;
}

const key = (p: readonly PathSegment[]) => JSON.stringify(p);

function isPrefix(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}

/** Fields the server writes and the diff strips anyway. */
function isServerBookkeeping(path: readonly PathSegment[]): boolean {
  return path[0] === 'status' || (path[0] === 'metadata' && path[1] === 'managedFields');
}

/**
 * What the API server itself writes into every Namespace: its name label and the `kubernetes`
 * finalizer. They are owned by nobody when git's Namespace creates it, but by the placeholder
 * manager `before-first-apply` when the namespace existed before its first apply (Argo CD's
 * `CreateNamespace=true`, then the sync of git's Namespace): not drift either way.
 */
function isServerDefault(applied: KubernetesObject, path: readonly PathSegment[]): boolean {
  if (applied.apiVersion !== 'v1' || applied.kind !== 'Namespace') return false;
  const [a, b, c] = path;
  if (a === 'metadata' && b === 'labels' && c === 'kubernetes.io/metadata.name')
    return path.length === 3 && applied.metadata?.labels?.[c] === applied.metadata?.name;
  if (a === 'spec' && b === 'finalizers') {
    const finalizers = (applied as { spec?: { finalizers?: unknown } }).spec?.finalizers;
    return sameJson(finalizers, ['kubernetes']);
  }
  return false;
}

/**
 * The fields of `applied` (the server-side apply dry-run of git's object, as `syncManager`)
 * that only other managers own: what someone or something set outside git (`kubectl label`,
 * `kubectl edit` of a field git leaves unset, a controller's finalizer). A field the sync also
 * owns is git's; a default the server filled in is owned by nobody; the status subresource is
 * not git's business.
 */
export function foreignFields(applied: KubernetesObject, syncManager: string): ForeignField[] {
  const entries = (applied.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const spec = entries.filter((e) => e.fieldsType === 'FieldsV1' && e.fieldsV1 && !e.subresource);
  const ours = spec
    .filter((e) => e.manager === syncManager)
    .flatMap((e) => ownedPaths(e.fieldsV1!, applied));
  const byPath = new Map<string, { path: PathSegment[]; managers: Set<string> }>();
  // Git's when the sync owns it, owns a whole value around it (a leaf: an atomic map or list),
  // or owns something inside it (a list item both wrote).
  const isGits = (path: readonly PathSegment[]) =>
    ours.some((o) => isPrefix(path, o.path) || (!o.node && isPrefix(o.path, path)));
  for (const e of spec) {
    if (e.manager === syncManager) continue;
    for (const { path } of ownedPaths(e.fieldsV1!, applied)) {
      if (isServerBookkeeping(path) || isServerDefault(applied, path) || isGits(path)) continue;
      const entry = byPath.get(key(path)) ?? { path: [...path], managers: new Set<string>() };
      entry.managers.add(e.manager ?? '(unnamed manager)');
      byPath.set(key(path), entry);
    }
  }
  // A list item another manager added is one field, not the item plus each of its fields.
  const found = [...byPath.values()];
  return found
    .filter((e) => !found.some((o) => o !== e && isPrefix(o.path, e.path)))
    .map((e) => ({ path: e.path, managers: [...e.managers].sort() }))
    .sort((a, b) => (key(a.path) < key(b.path) ? -1 : 1));
}

function compareForDeletion(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    // Higher list indices first, so removing one item does not shift the next.
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(x) < String(y) ? -1 : 1;
  }
  return b.length - a.length;
}

/** A copy of `o` without the given fields: git's object as the sync declares it. */
export function withoutPaths<T>(o: T, paths: readonly (readonly PathSegment[])[]): T {
  const copy = structuredClone(o);
  for (const path of [...paths].sort(compareForDeletion)) {
    let parent: unknown = copy;
    for (const s of path.slice(0, -1)) parent = (parent as Record<PathSegment, unknown>)?.[s];
    const last = path[path.length - 1];
    if (last === undefined) continue;
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else if (isMap(parent)) delete parent[last];
  }
  return copy;
}

const ITEM_IDENTITY = ['name', 'key', 'id'] as const;

/**
 * `metadata.labels["drift/added"]`, `spec.containers[name=app].env[name=X]`: a path as the
 * field changes print it, a list item by its identity when `root` gives it one.
 */
export function showPath(path: readonly PathSegment[], root?: unknown): string {
  let value = root;
  return path
    .map((s, i) => {
      const item = typeof s === 'number' && Array.isArray(value) ? value[s] : undefined;
      value = (value as Record<PathSegment, unknown> | undefined)?.[s];
      if (typeof s === 'number') {
        const field = isMap(item)
          ? ITEM_IDENTITY.find((f) => ['string', 'number'].includes(typeof item[f]))
          : undefined;
        return field ? `[${field}=${String((item as Record<string, unknown>)[field])}]` : `[${s}]`;
      }
      return /^[A-Za-z_$][\w$]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `[${JSON.stringify(s)}]`;
    })
    .join('');
}
