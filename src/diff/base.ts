import type { PlatformModel } from '../model/types';
import { compareResources, type EnvironmentComparison } from './compare';
import { riskContext, tenantNamespaces } from './environments';
import type { DiffReport } from './report';
import { environmentFiles, readResources } from './resources';

/** Environment folders of a `dist/` map (`<env>/...` paths). */
function environmentsOf(files: ReadonlyMap<string, string>): string[] {
  return [
    ...new Set([...files.keys()].filter((p) => p.includes('/')).map((p) => p.split('/')[0]!)),
  ];
}

/**
 * `diff --base <ref>`: per environment, what the working tree's synthesis changes compared
 * with the base's, object by object. An environment on one side only is all added or removed.
 */
export function diffAgainstBase(
  base: { readonly label: string; readonly files: ReadonlyMap<string, string> },
  head: { readonly model: PlatformModel; readonly files: ReadonlyMap<string, string> },
): DiffReport {
  const names = [...new Set([...environmentsOf(base.files), ...environmentsOf(head.files)])].sort();
  const comparisons: EnvironmentComparison[] = names.map((name) => {
    const env = head.model.environments.find((e) => e.name === name);
    const tenants = tenantNamespaces(env);
    const result = compareResources(
      readResources(environmentFiles(base.files, name), tenants),
      readResources(environmentFiles(head.files, name), tenants),
      { risk: riskContext(env, true) },
    );
    return { left: `${name}@${base.label}`, right: `${name} (working tree)`, ...result };
  });
  return { mode: 'base', title: `${base.label} → working tree`, comparisons };
}
