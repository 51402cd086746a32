import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generatedTenantName,
  generatedTenantYaml,
  scratchRepo,
  type ScratchRepo,
} from '../../bench/scale/generate-tenants';
import { modelFromRepo } from '../../src/cli/pipeline';
import { synthesizeToDir } from '../../src/synth/write-tree';
import { ROOT } from '../helpers';
import { belongsTo, changedPaths, snapshot } from './tenant-files';

/**
 * A tenant PR is additive: adding, changing or removing tenant X changes only files that
 * belong to X (its folders, its per-tenant objects), never a file shared with other tenants;
 * so two tenant PRs never conflict and no workload serving other tenants restarts.
 */
const TENANTS = 30;
const X = TENANTS; // the tenant the PR adds, changes and removes
const ENVS = ['dev', 'staging', 'prod'];
let repo: ScratchRepo;
let dist: string;
let without: Map<string, string>;

const synth = async () => {
  await synthesizeToDir(modelFromRepo(repo.root), dist);
  return snapshot(dist);
};

/** Changed paths that do not belong to X, with the first lines of their diff. */
function foreign(changed: string[], a: Map<string, string>, b: Map<string, string>) {
  return changed
    .filter((f) => !belongsTo(f, generatedTenantName(X)))
    .map((f) => `${f}: ${firstDifference(a.get(f), b.get(f))}`);
}

function firstDifference(a = '', b = ''): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  const i = al.findIndex((l, k) => l !== bl[k]);
  return i < 0
    ? '(added or removed)'
    : `line ${i + 1}: ${JSON.stringify(al[i])} → ${JSON.stringify(bl[i])}`;
}

beforeAll(async () => {
  repo = scratchRepo(ROOT, TENANTS);
  dist = path.join(repo.root, 'dist');
  without = await synth();
}, 600_000);
afterAll(() => repo.dispose());

describe('a tenant PR', { timeout: 600_000 }, () => {
  let withX: Map<string, string>;

  it('adding a tenant adds only its files, in every environment', async () => {
    repo.writeTenant(X);
    withX = await synth();
    const changed = changedPaths(without, withX);
    expect(foreign(changed, without, withX)).toEqual([]);
    for (const env of ENVS)
      expect(changed).toContain(
        `${env}/tenants/${generatedTenantName(X)}/namespace-${generatedTenantName(X)}.yaml`,
      );
    expect(changed.every((f) => !without.has(f))).toBe(true);
  });

  it('changing a tenant changes only its files and restarts no shared workload', async () => {
    const spec = generatedTenantYaml(X, ENVS)
      .replace(`displayName: Generated tenant ${X}`, `displayName: Generated tenant ${X} (renamed)`)
      .replace(/quota:\n {2}cpu: (\d+)/, (_, c: string) => `quota:\n  cpu: ${Number(c) + 1}`);
    expect(spec).not.toBe(generatedTenantYaml(X, ENVS));
    writeFileSync(path.join(repo.root, 'tenants', `${generatedTenantName(X)}.yaml`), spec);
    const changedX = await synth();
    const changed = changedPaths(withX, changedX);
    expect(changed.length).toBeGreaterThan(0);
    expect(foreign(changed, withX, changedX)).toEqual([]);
    // No Deployment, StatefulSet or DaemonSet outside the tenant's own files changed, so
    // nothing that serves other tenants rolls out because this tenant changed.
    const workloads = changed.filter((f) => /\/(deployment|statefulset|daemonset)-/.test(f));
    expect(workloads.filter((f) => !belongsTo(f, generatedTenantName(X)))).toEqual([]);
  });

  it('removing the tenant gives back exactly the tree without it', async () => {
    repo.removeTenant(X);
    expect(await synth()).toEqual(without);
  });
});
