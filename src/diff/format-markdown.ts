import { byLayer, fieldLine, normalizedLine, resourceLabel, STATUS_MARK } from './present';
import { summarize, type DiffReport } from './report';
import { RISK_TITLES } from './risk';
import { summaryLine } from './format-text';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives any content: HTML-escaped, pipes escaped for table cells. */
function code(s: string): string {
  return `<code>${escapeHtml(s).replace(/\|/g, '&#124;')}</code>`;
}

function cell(s: string): string {
  return escapeHtml(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The report as GitHub-flavoured Markdown: the summary and every flagged change first (what a
 * reviewer must read), then each environment's changes by layer inside a collapsed block.
 */
export function renderDiffMarkdown(report: DiffReport): string {
  const s = summarize(report);
  const out: string[] = [
    `### Semantic diff: ${cell(report.title)}`,
    '',
    `**${summaryLine(s)}**`,
    '',
  ];
  const flagged = report.comparisons.flatMap((c) =>
    c.changes.flatMap((ch) => ch.risks.map((r) => ({ c, ch, r }))),
  );
  if (flagged.length > 0) {
    out.push('| flag | compared | object | detail |', '|---|---|---|---|');
    for (const { c, ch, r } of flagged)
      out.push(
        `| **${RISK_TITLES[r.kind]}** | ${cell(c.right)} | ${STATUS_MARK[ch.status]} ${code(resourceLabel(ch))} | ${cell(r.detail)} |`,
      );
    out.push('');
  }
  for (const c of report.comparisons) {
    const counts = { added: 0, removed: 0, changed: 0 };
    for (const ch of c.changes) counts[ch.status]++;
    out.push(
      `<details><summary><b>${escapeHtml(c.left)} → ${escapeHtml(c.right)}</b>: ${counts.added} added, ${counts.removed} removed, ${counts.changed} changed, ${c.unchanged} unchanged</summary>`,
      '',
    );
    if (c.normalized)
      out.push(
        `Normalized before comparing: ${cell(c.left)} ${code(normalizedLine(c.normalized.left))}; ${cell(c.right)} ${code(normalizedLine(c.normalized.right))}`,
        '',
      );
    for (const n of c.notes ?? []) out.push(`> **Note:** ${cell(n)}`, '');
    if (c.changes.length === 0) out.push('No differences.', '');
    for (const [layer, changes] of byLayer(c)) {
      out.push(`#### ${layer}`, '');
      for (const ch of changes) {
        const flags = ch.risks.map((r) => ` ⚑ **${RISK_TITLES[r.kind]}**`).join('');
        out.push(`- ${STATUS_MARK[ch.status]} ${code(resourceLabel(ch))} ${code(ch.file)}${flags}`);
        for (const f of ch.fields) out.push(`  - ${code(fieldLine(f, 200))}`);
      }
      out.push('');
    }
    out.push('</details>', '');
  }
  return `${out.join('\n')}\n`;
}
