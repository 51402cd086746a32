import { describe, expect, it } from 'vitest';
import { LAYERS, synthesizeEnvironment } from '../../src/synth/synthesize';
import { planUnits, TENANTS_PER_UNIT, UnitBuilder } from '../../src/synth/synth-units';
import { tenantLayer } from '../../src/synth/tenant-layer';
import { repoModel } from '../helpers';

const model = repoModel();
const units = planUnits(model);
const builder = new UnitBuilder(model);

/** Whether `path` (relative to dist/) belongs to `tenant` of its environment. */
const ownedBy = (path: string, tenant: string) =>
  path.includes(`/tenants/${tenant}/`) ||
  path.includes(`/tenant-sync/${tenant}/`) ||
  path.includes(`/per-tenant/${tenant}/`) ||
  path.endsWith(`/appproject-tenant-${tenant}.yaml`);

describe('planUnits', () => {
  it('plans the environment part of every layer that has one, then the tenants 25 at a time', () => {
    const shared = units.filter((u) => u.part === 'shared');
    const withEnvironment = LAYERS.filter((l) => l !== tenantLayer).length;
    expect(shared).toHaveLength(withEnvironment * model.environments.length);
    expect(shared.some((u) => LAYERS[u.layer] === tenantLayer)).toBe(false);
    const tenants = units.filter((u) => u.part === 'tenants');
    for (const [i, e] of model.environments.entries()) {
      const own = tenants.filter((u) => u.env === i);
      expect(own.flatMap((u) => u.tenants)).toEqual(e.tenants.map((_, k) => k));
      expect(own.every((u) => u.tenants.length <= TENANTS_PER_UNIT)).toBe(true);
    }
  });
});

describe('UnitBuilder', () => {
  const built = units.map((u) => ({ unit: u, files: builder.build(u).files }));

  it('builds together exactly the files of synthesizeEnvironment, each once', () => {
    for (const [i, e] of model.environments.entries()) {
      const mine = built.filter((b) => b.unit.env === i).flatMap((b) => [...b.files]);
      expect(new Map(mine)).toEqual(new Map(synthesizeEnvironment(e)));
      expect(mine).toHaveLength(synthesizeEnvironment(e).size);
    }
  });

  it('puts every object a tenant owns in that tenant’s unit, in every layer, and none in the environment units', () => {
    for (const { unit, files } of built) {
      const env = model.environments[unit.env]!;
      const names = env.tenants.map((t) => t.name);
      const paths = [...files.keys()];
      if (unit.part === 'shared') {
        expect(paths.filter((p) => names.some((n) => ownedBy(p, n)))).toEqual([]);
      } else {
        const mine = unit.tenants.map((k) => env.tenants[k]!.name);
        expect(paths.every((p) => mine.some((n) => ownedBy(p, n)))).toBe(true);
        for (const n of mine) {
          expect(paths).toContain(`${env.name}/bootstrap/appproject-tenant-${n}.yaml`);
          expect(paths.some((p) => p.startsWith(`${env.name}/registry/per-tenant/${n}/`))).toBe(
            true,
          );
        }
      }
    }
  });
});
