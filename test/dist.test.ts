import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDist } from '../src/check/run-check';
import { synthesize } from '../src/synth/synthesize';
import { diffTrees, readTree } from '../src/synth/write';
import { ROOT, repoModel } from './helpers';

// The whole-app golden test: the committed dist/ is the snapshot, reviewed in every PR.
describe('committed dist/', () => {
  const model = repoModel();
  const fresh = synthesize(model);

  it('equals a fresh synth of the specs (drift check)', () => {
    const diff = diffTrees(fresh, readTree(path.join(ROOT, 'dist')));
    expect(diff, 'dist/ is stale: run npm run synth and commit the result').toMatchObject({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('has 0 manifests invalid against their strict upstream schemas and 0 unknown kinds', async () => {
    const report = await checkDist(ROOT, model, '2026-01-01');
    expect(report.manifests).toBeGreaterThan(200);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // The only warnings: RoleBindings to OIDC groups the cluster does not authenticate yet
    // (the promise check flags them as inert until an EKS identity provider exists).
    const warnings = report.findings.filter((f) => f.severity === 'warning');
    expect(warnings.map((f) => f.policy)).toEqual(warnings.map(() => 'owner-groups-authenticated'));
  });
});
