import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlatformConventions } from '../../../constructs/policy/platform-conventions';
import { schemaSetsFor } from '../../../src/check/run-check';
import { validateManifests } from '../../../src/check/validate-manifests';
import type { PlatformModel } from '../../../src/model/types';
import {
  conventionsLayer,
  PLATFORM_SCHEDULED_NAMESPACES,
} from '../../../src/policy/conventions-layer';
import { synthChart } from '../../../src/synth/chart-objects';
import { synthesize } from '../../../src/synth/synthesize';
import { env, repoModel, ROOT } from '../../helpers';
import { find } from '../../construct-helpers';

let model: PlatformModel;
let files: Map<string, string>;
beforeAll(() => {
  model = repoModel();
  files = synthesize(model, [conventionsLayer]);
});

const policyFile = (envName: string, file: string) =>
  parse(files.get(`${envName}/policies/${file}`)!) as Record<string, any>;

describe('conventionsLayer', () => {
  it('writes one file a convention policy under policies/ of every environment', () => {
    for (const e of model.environments) {
      expect([...files.keys()].filter((f) => f.startsWith(`${e.name}/`)).sort()).toEqual([
        `${e.name}/policies/generatingpolicy-auto-expose.yaml`,
        `${e.name}/policies/mutatingpolicy-appprotocol.yaml`,
        `${e.name}/policies/mutatingpolicy-platform-scheduling.yaml`,
        `${e.name}/policies/mutatingpolicy-tenant-scheduling-dedicated.yaml`,
        `${e.name}/policies/mutatingpolicy-tenant-scheduling.yaml`,
        `${e.name}/policies/mutatingpolicy-traceprop.yaml`,
      ]);
    }
  });

  it('emits manifests that validate strictly against the vendored Kyverno CRDs', () => {
    const report = validateManifests(files, schemaSetsFor(model, path.join(ROOT, 'schemas')));
    expect(report.findings).toEqual([]);
    expect(report.manifests).toBe(6 * model.environments.length);
  });

  it("routes exposed Services to the environment's central gateway and public listener", () => {
    for (const e of model.environments) {
      const expr: string = policyFile(e.name, 'generatingpolicy-auto-expose.yaml').spec.generate[0]
        .expression;
      expect(expr).toContain(`"namespace": dyn(${JSON.stringify(e.gateway.namespace)})`);
      expect(expr).toContain(`"name": dyn(${JSON.stringify(e.gateway.name)})`);
      expect(expr).toContain(`"sectionName": dyn(${JSON.stringify(e.gateway.publicListener)})`);
    }
  });

  it("points agent runtimes at the environment's collector, as the tenant Agents do", () => {
    for (const e of model.environments) {
      const env0 = JSON.parse(
        policyFile(e.name, 'mutatingpolicy-traceprop.yaml').spec.variables[0].expression,
      );
      expect(env0[0]).toEqual({
        name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        value: e.telemetry.otlpGrpcEndpoint,
      });
    }
  });

  it('schedules every platform namespace except default', () => {
    expect(PLATFORM_SCHEDULED_NAMESPACES).not.toContain('default');
    expect(PLATFORM_SCHEDULED_NAMESPACES).toContain('kagent');
    const selector = policyFile('dev', 'mutatingpolicy-platform-scheduling.yaml').spec
      .matchConstraints.namespaceSelector.matchExpressions;
    expect(selector).toEqual([
      {
        key: 'kubernetes.io/metadata.name',
        operator: 'In',
        values: [...PLATFORM_SCHEDULED_NAMESPACES].sort(),
      },
    ]);
  });

  // The tenant bundle renders Agents and MCP servers with the model's scheduling, and the
  // per-namespace sandbox-runtime policy sets the RuntimeClass; the cluster-wide policy for
  // the tenant's tier must place pods the same way.
  it("places each tenant's pods as the tenant model schedules them", () => {
    const dev = env(model, 'dev');
    const tenants = model.environments.flatMap((e) => e.tenants);
    expect(tenants.some((t) => t.isolation === 'dedicated')).toBe(true);
    for (const t of tenants) {
      const file =
        t.isolation === 'dedicated'
          ? 'mutatingpolicy-tenant-scheduling-dedicated.yaml'
          : 'mutatingpolicy-tenant-scheduling.yaml';
      const p = policyFile(dev.name, file);
      const selector = p.spec.matchConstraints.namespaceSelector.matchExpressions;
      const isolation = selector.find(
        (r: { key: string }) => r.key === 'platform.agentic.io/isolation',
      );
      expect(isolation.operator === 'In').toBe(t.isolation === 'dedicated');
      expect(t.labels['platform.agentic.io/isolation']).toBe(t.isolation);
      const expr: string = p.spec.mutations[0].jsonPatch.expression;
      for (const [k, v] of Object.entries(t.scheduling.nodeSelector))
        expect(expr).toContain(`path: "/spec/nodeSelector/${k}", value: ${JSON.stringify(v)}`);
      for (const taint of t.scheduling.tolerations)
        expect(expr).toContain(
          JSON.stringify({
            effect: taint.effect,
            key: taint.key,
            operator: 'Equal',
            value: taint.value,
          }),
        );
      if (t.scheduling.runtimeClassName)
        expect(expr).toContain(
          `path: "/spec/runtimeClassName", value: ${JSON.stringify(t.scheduling.runtimeClassName)}`,
        );
      else expect(expr).not.toContain('runtimeClassName');
    }
  });
});

describe('PlatformConventions', () => {
  const conventions = (platformNamespaces: readonly string[]) =>
    synthChart(
      (app) =>
        new PlatformConventions(app, 'c', {
          platformNamespaces,
          gatewayNamespace: 'agentgateway-system',
          gatewayName: 'agentgateway',
          publicListener: 'https',
          otlpEndpoint: 'http://collector.opentelemetry.svc.cluster.local:4317',
        }),
    );

  it('fails when no platform namespace is given', () => {
    expect(() => conventions([])).toThrow(/platformNamespaces is empty/);
  });

  it('leaves platform pods that chose a node group, and node agents, where they are', () => {
    const objects = conventions(['kagent']);
    const p = find(objects, 'MutatingPolicy', 'platform-scheduling');
    expect(p.spec.matchConditions.map((c: { name: string }) => c.name)).toEqual([
      'not-a-daemonset-pod',
      'no-node-group-chosen',
    ]);
    expect(
      find(objects, 'MutatingPolicy', 'tenant-scheduling').spec.matchConditions,
    ).toBeUndefined();
  });
});
