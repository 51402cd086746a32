import { describe, expect, it } from 'vitest';
import { generateApplication } from '../../src/render/application-set';
import type { ClusterSecret } from '../../src/render/cluster-secret';

const cluster: ClusterSecret = {
  name: 'agentic-dev',
  server: 'https://kubernetes.default.svc',
  labels: { environment: 'dev', enable_x: 'true' },
  annotations: { aws_region: 'eu-west-1' },
  unknownAfterApply: [],
};

const appSet = (
  value: string,
  selector: Record<string, string> = { environment: 'dev', enable_x: 'true' },
) => ({
  metadata: { name: 'addon-x', annotations: { 'argocd.argoproj.io/sync-wave': '10' } },
  spec: {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: [{ clusters: { selector: { matchLabels: selector } } }],
    template: {
      metadata: { name: 'x' },
      spec: {
        destination: { namespace: 'x', server: '{{.server}}' },
        source: {
          repoURL: 'oci://r/x',
          path: '.',
          targetRevision: '1.0.0',
          helm: { releaseName: 'x', valuesObject: { region: value } },
        },
      },
    },
  },
});

describe('generateApplication', () => {
  it('fills annotation lookups from the cluster Secret', () => {
    const app = generateApplication(
      appSet('{{index .metadata.annotations "aws_region"}}'),
      cluster,
      'f.yaml',
    )!;
    expect(app.source.values).toEqual({ region: 'eu-west-1' });
    expect(app.wave).toBe(10);
    expect(app.namespace).toBe('x');
  });

  it('generates nothing for a cluster the selector does not match', () => {
    expect(
      generateApplication(appSet('a', { environment: 'prod' }), cluster, 'f.yaml'),
    ).toBeUndefined();
  });

  it('fails like missingkey=error on an annotation the Secret lacks', () => {
    expect(() =>
      generateApplication(appSet('{{index .metadata.annotations "nope"}}'), cluster, 'f.yaml'),
    ).toThrow(
      /f.yaml: spec.template.spec.source.helm.valuesObject.region: .*has no annotation "nope"/,
    );
  });

  it('fails on a template that is not a cluster-generator lookup', () => {
    expect(() => generateApplication(appSet('{{ .Values.x }}'), cluster, 'f.yaml')).toThrow(
      /is not a cluster-generator lookup/,
    );
  });

  it('fails on an ApplicationSet without missingkey=error', () => {
    const a = appSet('a');
    a.spec.goTemplateOptions = [];
    expect(() => generateApplication(a, cluster, 'f.yaml')).toThrow(/missingkey=error/);
  });

  it('fails on a generator that is not one cluster generator', () => {
    const a = appSet('a') as unknown as { spec: { generators: unknown[] } };
    a.spec.generators = [{ list: {} }];
    expect(() => generateApplication(a, cluster, 'f.yaml')).toThrow(/one cluster generator/);
  });

  it('fails on a sync wave that is not an integer', () => {
    const a = appSet('a');
    a.metadata.annotations['argocd.argoproj.io/sync-wave'] = 'soon';
    expect(() => generateApplication(a, cluster, 'f.yaml')).toThrow(/sync-wave "soon"/);
  });
});
