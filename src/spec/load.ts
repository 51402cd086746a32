import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SpecError, type SpecIssue } from './errors';
import { environmentSpec, type EnvironmentSpec } from './environment';
import { guardrailSpec, type GuardrailSpec } from './guardrail';
import {
  checkAcrossTenants,
  checkEnvironment,
  checkExceptions,
  checkGuardrails,
  checkTenant,
} from './rules';
import { parseSpecFile, SPEC_LIMITS, type Located, type SourceFile } from './source';
import { tenantSpec, type TenantSpec } from './tenant';

/** Every spec of the repository, parsed and checked, in a stable order (by name). */
export interface Specs {
  readonly environments: readonly Located<EnvironmentSpec>[];
  readonly tenants: readonly Located<TenantSpec>[];
  readonly guardrails: readonly Located<GuardrailSpec>[];
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
): Specs {
  const issues: SpecIssue[] = [...earlier];
  const environments: Located<EnvironmentSpec>[] = [];
  const tenants: Located<TenantSpec>[] = [];
  const guardrails: Located<GuardrailSpec>[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const dir = path.posix.dirname(file.path);
    if (dir === SPEC_DIRS.environments) {
      const r = parseSpecFile(file, environmentSpec);
      if (r.ok) environments.push(r.value);
      else issues.push(...r.issues);
    } else if (dir === SPEC_DIRS.tenants) {
      const r = parseSpecFile(file, tenantSpec);
      if (r.ok) tenants.push(r.value);
      else issues.push(...r.issues);
    } else if (dir === SPEC_DIRS.policies) {
      const r = parseSpecFile(file, guardrailSpec);
      if (r.ok) guardrails.push(r.value);
      else issues.push(...r.issues);
    } else {
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
  for (const env of environments) checkEnvironment(env, issues);
  const envByName = new Map(environments.map((e) => [e.spec.name, e.spec]));
  for (const tenant of tenants) checkTenant(tenant, envByName, issues);
  checkAcrossTenants(tenants, issues);
  checkGuardrails(guardrails, issues);
  checkExceptions(environments, tenants, new Set(guardrails.map((g) => g.spec.id)), issues);
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
 * Reads `environments/*.yaml` and `tenants/*.yaml` below `root`. Markdown files (the folder
 * READMEs) are skipped; any other file is an error, so a `.yml` typo is not silently ignored.
 */
export function readSpecFiles(root: string): { files: SourceFile[]; issues: SpecIssue[] } {
  const files: SourceFile[] = [];
  const issues: SpecIssue[] = [];
  for (const dir of Object.values(SPEC_DIRS)) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, dir)).sort();
    } catch {
      issues.push({ file: `${dir}/`, path: '', message: `folder is missing below ${root}` });
      continue;
    }
    for (const name of names) {
      const rel = `${dir}/${name}`;
      if (name.endsWith('.md') || name.startsWith('.')) continue;
      if (!name.endsWith('.yaml')) {
        issues.push({
          file: rel,
          path: '',
          message: 'is not a .yaml file; spec files end in .yaml',
        });
        continue;
      }
      const full = path.join(root, rel);
      const size = statSync(full).size;
      if (size > SPEC_LIMITS.maxFileBytes) {
        // Refused before reading: a multi-gigabyte file must not be loaded to be rejected.
        issues.push({
          file: rel,
          path: '',
          message: `file is ${size} bytes; the limit is ${SPEC_LIMITS.maxFileBytes} bytes`,
        });
        continue;
      }
      files.push({ path: rel, content: readFileSync(full, 'utf8') });
    }
  }
  return { files, issues };
}

/** Reads and checks every spec below `root`. */
export function loadSpecs(root: string): Specs {
  const { files, issues } = readSpecFiles(root);
  return parseSpecs(files, issues);
}
