import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { checkDerivedNames } from './derived-names';
import { SpecError, type SpecIssue } from './errors';
import { environmentSpec, type EnvironmentSpec } from './environment';
import { guardrailSpec, type GuardrailSpec } from './guardrail';
import {
  checkAcrossEnvironments,
  checkAcrossTenants,
  checkEnvironment,
  checkExceptions,
  checkGuardrails,
  checkTenant,
} from './rules';
import { warmSecretScan } from './secret-scan';
import { checkSecrets } from './secrets';
import { parseSpecFile, SPEC_LIMITS, type Located, type SourceFile, type SpecText } from './source';
import type { SpecMemo } from './spec-memo';
import { tenantSpec, type TenantSpec } from './tenant';

/** Every spec of the repository, parsed and checked, in a stable order (by name). */
export interface Specs {
  readonly environments: readonly Located<EnvironmentSpec>[];
  readonly tenants: readonly Located<TenantSpec>[];
  readonly guardrails: readonly Located<GuardrailSpec>[];
}

export interface SpecOptions {
  /**
   * The day (YYYY-MM-DD, UTC) exception lifetimes count from. The only clock read of spec
   * loading, taken when not given; `npm run check -- --today` pins it.
   */
  readonly today?: string;
  /**
   * Takes the parsed form of spec files parsed before (same bytes, same code) from this memo
   * and stores the others in it (see spec-memo.ts); the result is the same either way.
   *
   * @default - every file is parsed
   */
  readonly memo?: SpecMemo;
}

export const SPEC_DIRS = {
  environments: 'environments',
  tenants: 'tenants',
  policies: 'policies',
} as const;

/**
 * Parses and checks every spec. Pure: the caller reads the files. Throws one SpecError with
 * every problem found, or returns specs that satisfy every single-file and cross-file rule.
 */
export function parseSpecs(
  files: readonly SourceFile[],
  earlier: readonly SpecIssue[] = [],
  options: SpecOptions = {},
): Specs {
  warmSecretScan();
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const issues: SpecIssue[] = [...earlier];
  const environments: Located<EnvironmentSpec>[] = [];
  const tenants: Located<TenantSpec>[] = [];
  const guardrails: Located<GuardrailSpec>[] = [];
  // Every file the schema got to read, valid or not: a key in a misspelled field is a leak too.
  const texts: SpecText[] = [];
  const collect = <T>(r: ReturnType<typeof parseSpecFile<T>>, into: Located<T>[]) => {
    if (r.ok) into.push(r.value);
    else issues.push(...r.issues);
    const text = r.ok ? r.value : r.text;
    if (text) texts.push(text);
  };
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const dir = path.posix.dirname(file.path);
    const memo = (schema: string) => options.memo && { memo: options.memo, schema };
    if (dir === SPEC_DIRS.environments)
      collect(parseSpecFile(file, environmentSpec, memo('environment')), environments);
    else if (dir === SPEC_DIRS.tenants)
      collect(parseSpecFile(file, tenantSpec, memo('tenant')), tenants);
    else if (dir === SPEC_DIRS.policies)
      collect(parseSpecFile(file, guardrailSpec, memo('guardrail')), guardrails);
    else {
      issues.push({
        file: file.path,
        path: '',
        message: `is not a spec location; put environments in ${SPEC_DIRS.environments}/, tenants in ${SPEC_DIRS.tenants}/ and guardrails in ${SPEC_DIRS.policies}/`,
      });
    }
  }
  if (
    environments.length === 0 &&
    !issues.some((i) => i.file.startsWith(`${SPEC_DIRS.environments}/`))
  ) {
    issues.push({
      file: `${SPEC_DIRS.environments}/`,
      path: '',
      message: 'no environment spec found; add environments/<env>.yaml',
    });
  }
  checkSecrets(texts, issues, options.memo);
  for (const env of environments) checkEnvironment(env, issues);
  const envByName = new Map(environments.map((e) => [e.spec.name, e.spec]));
  for (const tenant of tenants) checkTenant(tenant, envByName, issues);
  checkAcrossTenants(tenants, issues);
  checkDerivedNames(environments, tenants, issues);
  checkGuardrails(guardrails, issues);
  checkAcrossEnvironments(environments, issues);
  checkExceptions(environments, tenants, new Set(guardrails.map((g) => g.spec.id)), issues, today);
  if (issues.length > 0) throw new SpecError(issues);
  const byName = <T extends { name: string }>(a: Located<T>, b: Located<T>) =>
    a.spec.name.localeCompare(b.spec.name);
  const byId = (a: Located<GuardrailSpec>, b: Located<GuardrailSpec>) =>
    a.spec.id.localeCompare(b.spec.id);
  return {
    environments: environments.sort(byName),
    tenants: tenants.sort(byName),
    guardrails: guardrails.sort(byId),
  };
}

/**
 * Reads `environments/*.yaml`, `tenants/*.yaml` and `policies/*.yaml` below `root`, as a
 * hostile pull request could have laid them out. Markdown files (the folder READMEs) and
 * dotfiles that are not YAML (`.gitkeep`) are skipped; every other entry must be a spec: a
 * regular file (or a symlink to one) whose real path is inside the repository, at most
 * `SPEC_LIMITS.maxFileBytes` long, valid UTF-8. Anything else (a directory, a named pipe, a
 * device, a symlink out of the repository, a `.yml` typo, a file named `.yaml`) is an issue
 * naming the path; nothing is followed, blocked on or read past the limit.
 */
