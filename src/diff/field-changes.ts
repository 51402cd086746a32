import { create, type Delta } from 'jsondiffpatch';

/** One field that differs between the two sides of a resource. */
export interface FieldChange {
  /** Readable path: `spec.egress[1].to[0].ipBlock.cidr`, `spec.containers[name=app].image`. */
  readonly path: string;
  readonly op: 'added' | 'removed' | 'changed' | 'moved';
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Fields that identify an item of a list, so lists are matched by item, not by position. */
const ITEM_IDENTITY = ['name', 'key', 'id'] as const;

function itemIdentity(item: unknown): string | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  for (const field of ITEM_IDENTITY) {
    const v = (item as Record<string, unknown>)[field];
    if (typeof v === 'string' || typeof v === 'number') return `${field}=${v}`;
  }
  return undefined;
}

// Items with an identity match by it; others by content, so an unchanged rule in a list of
// rules is matched wherever it moved and a changed one is paired below with its replacement.
const patcher = create({
  objectHash: (item) => itemIdentity(item) ?? JSON.stringify(item),
  arrays: { detectMove: true, includeValueOnMove: false },
  cloneDiffValues: false,
});

/** Marks where a path enters a JSON document held in a string field. */
export const EMBEDDED_JSON = '(json)';

function embeddedJson(v: unknown): object | undefined {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return undefined;
  try {
    const parsed = JSON.parse(v) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Marks where a path enters the lines of a multi-line string (policy.csv, a prompt). */
export const LINES = '(lines)';

function isMultiLine(v: unknown): v is string {
  return typeof v === 'string' && v.includes('\n');
}

/**
 * The lines one multi-line string has and the other has not (counted, so a repeated line is
 * not lost): `policy.csv` gaining one tenant's grants reads as those lines, not a whole blob.
 */
function lineChanges(path: string, before: string, after: string): FieldChange[] {
  /** Lines of `from` that `against` does not have, as many times as they are missing. */
  const missing = (from: string, against: string) => {
    const left = new Map<string, number>();
    for (const line of against.split('\n')) left.set(line, (left.get(line) ?? 0) + 1);
    return from.split('\n').filter((line) => {
      const n = left.get(line) ?? 0;
      if (n > 0) left.set(line, n - 1);
      return n === 0;
    });
  };
  const at = `${path}${LINES}`;
  const out: FieldChange[] = [
    ...missing(before, after).map((line): FieldChange => ({
      path: at,
      op: 'removed',
      before: line,
    })),
    ...missing(after, before).map((line): FieldChange => ({ path: at, op: 'added', after: line })),
  ];
  // Same lines in another order: still a change, reported whole.
  return out.length > 0 ? out : [{ path, op: 'changed', before, after }];
}

function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function join(path: string, segment: string): string {
  return path === '' ? segment.replace(/^\./, '') : `${path}${segment}`;
}

function itemSegment(item: unknown, index: number): string {
  const id = itemIdentity(item);
  return id === undefined ? `[${index}]` : `[${id}]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function flatten(delta: Delta, left: unknown, right: unknown, path: string, out: FieldChange[]) {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    if (delta.length === 1) out.push({ path, op: 'added', after: delta[0] });
    else if (delta.length === 2) {
      const [before, after] = [embeddedJson(delta[0]), embeddedJson(delta[1])];
      // A JSON document held in a string (a ConfigMap's catalog.json) is compared as data.
      if (before !== undefined && after !== undefined)
        flatten(patcher.diff(before, after), before, after, `${path}${EMBEDDED_JSON}`, out);
      else if (isMultiLine(delta[0]) && isMultiLine(delta[1]))
        out.push(...lineChanges(path, delta[0], delta[1]));
      else out.push({ path, op: 'changed', before: delta[0], after: delta[1] });
    } else if (delta[2] === 0) out.push({ path, op: 'removed', before: delta[0] });
    return;
  }
  const d = delta as Record<string, Delta> & { _t?: 'a' };
  if (d._t !== 'a') {
    for (const key of Object.keys(d).sort()) {
      const l = isPlainObject(left) ? left[key] : undefined;
      const r = isPlainObject(right) ? right[key] : undefined;
      flatten(d[key], l, r, join(path, keySegment(key)), out);
    }
    return;
  }
  const l = (Array.isArray(left) ? left : []) as unknown[];
  const r = (Array.isArray(right) ? right : []) as unknown[];
  const removed: { index: number; value: unknown }[] = [];
  const added: { index: number; value: unknown }[] = [];
  const nested: FieldChange[] = [];
  for (const key of Object.keys(d)) {
    if (key === '_t') continue;
    const child = d[key] as Delta;
    if (key.startsWith('_')) {
      const index = Number(key.slice(1));
      const c = child as unknown[];
      if (c[2] === 3) {
        const to = c[1] as number;
        nested.push({
          path: join(path, itemSegment(l[index], index)),
          op: 'moved',
          before: index,
          after: to,
        });
      } else removed.push({ index, value: l[index] });
    } else {
      const index = Number(key);
      if (Array.isArray(child) && child.length === 1) added.push({ index, value: child[0] });
      else flatten(child, undefined, r[index], join(path, itemSegment(r[index], index)), nested);
    }
  }
  // An object without identity that was replaced by another at the same place is reported as
  // the fields that changed inside it, not as a whole item removed and another added.
  const unnamed = (x: { value: unknown }) =>
    isPlainObject(x.value) && itemIdentity(x.value) === undefined;
  const removedUnnamed = removed.filter(unnamed).sort((a, b) => a.index - b.index);
  const addedUnnamed = added.filter(unnamed).sort((a, b) => a.index - b.index);
  const paired = new Set<unknown>();
  for (let i = 0; i < Math.min(removedUnnamed.length, addedUnnamed.length); i++) {
    const before = removedUnnamed[i]!;
    const after = addedUnnamed[i]!;
    paired.add(before).add(after);
    flatten(
      patcher.diff(before.value, after.value),
      before.value,
      after.value,
      join(path, `[${after.index}]`),
      nested,
    );
  }
  // A scalar replaced by another at the same index (`validationActions[0]: Audit → Deny`).
  const isScalar = (v: unknown) => v === null || typeof v !== 'object';
  for (const before of removed) {
    const after = added.find((a) => !paired.has(a) && a.index === before.index);
    if (!after || paired.has(before) || !isScalar(before.value) || !isScalar(after.value)) continue;
    paired.add(before).add(after);
    nested.push({
      path: join(path, `[${after.index}]`),
      op: 'changed',
      before: before.value,
      after: after.value,
    });
  }
  for (const x of removed.sort((a, b) => a.index - b.index))
    if (!paired.has(x))
      out.push({ path: join(path, itemSegment(x.value, x.index)), op: 'removed', before: x.value });
  for (const x of added.sort((a, b) => a.index - b.index))
    if (!paired.has(x))
      out.push({ path: join(path, itemSegment(x.value, x.index)), op: 'added', after: x.value });
  out.push(...nested);
}

/** The fields that differ from `left` to `right`, empty when they are equal. */
export function fieldChanges(left: unknown, right: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  flatten(patcher.diff(left, right), left, right, '', out);
  return out;
}

const SEGMENT =
  /^(?:\.?([A-Za-z_$][\w$-]*)|\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|\[(name|key|id)=([^\]]*)\]|(\(json\)))/;

/**
 * The value at a path `fieldChanges` reported, inside `root`; undefined when it is not there.
 * Lets a classifier look at the object around a changed field (the source of a targetRevision).
 */
export function valueAt(root: unknown, path: string): unknown {
  let rest = path;
  let cur: unknown = root;
  while (rest !== '') {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    if (m[1] !== undefined || m[2] !== undefined) {
      const key = m[1] ?? (JSON.parse(m[2]!) as string);
      cur = isPlainObject(cur) ? cur[key] : undefined;
    } else if (m[3] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[3])] : undefined;
    else if (m[4] !== undefined)
      cur = Array.isArray(cur) ? cur.find((x) => itemIdentity(x) === `${m[4]}=${m[5]}`) : undefined;
    else cur = embeddedJson(cur);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The path of the object holding the field at `path` (`a.b[0].c` → `a.b[0]`). */
export function parentPath(path: string): string {
  return path.replace(/(\.[A-Za-z_$][\w$-]*|\["(?:[^"\\]|\\.)*"\]|\[[^\]]*\]|\(json\))$/, '');
}
