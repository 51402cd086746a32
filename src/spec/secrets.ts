import { formatPath, type SpecIssue } from './errors';
import { SECRET_SCAN, scanForSecrets } from './secret-scan';
import type { Position, SpecText } from './source';
import type { SpecMemo } from './spec-memo';

/**
 * Refuses every credential in the specs (environments, tenants and guardrails, whether or not
 * their schema accepted them). A spec is reviewed in public pull requests and rendered into
 * git, so a key pasted anywhere (any field, a free-form Helm value, a comment) is an error at
 * its file:line:col and field, whatever the field is called.
 * The scanner is secretlint's recommended preset (./secret-scan.ts), run over each file's
 * text, where rules see the key names they look for (`aws_secret_access_key: …`), and over
 * every value an escape sequence hides from that text. One scan for all files.
 */
/** Findings listed one by one per file; the rest of a file's are counted in one issue. */
const MAX_REPORTED_PER_FILE = 10;

export function checkSecrets(
  specs: readonly SpecText[],
  issues: SpecIssue[],
  /** Texts it scanned clean before are skipped, and the clean ones recorded (spec-memo.ts). */
  memo?: SpecMemo,
): void {
  const texts: string[] = [];
  const where: { file: string; at: (offset: number) => Position }[] = [];
  const add = (text: string, file: string, at: (offset: number) => Position) => {
    if (memo?.scannedClean(text)) return;
    texts.push(text);
    where.push({ file, at });
  };
  for (const s of specs) {
    add(s.text, s.file, s.locate);
    for (const e of s.escapedStrings()) add(e.value, s.file, () => e.at);
  }
  const seen = new Set<string>();
  const perFile = new Map<string, number>();
  const scan = scanForSecrets(texts);
  // A truncated scan may not have reached every text (and fails the load anyway).
  if (memo && !scan.truncated) {
    const found = new Set(scan.findings.map((f) => f.text));
    texts.forEach((t, i) => found.has(i) || memo.markClean(t));
  }
  for (const f of scan.findings) {
    const { file, at } = where[f.text]!;
    const pos = at(f.offset);
    const path = formatPath(pos.path);
    const key = `${file}\0${path}\0${f.ruleId}\0${f.messageId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const count = (perFile.get(file) ?? 0) + 1;
    perFile.set(file, count);
    if (count > MAX_REPORTED_PER_FILE) continue;
    const rule = f.ruleId.replace('@secretlint/secretlint-rule-', '');
    issues.push({
      file,
      path,
      line: pos.line,
      column: pos.column,
      message: `${path === '' ? 'holds' : 'is'} a credential (secretlint ${rule}: ${f.messageId}); never put credentials in a spec. Revoke it, store it in Secrets Manager and reference it (a model key: credential.source: external-secret)`,
    });
  }
  for (const [file, count] of perFile) {
    if (count > MAX_REPORTED_PER_FILE)
      issues.push({
        file,
        path: '',
        message: `holds ${count - MAX_REPORTED_PER_FILE} more credential${count - MAX_REPORTED_PER_FILE === 1 ? '' : 's'} than the ${MAX_REPORTED_PER_FILE} listed${scan.truncated ? ` (the scan stops after ${SECRET_SCAN.maxFindings}; there may be more)` : ''}; remove them all`,
      });
  }
  if (scan.truncated && [...perFile.values()].every((n) => n <= MAX_REPORTED_PER_FILE)) {
    const last = where[scan.findings.at(-1)!.text]!.file;
    issues.push({
      file: last,
      path: '',
      message: `the secret scan stopped after ${SECRET_SCAN.maxFindings} credentials; remove those listed and run again`,
    });
  }
}
