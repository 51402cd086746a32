import type { EnvironmentComparison, ResourceChange } from './compare';
import type { FieldChange } from './field-changes';
import { LAYER_ORDER } from './resources';

/** `Kind namespace/name`, or `aws_type.name` for Terraform: how every format names an object. */
export function resourceLabel(
  c: Pick<ResourceChange, 'group' | 'kind' | 'namespace' | 'name'>,
): string {
  if (c.group === 'terraform') return `${c.kind}.${c.name}`;
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
}

/** A value on one line, cut at `max` characters. */
export function showValue(v: unknown, max = 120): string {
  if (v === undefined) return '∅';
  const s =
    typeof v === 'string'
      ? /^[\w./:@«»+-]*$/.test(v) && v !== ''
        ? v
        : JSON.stringify(v)
      : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `path: before → after`, `path: + value`, `path: − value`, `path: moved 1 → 0`. */
export function fieldLine(f: FieldChange, max = 120): string {
  switch (f.op) {
    case 'added':
      return `${f.path}: + ${showValue(f.after, max)}`;
    case 'removed':
      return `${f.path}: − ${showValue(f.before, max)}`;
    case 'moved':
      return `${f.path}: moved from [${String(f.before)}] to [${String(f.after)}]`;
    default:
      return `${f.path}: ${showValue(f.before, max)} → ${showValue(f.after, max)}`;
  }
}

export const STATUS_MARK: Readonly<Record<ResourceChange['status'], string>> = {
  added: '+',
  removed: '-',
  changed: '~',
};

/** Changes of one comparison grouped by layer, in the documented layer order. */
export function byLayer(c: EnvironmentComparison): [string, ResourceChange[]][] {
  const groups = new Map<string, ResourceChange[]>();
  for (const ch of c.changes) groups.set(ch.layer, [...(groups.get(ch.layer) ?? []), ch]);
  const rank = (l: string) => LAYER_ORDER.indexOf(l) + 1 || LAYER_ORDER.length + 1;
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `«name»=staging, «cluster.domain»=…`: what one side's normalization replaced. */
export function normalizedLine(values: readonly { placeholder: string; value: string }[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const v of values) {
    if (seen.has(v.placeholder)) continue;
    seen.add(v.placeholder);
    parts.push(`${v.placeholder}=${v.value}`);
  }
  return parts.join(', ');
}
