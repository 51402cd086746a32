import { describe, expect, it } from 'vitest';
import { docs, synthRepo } from './synth-fixture';

describe.each(['dev', 'staging', 'prod'])('platform layers in %s', (env) => {
  it('writes one resource a file, named <kind>-<name>.yaml', () => {
    for (const { path, doc } of [...docs(`${env}/bootstrap/`), ...docs(`${env}/platform/`)])
      expect(path.split('/').pop()).toBe(`${doc.kind}-${doc.metadata.name}.yaml`.toLowerCase());
  });

  it('puts only Argo CD objects in bootstrap/', () => {
    for (const { doc } of docs(`${env}/bootstrap/`)) {
      expect(doc.apiVersion).toBe('argoproj.io/v1alpha1');
      expect(['Application', 'ApplicationSet', 'AppProject']).toContain(doc.kind);
    }
  });

  it('creates an Application for every platform folder except the per-tenant sync identities', () => {
    const { files } = synthRepo();
    const folders = new Set(
      [...files.keys()]
        .filter((f) => f.startsWith(`${env}/platform/`) && !f.includes('/tenant-sync/'))
        .map((f) => f.split('/')[2]),
    );
    const apps = docs(`${env}/bootstrap/`)
      .filter((d) => d.doc.kind === 'Application' && d.doc.metadata.name.startsWith('platform-'))
      .map((d) => d.doc.spec.source.path);
    expect(apps.sort()).toEqual([...folders].sort().map((f) => `dist/${env}/platform/${f}`));
  });

  it('orders waves CRDs before operators before platform config before tenants', () => {
    const wave = (name: string) =>
      Number(
        docs(`${env}/bootstrap/`).find((d) => d.doc.metadata.name === name)!.doc.metadata
          .annotations!['argocd.argoproj.io/sync-wave'],
      );
    expect(wave('addon-gateway-api-crds')).toBeLessThan(wave('addon-agentgateway'));
    expect(wave('addon-agentgateway')).toBeLessThan(wave('platform-agentgateway'));
    expect(wave('platform-agentgateway')).toBeLessThan(wave('tenants'));
  });
});

it('turns HA on in prod only, from environments/*.yaml', () => {
  const replicas = (env: string) =>
    docs(`${env}/bootstrap/`).find((d) => d.doc.metadata.name === 'addon-kyverno')!.doc.spec
      .template.spec.source.helm.valuesObject.admissionController.replicas;
  expect([replicas('dev'), replicas('staging'), replicas('prod')]).toEqual([1, 1, 3]);
});
