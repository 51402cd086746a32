import type { CheckReport, Finding } from './run-check';

/** Groups findings by file, sorted, for every human-readable format. */
function byFile(findings: readonly Finding[]): [string, Finding[]][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.file, [...(groups.get(f.file) ?? []), f]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

/** A finding's file as a repository path: dist files are below dist/, spec files are not. */
export function repoPath(file: string): string {
  return /^(environments|tenants|policies)\//.test(file) ? file : `dist/${file}`;
}

/** ` (from tenants/acme.yaml)` when the file's findings name the spec it came from. */
function sourceNote(list: readonly Finding[]): string {
  const source = list.find((f) => f.source)?.source;
  return source ? ` (from ${source})` : '';
}

export function renderText(report: CheckReport): string {
  let out = '';
  for (const [file, list] of byFile(report.findings)) {
    out += `${repoPath(file)}${sourceNote(list)}\n`;
    for (const f of list) {
      const id = f.policy ? ` ${f.policy}` : '';
      const warn = f.severity === 'warning' ? '(warning) ' : '';
      out += `  [${f.check}${id}] ${warn}${f.resource === '-' ? '' : `${f.resource}: `}${f.message}\n`;
      if (f.remediation) out += `      fix: ${f.remediation}\n`;
    }
  }
  if (report.exceptions.length > 0) {
    out += `\nguardrail exceptions (${report.exceptions.length}):\n`;
    for (const e of report.exceptions) {
      out += `  ${e.environment} ${e.policy}${e.tenant ? ` (tenant ${e.tenant})` : ''} until ${e.expires}${e.expired ? ' EXPIRED' : ''}: covers ${e.covered}; ${e.justification}\n`;
    }
  }
  return out;
}

const escapeMd = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Markdown for a PR comment: a verdict, then a table per file. */
export function renderMarkdown(report: CheckReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  let out = `### ${errors === 0 ? '✅' : '❌'} npm run check: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n\n`;
  out += `${report.files} files, ${report.manifests} manifests, ${report.guardrailEvaluations} guardrail evaluations.\n`;
  for (const [file, list] of byFile(report.findings)) {
    out += `\n#### \`${repoPath(file)}\`${sourceNote(list)}\n\n| severity | check | policy | resource | message | fix |\n|---|---|---|---|---|---|\n`;
    for (const f of list) {
      out += `| ${f.severity} | ${f.check} | ${f.policy ?? ''} | ${f.resource === '-' ? '' : `\`${f.resource}\``} | ${escapeMd(f.message)} | ${escapeMd(f.remediation ?? '')} |\n`;
    }
  }
  if (report.exceptions.length > 0) {
    out += `\n#### Guardrail exceptions\n\n| environment | policy | tenant | expires | covers | justification |\n|---|---|---|---|---|---|\n`;
    for (const e of report.exceptions) {
      out += `| ${e.environment} | ${e.policy} | ${e.tenant ?? ''} | ${e.expires}${e.expired ? ' (expired)' : ''} | ${e.covered} | ${escapeMd(e.justification)} |\n`;
    }
  }
  return out;
}

/** Rule descriptions for SARIF, keyed by rule id. */
export interface RuleInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly remediation?: string;
}

/**
 * SARIF 2.1.0, for GitHub code scanning: one run, one rule per guardrail / Terraform rule /
 * built-in check, one result per finding located at its file.
 */
export function renderSarif(
  report: CheckReport,
  rules: readonly RuleInfo[],
  toolVersion: string,
): string {
  const ruleIds = new Map<string, number>();
  const allRules: RuleInfo[] = [
    {
      id: 'drift',
      title: 'dist/ equals a fresh synth',
      description: 'Generated output must be committed exactly as npm run synth writes it.',
    },
    {
      id: 'schema',
      title: 'Manifests are valid against their strict schema',
      description:
        'Every manifest validates against the upstream schema of its kind, including CRD CEL rules.',
    },
    {
      id: 'size',
      title: 'Every object stays under 256 KiB',
      description:
        'No object of dist/ may reach 256 KiB as JSON: what grows with the tenant count belongs in per-tenant objects.',
    },
    ...rules,
  ];
  allRules.forEach((r, i) => ruleIds.set(r.id, i));
  const ruleOf = (f: Finding) => f.policy ?? f.check;
  for (const f of report.findings) {
    if (!ruleIds.has(ruleOf(f))) {
      ruleIds.set(ruleOf(f), allRules.length);
      allRules.push({ id: ruleOf(f), title: ruleOf(f), description: ruleOf(f) });
    }
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'agentic-platform-check',
            version: toolVersion,
            informationUri: 'https://github.com/example-org/agentic-platform',
            rules: allRules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              ...(r.remediation ? { help: { text: r.remediation } } : {}),
            })),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: ruleOf(f),
          ruleIndex: ruleIds.get(ruleOf(f))!,
          level: f.severity === 'error' ? 'error' : 'warning',
          message: {
            text: `${f.resource === '-' ? '' : `${f.resource}: `}${f.message}${f.remediation ? ` Fix: ${f.remediation}` : ''}`,
          },
          locations: [{ physicalLocation: { artifactLocation: { uri: repoPath(f.file) } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
