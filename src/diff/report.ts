import type { EnvironmentComparison } from './compare';
import { LAYER_ORDER } from './resources';
import { RISK_KINDS, type RiskKind } from './risk';

export type DiffMode = 'environments' | 'base' | 'live';

/** What `npm run diff` found: one comparison an environment (one for two environments). */
export interface DiffReport {
  readonly mode: DiffMode;
  /** One line saying what was compared with what. */
  readonly title: string;
  readonly comparisons: readonly EnvironmentComparison[];
}

export interface LayerCounts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

export interface DiffSummary extends LayerCounts {
  readonly unchanged: number;
  readonly identityOnly: number;
  /** Changes carrying at least one risk flag. */
  readonly flagged: number;
  /** Flags by kind (a change may carry several). */
  readonly risks: Readonly<Record<RiskKind, number>>;
  readonly layers: Readonly<Record<string, LayerCounts>>;
}

/** Counts every report format shows, computed once so they cannot disagree. */
export function summarize(report: DiffReport): DiffSummary {
  const risks = Object.fromEntries(RISK_KINDS.map((k) => [k, 0])) as Record<RiskKind, number>;
  const layers: Record<string, { added: number; removed: number; changed: number }> = {};
  let added = 0;
  let removed = 0;
  let changed = 0;
  let flagged = 0;
  let unchanged = 0;
  let identityOnly = 0;
  for (const c of report.comparisons) {
    unchanged += c.unchanged;
    identityOnly += c.identityOnly;
    for (const ch of c.changes) {
      const layer = (layers[ch.layer] ??= { added: 0, removed: 0, changed: 0 });
      layer[ch.status]++;
      if (ch.status === 'added') added++;
      else if (ch.status === 'removed') removed++;
      else changed++;
      if (ch.risks.length > 0) flagged++;
      for (const r of ch.risks) risks[r.kind]++;
    }
  }
  const ordered = Object.fromEntries(
    Object.entries(layers).sort(
      ([a], [b]) =>
        (LAYER_ORDER.indexOf(a) + 1 || 99) - (LAYER_ORDER.indexOf(b) + 1 || 99) ||
        a.localeCompare(b),
    ),
  );
  return { added, removed, changed, unchanged, identityOnly, flagged, risks, layers: ordered };
}

/**
 * Exit codes a script can branch on: 0 no difference, 1 differences none of which is flagged,
 * 3 at least one flagged change (2 is left for usage and input errors).
 */
export const EXIT = { same: 0, differs: 1, error: 2, flagged: 3 } as const;

export function exitCodeOf(report: DiffReport): number {
  const s = summarize(report);
  if (s.flagged > 0) return EXIT.flagged;
  return s.added + s.removed + s.changed > 0 ? EXIT.differs : EXIT.same;
}
