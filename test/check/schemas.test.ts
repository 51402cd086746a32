import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SchemaSet, structuralToStrict } from '../../src/check/schemas';
import { validateManifests } from '../../src/check/validate-manifests';
import { schemaSetsFor } from '../../src/check/run-check';
import { stringify } from 'yaml';
import { ROOT, repoModel } from '../helpers';

let schemas: SchemaSet;
beforeAll(() => {
  schemas = SchemaSet.load(path.join(ROOT, 'schemas'), '1.33');
});

const check = (obj: unknown) =>
  validateManifests(new Map([['dev/x/y.yaml', stringify(obj)]]), () => schemas).findings.map(
    (f) => f.message,
  );

const agent = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a', namespace: 'n' },
  spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'x' } },
};

describe('strict schema validation', () => {
  it('accepts a valid CRD object', () => {
    expect(check(agent)).toEqual([]);
  });

  it('reports an unknown field of a CRD, which the API server would prune', () => {
    expect(
      check({
        ...agent,
        spec: { ...agent.spec, declarative: { ...agent.spec.declarative, systemPrompt: 'x' } },
      }),
    ).toEqual([
      'spec.declarative: unknown field "systemPrompt" (not in crds/kagent/kagent.dev_agents.yaml; the API server would drop it)',
    ]);
  });

  it('keeps fields the CRD preserves as free-form', () => {
    const collector = {
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: { name: 'c', namespace: 'n' },
      spec: {
        config: {
          receivers: { otlp: { anything: { goes: true } } },
          exporters: { debug: {} },
          service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } },
        },
      },
    };
    expect(check(collector)).toEqual([]);
  });

  it('validates a served older version against that version', () => {
    expect(
      check({ ...agent, apiVersion: 'kagent.dev/v1alpha1', spec: { description: 'd' } }),
    ).toEqual([]);
  });

  it('reports an unknown field of a core kind', () => {
    expect(
      check({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 's', namespace: 'n' },
        automount: false,
      }),
    ).toEqual([
      '(root): unknown field "automount" (not in kubernetes/v1.33/_definitions.json; the API server would drop it)',
    ]);
  });

  it('reports an unknown kind instead of skipping it', () => {
    expect(
      check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toEqual([
      'unknown kind example.com/v1 Widget: no vendored schema (schemas/kubernetes or schemas/crds) defines it',
    ]);
  });

  it('reports a wrong type and a missing required field', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'n' },
      spec: { rules: [{ backendRefs: [{ name: 's', port: 'http' }] }] },
    };
    expect(check(route)).toEqual(
      expect.arrayContaining([expect.stringMatching(/backendRefs\.0\.port: must be integer/)]),
    );
    const cert = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'c', namespace: 'n' },
      spec: { secretName: 's' },
    };
    expect(check(cert)).toEqual(
      expect.arrayContaining([expect.stringMatching(/spec: missing required field "issuerRef"/)]),
    );
  });

  it('requires a namespace on namespaced kinds and refuses one on cluster-scoped kinds', () => {
    expect(check({ ...agent, metadata: { name: 'a' } })).toContain(
      'Agent is namespaced but metadata.namespace is not set',
    );
    expect(
      check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } }),
    ).toContain('Namespace is cluster-scoped but sets metadata.namespace');
  });

  it('reports a file that is not valid YAML', () => {
    const findings = validateManifests(
      new Map([['dev/x/y.yaml', 'a: [b\n']]),
      () => schemas,
    ).findings;
    expect(findings[0]!.message).toMatch(/is not valid YAML/);
  });

  it('throws when the Kubernetes version has no vendored schema', () => {
    expect(() => SchemaSet.load(path.join(ROOT, 'schemas'), '1.20')).toThrow(
      /no Kubernetes 1\.20 schema .* vendor it/,
    );
  });

  it('throws for a file outside any environment folder', () => {
    expect(() => schemaSetsFor(repoModel(), path.join(ROOT, 'schemas'))('qa/x.yaml')).toThrow(
      /not below an environment folder/,
    );
  });
});

describe('structuralToStrict', () => {
  it('closes objects with properties unless they preserve unknown fields', () => {
    expect(
      structuralToStrict({ type: 'object', properties: { a: { type: 'string' } } }),
    ).toMatchObject({ additionalProperties: false });
    expect(
      structuralToStrict({
        type: 'object',
        properties: {},
        'x-kubernetes-preserve-unknown-fields': true,
      }),
    ).not.toHaveProperty('additionalProperties');
  });

  it('accepts integers and strings where the schema says int-or-string', () => {
    expect(
      structuralToStrict({ 'x-kubernetes-int-or-string': true, type: 'string' }),
    ).toMatchObject({ anyOf: [{ type: 'integer' }, { type: 'string' }] });
  });

  it('keeps map schemas (additionalProperties) as maps', () => {
    expect(
      structuralToStrict({ type: 'object', additionalProperties: { type: 'string' } }),
    ).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });
});
