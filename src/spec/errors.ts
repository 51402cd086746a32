/**
 * One problem found in a spec file: where it is and what is expected there.
 *
 * `path` is the field path inside the file (`agents[0].model`); `line` is filled when the
 * YAML source is known, so editors and CI annotations can jump to it.
 */
export interface SpecIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  /** Column (1-based) on `line`, when the YAML parser pinpoints it. */
  readonly column?: number;
}

/** Formats one issue as `file:line[:col] field: message`, the shape editors and CI annotate. */
export function formatIssue(issue: SpecIssue): string {
  const where =
    issue.line === undefined
      ? issue.file
      : `${issue.file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return issue.path === ''
    ? `${where}: ${issue.message}`
    : `${where} ${issue.path}: ${issue.message}`;
}

/**
 * Every problem found in one run of spec loading. Thrown once, after all files and all
 * cross-file rules were checked, so a PR author sees everything to fix at once.
 */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    const sorted = [...issues].sort(compareIssues);
    super(
      `${sorted.length} problem${sorted.length === 1 ? '' : 's'} in the specs:\n` +
        sorted.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'SpecError';
    this.issues = sorted;
  }
}

function compareIssues(a: SpecIssue, b: SpecIssue): number {
  return (
    a.file.localeCompare(b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.path.localeCompare(b.path) ||
    a.message.localeCompare(b.message)
  );
}

/** Renders a zod/JSON path (`['agents', 0, 'model']`) as `agents[0].model`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
