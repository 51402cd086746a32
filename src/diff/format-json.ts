import { summarize, type DiffReport } from './report';

/** Version of the JSON report's shape; bumped when a field changes meaning. */
export const JSON_REPORT_VERSION = 1;

/** The whole report as JSON, with the same summary counts every other format prints. */
export function renderDiffJson(report: DiffReport): string {
  return `${JSON.stringify({ version: JSON_REPORT_VERSION, mode: report.mode, title: report.title, summary: summarize(report), comparisons: report.comparisons }, null, 2)}\n`;
}
