import { byLayer, fieldLine, normalizedLine, resourceLabel, STATUS_MARK } from './present';
import { summarize, type DiffReport, type DiffSummary } from './report';
import { RISK_KINDS, RISK_TITLES } from './risk';

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, bold: 1, dim: 2 } as const;
type Style = keyof typeof CODES;

export interface TextOptions {
  /** ANSI colours; the CLI turns them on for a terminal only. @default false */
  readonly color?: boolean;
}

export function summaryLine(s: DiffSummary): string {
  const flags = RISK_KINDS.filter((k) => s.risks[k] > 0).map(
    (k) => `${s.risks[k]} ${RISK_TITLES[k]}`,
  );
  return (
    `${s.added} added, ${s.removed} removed, ${s.changed} changed; ${s.unchanged} unchanged` +
    (s.identityOnly > 0 ? ` (${s.identityOnly} differ only by environment identity)` : '') +
    `; ${s.flagged} flagged${flags.length ? `: ${flags.join(', ')}` : ''}`
  );
}

/** The report for a terminal: one line an object, its fields indented, flags after a ⚑. */
export function renderDiffText(report: DiffReport, options: TextOptions = {}): string {
  const paint = (style: Style, s: string) =>
    options.color ? `\x1b[${CODES[style]}m${s}\x1b[0m` : s;
  const statusStyle = { added: 'green', removed: 'red', changed: 'yellow' } as const;
  const lines: string[] = [paint('bold', `diff ${report.title}`), summaryLine(summarize(report))];
  for (const c of report.comparisons) {
    lines.push('', paint('bold', `${c.left} → ${c.right}`));
    if (c.normalized) {
      lines.push(paint('dim', `  normalized ${c.left}: ${normalizedLine(c.normalized.left)}`));
      lines.push(paint('dim', `  normalized ${c.right}: ${normalizedLine(c.normalized.right)}`));
    }
    for (const n of c.notes ?? []) lines.push(paint('yellow', `  note: ${n}`));
    if (c.changes.length === 0) lines.push('  no differences');
    for (const [layer, changes] of byLayer(c)) {
      lines.push(paint('bold', `  ${layer}`));
      for (const ch of changes) {
        lines.push(
          paint(statusStyle[ch.status], `    ${STATUS_MARK[ch.status]} ${resourceLabel(ch)}`) +
            paint('dim', `  ${ch.file}`),
        );
        for (const r of ch.risks)
          lines.push(paint('magenta', `        ⚑ ${RISK_TITLES[r.kind]}: ${r.detail}`));
        for (const f of ch.fields) lines.push(`        ${fieldLine(f)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
