import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listTree } from '../../src/synth/tree-writer';

/**
 * Whether a dist/ path belongs to `tenant`: one of its folders (`tenants/<t>/`,
 * `platform/tenant-sync/<t>/`, any folder named after it) or a per-tenant object file
 * named `<kind>-…<t>.yaml` (its AppProject `appproject-tenant-<t>.yaml`, a labelled catalog
 * ConfigMap). Generated tenant names (t00042) never occur inside another tenant's names.
 */
export function belongsTo(file: string, tenant: string): boolean {
  const parts = file.split('/');
  const base = parts.at(-1)!;
  return parts.slice(0, -1).includes(tenant) || base.endsWith(`-${tenant}.yaml`);
}

/** Files of `dir` as path → bytes. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of listTree(dir)) out.set(f, readFileSync(path.join(dir, f), 'utf8'));
  return out;
}

/** Paths added, removed or changed between two snapshots. */
export function changedPaths(a: Map<string, string>, b: Map<string, string>): string[] {
  const out = new Set<string>();
  for (const [p, c] of a) if (b.get(p) !== c) out.add(p);
  for (const p of b.keys()) if (!a.has(p)) out.add(p);
  return [...out].sort();
}
