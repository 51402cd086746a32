import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { buildModel } from '../src/model/build';
import { environmentShared } from '../src/model/environment-shared';
import type {
  EnvironmentModel,
  EnvironmentShared,
  PlatformModel,
  TenantModel,
} from '../src/model/types';
import { parseSpecs } from '../src/spec/load';
import type { SourceFile } from '../src/spec/source';

export const ROOT = path.resolve(__dirname, '..');

/** The repository's own spec files, as the loader would read them. */
export function repoSpecFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const dir of ['environments', 'tenants', 'policies']) {
    for (const name of readdirSync(path.join(ROOT, dir)).sort()) {
      if (name.endsWith('.yaml'))
        files.push({
          path: `${dir}/${name}`,
          content: readFileSync(path.join(ROOT, dir, name), 'utf8'),
        });
    }
  }
  return files;
}

/** The repo's specs with `file` replaced by `edit(parsed)` (or added when new). */
export function withSpec(
  file: string,
  edit: (doc: Record<string, unknown>) => unknown,
  base = repoSpecFiles(),
): SourceFile[] {
  const existing = base.find((f) => f.path === file);
  const doc = existing ? (parse(existing.content) as Record<string, unknown>) : {};
  const content = stringify(edit(doc));
  return [...base.filter((f) => f.path !== file), { path: file, content }];
}

export function withRaw(file: string, content: string, base = repoSpecFiles()): SourceFile[] {
  return [...base.filter((f) => f.path !== file), { path: file, content }];
}

export function repoModel(files = repoSpecFiles()): PlatformModel {
  return buildModel(parseSpecs(files));
}

export function env(model: PlatformModel, name: string): EnvironmentModel {
  const e = model.environments.find((x) => x.name === name);
  if (!e) throw new Error(`no environment ${name}`);
  return e;
}

/** Environment `name` as its own objects see it (`environmentShared`: no tenant list). */
export function sharedEnv(model: PlatformModel, name: string): EnvironmentShared {
  return environmentShared(env(model, name));
}

export function tenant(model: PlatformModel, envName: string, name: string): TenantModel {
  const t = env(model, envName).tenants.find((x) => x.name === name);
  if (!t) throw new Error(`no tenant ${name} in ${envName}`);
  return t;
}

/** A minimal valid tenant, for tests that build one from scratch. */
export function minimalTenant(
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    displayName: `Tenant ${name}`,
    owners: [`/tenants/${name}/developers`],
    environments: ['dev'],
    ...extra,
  };
}
