import { describe, expect, it } from 'vitest';
import { checkValueEffects, perturbed, probedValues, without } from '../../src/render/value-effect';
import { ROOT } from '../platform/synth-fixture';
import { helmBinary, renderSome } from './helpers';

describe('value effects', () => {
  it('finds the values it checks by key name, without descending into them', () => {
    expect(
      probedValues({
        controller: { replicas: 1, nodeSelector: { a: 'b' } },
        ui: { image: { tag: 'x' } },
        'oidc.config': 'x',
        config: { processors: {} },
      }).map((p) => [p.path.join('.'), p.category]),
    ).toEqual([
      ['controller.replicas', 'replicas'],
      ['controller.nodeSelector', 'placement'],
      ['oidc.config', 'oidc'],
    ]);
  });

  it('removes and changes one value without touching the others', () => {
    const v = { a: { replicas: 1, keep: true }, t: [{ key: 'k', value: 'v' }] };
    expect(without(v, ['a', 'replicas'])).toEqual({ a: { keep: true }, t: v.t });
    expect(perturbed(v, ['a', 'replicas'])).toEqual({ a: { replicas: 2, keep: true }, t: v.t });
    expect(perturbed(v, ['t'])).toEqual({ a: v.a, t: [{ key: 'k-probe', value: 'v' }] });
    expect(perturbed({ e: [] }, ['e'])).toBeUndefined();
  });

  it('finds every kagent placement value effective, and catches a planted top-level nodeSelector', async () => {
    const env = await renderSome('dev', ['kagent']);
    const clean = await checkValueEffects(env, { root: ROOT, helm: helmBinary() });
    expect(clean.findings).toEqual([]);
    expect(clean.probed).toBeGreaterThanOrEqual(10);

    // kagent 0.9.12 declares a top-level nodeSelector in values.yaml that no template reads.
    const planted = {
      ...env,
      applications: env.applications.map((a) => ({
        ...a,
        app: {
          ...a.app,
          source: {
            ...a.app.source,
            values: { ...a.app.source.values, nodeSelector: { workload: 'platform' } },
          },
        },
      })),
    };
    const { findings } = await checkValueEffects(planted, { root: ROOT, helm: helmBinary() });
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'value-effect',
        application: 'kagent',
        resource: 'nodeSelector',
        message: expect.stringMatching(
          /placement value nodeSelector changes nothing the chart renders/,
        ),
      }),
    ]);
  });

  it('reports a guard that has an effect after all, and one nobody sets', async () => {
    const env = await renderSome('dev', ['kagent']);
    const { findings } = await checkValueEffects(env, {
      root: ROOT,
      helm: helmBinary(),
      guards: [
        { application: 'kagent', path: 'ui.replicas', why: 'planted for the test' },
        { application: 'kagent', path: 'nope.replicas', why: 'planted for the test' },
      ],
    });
    expect(findings.map((f) => [f.resource, f.message.replace(/ \(.*\)/, '')])).toEqual([
      [
        'ui.replicas',
        'ui.replicas is listed as a guard but changes the rendered output; remove it from GUARD_VALUES',
      ],
      [
        'nope.replicas',
        'is listed as a guard but kagent does not set it; remove it from GUARD_VALUES',
      ],
    ]);
  });
});
