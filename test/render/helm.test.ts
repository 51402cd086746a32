import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conditionEnabled, parseRendered, removedDependencies } from '../../src/render/helm';
import { crdApiVersions, renderApplication } from '../../src/render/render-addons';
import { ROOT } from '../platform/synth-fixture';
import { helmBinary } from './helpers';

describe('helm rendering', () => {
  it("applies Helm's rule for dependency conditions", () => {
    expect(conditionEnabled('a.enabled', { a: { enabled: false } })).toBe(false);
    expect(conditionEnabled('x.enabled, a.enabled', { a: { enabled: false } })).toBe(false);
    expect(conditionEnabled('a.enabled', {})).toBe(true);
  });

  it('reads the dependencies the vendoring left out', () => {
    expect(removedDependencies(path.join(ROOT, 'vendor/charts/langfuse-2.0.0'))).toEqual([
      { name: 'postgres', condition: 'postgresql.deploy' },
      { name: 'valkey', condition: 'redis.deploy' },
      { name: 'seaweedfs', condition: 's3.deploy' },
    ]);
  });

  it('refuses values that switch on a dependency that is not vendored', async () => {
    const app = {
      applicationSet: 'addon-langfuse',
      name: 'langfuse',
      namespace: 'langfuse',
      wave: 35,
      source: { repoURL: 'r', targetRevision: '2.0.0' },
    };
    await expect(
      renderApplication(
        { root: ROOT, helm: helmBinary() },
        app,
        { chart: 'langfuse', dir: 'langfuse-2.0.0', plain: false },
        '1.33',
        [],
        { postgresql: { deploy: true } },
      ),
    ).rejects.toThrow(
      /values enable the dependency postgres \(postgresql.deploy\), which is not vendored/,
    );
  });

  it("names a chart that fails to render, with helm's message", async () => {
    const app = {
      applicationSet: 'addon-langfuse',
      name: 'langfuse',
      namespace: 'langfuse',
      wave: 35,
      source: { repoURL: 'r', targetRevision: '2.0.0' },
    };
    await expect(
      renderApplication(
        { root: ROOT, helm: helmBinary() },
        app,
        { chart: 'langfuse', dir: 'langfuse-2.0.0', plain: false },
        '1.33',
        [],
        {
          postgresql: { deploy: false },
          redis: { deploy: false },
          s3: { deploy: false },
        },
      ),
    ).rejects.toThrow(
      /helm template langfuse langfuse-2.0.0: Error: execution error at \(langfuse\/templates\/.*\): Using an existing secret or postgresql.auth.password is required/,
    );
  });

  it('lists group/version and group/version/Kind of served CRD versions', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'w' },
      spec: {
        group: 'example.io',
        names: { kind: 'Widget' },
        versions: [
          { name: 'v1', served: true },
          { name: 'v0', served: false },
        ],
      },
    };
    expect(crdApiVersions([crd])).toEqual(['example.io/v1', 'example.io/v1/Widget']);
  });

  it('refuses a document without apiVersion or kind', () => {
    expect(() => parseRendered('foo: bar\n', 'chart')).toThrow(
      /chart: rendered a document without apiVersion\/kind/,
    );
  });
});