export function readSpecFiles(root: string): { files: SourceFile[]; issues: SpecIssue[] } {
  const files: SourceFile[] = [];
  const issues: SpecIssue[] = [];
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { files, issues: [{ file: root, path: '', message: 'repository root does not exist' }] };
  }
  for (const dir of Object.values(SPEC_DIRS)) {
    const problem = (file: string, message: string) => issues.push({ file, path: '', message });
    const dirPath = path.join(root, dir);
    const where = realInside(realRoot, dirPath);
    if (where.error !== undefined) {
      problem(
        `${dir}/`,
        where.error === 'missing' ? `folder is missing below ${root}` : where.error,
      );
      continue;
    }
    if (!statSync(where.real).isDirectory()) {
      problem(`${dir}/`, 'is not a folder; spec folders hold one .yaml file a spec');
      continue;
    }
    for (const name of readdirSync(where.real).sort()) {
      const rel = `${dir}/${name}`;
      if (name.endsWith('.md') || (name.startsWith('.') && !name.endsWith('.yaml'))) continue;
      if (!name.endsWith('.yaml')) {
        problem(rel, 'is not a .yaml file; spec files end in .yaml');
        continue;
      }
      if (name === '.yaml' || name.startsWith('.')) {
        problem(
          rel,
          'is a hidden .yaml file; a spec is named after what it defines (tenants/<name>.yaml)',
        );
        continue;
      }
      const read = readBounded(realRoot, path.join(where.real, name));
      if ('error' in read)
        issues.push({
          file: rel,
          path: '',
          message: read.error,
          ...(read.line ? { line: read.line } : {}),
        });
      else files.push({ path: rel, content: read.content });
    }
  }
  return { files, issues };
}

/** `target`'s real path when it is inside `realRoot`; otherwise why not. */
function realInside(
  realRoot: string,
  target: string,
): { real: string; error?: undefined } | { error: string } {
  let real: string;
  try {
    real = realpathSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !lstatSafe(target)) return { error: 'missing' };
    return { error: `cannot be resolved (${code ?? String(err)}); a dangling symlink?` };
  }
  const rel = path.relative(realRoot, real);
  if (rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel)))
    return { real };
  return {
    error: `is a symlink to ${real}, outside the repository; specs must be files of the repository`,
  };
}

function lstatSafe(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** What a non-regular file is, for the error message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Reused by readBounded: see there. */
let readBuffer: Buffer | undefined;

/**
 * Reads one spec file with every check done on what is actually opened: the path is resolved
 * and must stay in the repository, is opened with O_NOFOLLOW (no symlink swapped in since) and
 * O_NONBLOCK (a FIFO cannot block the open), the open descriptor must be a regular file within
 * the size limit, and at most limit + 1 bytes are read, so a file growing meanwhile is refused
 * rather than loaded.
 */
function readBounded(
  realRoot: string,
  full: string,
): { content: string } | { error: string; line?: number } {
  const where = realInside(realRoot, full);
  if (where.error !== undefined)
    return { error: where.error === 'missing' ? 'disappeared while reading' : where.error };
  const link = lstatSafe(full);
  const target = lstatSafe(where.real);
  if (!target || !target.isFile()) {
    const kind = target ? kindOf(target) : 'missing';
    return {
      error: `is ${link?.isSymbolicLink() ? `a symlink to ${kind}` : kind}; a spec must be a regular .yaml file`,
    };
  }
  const limit = SPEC_LIMITS.maxFileBytes;
  let fd: number;
  try {
    fd = openSync(where.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    return { error: `cannot be opened (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      return { error: `is ${kindOf(stats)}; a spec must be a regular .yaml file` };
    if (stats.size > limit)
      return { error: `file is ${stats.size} bytes; the limit is ${limit} bytes` };
    // One buffer for every file of the run (reads are synchronous, and the decoded string is a
    // copy): a zero-filled buffer of the size limit a file cost ~0.1 s at 1,000 tenants.
    if (!readBuffer || readBuffer.length !== limit + 1)
      readBuffer = Buffer.allocUnsafeSlow(limit + 1);
    const buffer = readBuffer;
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return { error: `file grew past the limit of ${limit} bytes while read` };
    return decodeUtf8(buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict UTF-8: a byte sequence that is not UTF-8 is refused with its line, never replaced by
 * U+FFFD on its way into the catalog and dist/.
 */
export function decodeUtf8(
  bytes: Uint8Array,
): { content: string } | { error: string; line?: number } {
  try {
    return { content: UTF8.decode(bytes) };
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          UTF8.decode(bytes.subarray(start, i));
        } catch {
          return {
            line,
            error:
              'is not valid UTF-8 on this line; save the file as UTF-8 (a stray Latin-1 or binary byte?)',
          };
        }
        line++;
        start = i + 1;
      }
    }
    return { error: 'is not valid UTF-8; save the file as UTF-8' };
  }
}

/** Reads and checks every spec below `root`. */
export function loadSpecs(root: string, options: SpecOptions = {}): Specs {
  const { files, issues } = readSpecFiles(root);
  return parseSpecs(files, issues, options);
}
