import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { describe, expect, it, vi } from 'vitest';
import { synthesize } from '../../src/synth/synthesize';
import { repoModel } from '../helpers';

// Every object synthChart serializes goes through here: each is compared with cdk8s's own
// toJson(), and whether apiObjectJson fell back to it is recorded.
const seen = vi.hoisted(() => ({
  objects: 0,
  differing: [] as string[],
  fellBack: [] as string[],
}));
vi.mock('../../src/synth/api-object-json', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/synth/api-object-json')>();
  const { ApiObject: Base } = await import('cdk8s');
  return {
    apiObjectJson: (o: ApiObject) => {
      const cdk8sToJson = Base.prototype.toJson;
      let calls = 0;
      Base.prototype.toJson = function (this: ApiObject) {
        calls++;
        return cdk8sToJson.call(this);
      };
      let fast: unknown;
      try {
        fast = real.apiObjectJson(o);
      } finally {
        Base.prototype.toJson = cdk8sToJson;
      }
      seen.objects++;
      if (calls > 0) seen.fellBack.push(o.node.path);
      if (JSON.stringify(fast) !== JSON.stringify(o.toJson())) seen.differing.push(o.node.path);
      return fast;
    },
  };
});

const { apiObjectJson: realApiObjectJson } = await vi.importActual<
  typeof import('../../src/synth/api-object-json')
>('../../src/synth/api-object-json');

/** Both serializations of the objects `build` adds to a chart of a fresh App. */
function both(
  build: (chart: Chart) => void,
  app = new App(),
): { fast: unknown[]; cdk8s: unknown[] } {
  const chart = new Chart(app, 'test');
  build(chart);
  const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  return {
    fast: objects.map((o) => realApiObjectJson(o)),
    cdk8s: objects.map((o) => o.toJson()),
  };
}

describe('apiObjectJson', () => {
  it("gives cdk8s's toJson() bytes for every object of every synthesized environment, without calling it", () => {
    synthesize(repoModel());
    expect(seen.objects).toBeGreaterThan(500);
    expect(seen.differing).toEqual([]);
    // A cdk8s release that renames the private fields read here, or a construct that
    // subclasses a generated class, would fall back: correct, but the time is lost again.
    expect(seen.fellBack).toEqual([]);
  });

  it('resolves Lazy values, tokens and number-or-string unions, sorts keys and drops empty values as cdk8s does', () => {
    const { fast, cdk8s } = both((chart) => {
      new k8s.KubeNetworkPolicy(chart, 'np', {
        metadata: {
          name: 'np',
          labels: { b: '2', a: '1' },
          annotations: {},
          finalizers: [],
        },
        spec: {
          podSelector: {},
          ingress: [
            {
              ports: [
                { port: k8s.IntOrString.fromNumber(80) },
                { port: k8s.IntOrString.fromString('http') },
              ],
              from: [],
            },
          ],
          policyTypes: Lazy.any({ produce: () => ['Ingress'] }) as unknown as string[],
        },
      });
      new k8s.KubeResourceQuota(chart, 'quota', {
        metadata: { name: 'q' },
        spec: { hard: { cpu: k8s.Quantity.fromString('2'), pods: k8s.Quantity.fromNumber(10) } },
      });
      new ApiObject(chart, 'raw', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'raw' },
        data: { z: 'last', a: undefined, m: { resolve: () => 'from a token' } },
        immutable: null,
      } as never);
    });
    expect(fast).toEqual(cdk8s);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(cdk8s));
    expect(fast[0]).toMatchObject({
      metadata: { labels: { a: '1', b: '2' } },
      spec: { policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }, { port: 'http' }] }] },
    });
    expect(Object.keys((fast[2] as { data: object }).data)).toEqual(['m', 'z']);
  });

  it("applies an object's JSON patches, through cdk8s's own toJson()", () => {
    const { fast } = both((chart) => {
      const cm = new ApiObject(chart, 'cm', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm' },
      });
      cm.addJsonPatch(JsonPatch.add('/data', { patched: 'yes' }));
    });
    expect(fast[0]).toMatchObject({ data: { patched: 'yes' } });
  });

  it("resolves through an App's own resolvers, with cdk8s's toJson()", () => {
    const upper = {
      resolve: (context: { value: unknown; replaceValue(v: unknown): void }) => {
        if (context.value === 'replace me') context.replaceValue('REPLACED');
      },
    };
    const { fast } = both(
      (chart) =>
        new ApiObject(chart, 'cm', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cm' },
          data: { v: 'replace me' },
        } as never),
      new App({ resolvers: [upper] }),
    );
    expect(fast[0]).toMatchObject({ data: { v: 'REPLACED' } });
  });

  it("uses a subclass's own toJson() when the class is not one cdk8s import generated", () => {
    class Labelled extends k8s.KubeConfigMap {
      public override toJson(): unknown {
        return { ...(super.toJson() as object), data: { from: 'subclass' } };
      }
    }
    const { fast } = both((chart) => new Labelled(chart, 'cm', { metadata: { name: 'cm' } }));
    expect(fast[0]).toMatchObject({ kind: 'ConfigMap', data: { from: 'subclass' } });
  });

  it('names the object when a value cannot be rendered, in the words cdk8s uses', () => {
    class Opaque {
      public readonly when = 1;
    }
    const app = new App();
    const chart = new Chart(app, 'test');
    const o = new ApiObject(chart, 'bad', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bad' },
      data: { x: new Opaque() },
    } as never);
    expect(() => realApiObjectJson(o)).toThrow(
      "Failed serializing construct at path 'test/bad' with name 'bad': Error: can't render non-simple object of type 'Opaque'",
    );
    expect(() => o.toJson()).toThrow("can't render non-simple object of type 'Opaque'");
  });
});
