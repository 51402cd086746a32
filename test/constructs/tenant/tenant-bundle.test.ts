import { describe, expect, it } from 'vitest';
import { TenantBundle } from '../../../constructs/tenant/tenant-bundle';
import { synthChart } from '../../../src/synth/chart-objects';
import type { Manifest } from '../../../src/synth/manifest';
import { env, repoModel, tenant } from '../../helpers';
import { find } from '../../construct-helpers';

const model = repoModel();
const bundle = (envName: string, name: string): Manifest[] =>
  synthChart(
    (app) =>
      new TenantBundle(app, name, {
        tenant: tenant(model, envName, name),
        environment: env(model, envName),
      }),
  );

const CONTROLS = [
  ['Namespace', 'acme'],
  ['ResourceQuota', 'tenant-quota'],
  ['LimitRange', 'tenant-defaults'],
  ['RoleBinding', 'tenant-agent-developer'],
  ['NetworkPolicy', 'default-deny'],
  ['NetworkPolicy', 'allow-dns'],
  ['NetworkPolicy', 'allow-telemetry'],
  ['NetworkPolicy', 'allow-gateway'],
  ['NetworkPolicy', 'allow-same-namespace'],
  ['NetworkPolicy', 'allow-ambient-mesh'],
  ['AuthorizationPolicy', 'tenant-isolation'],
  ['Gateway', 'waypoint'],
  ['AuthorizationPolicy', 'waypoint-access'],
] as const;

describe('TenantBundle', () => {
  it.each(model.environments.flatMap((e) => e.tenants.map((t) => [e.name, t.name] as const)))(
    'gives %s/%s every isolation control',
    (e, t) => {
      const objects = bundle(e, t);
      for (const [kind, name] of CONTROLS) find(objects, kind, name === 'acme' ? t : name);
    },
  );

  it('labels every object with the tenant and environment', () => {
    for (const o of bundle('prod', 'acme')) {
      expect(o.metadata.labels).toMatchObject({
        'platform.agentic.io/tenant': 'acme',
        'platform.agentic.io/environment': 'prod',
      });
    }
  });

  it('keeps every namespaced object inside the tenant namespace', () => {
    for (const o of bundle('dev', 'globex').filter((x) => x.kind !== 'Namespace'))
      expect(o.metadata.namespace).toBe('globex');
  });

  it('creates one ExternalSecret, backend, ModelConfig and route a model, and no Secret', () => {
    const objects = bundle('dev', 'globex');
    find(objects, 'ExternalSecret', 'llm-claude-sonnet');
    find(objects, 'AgentgatewayBackend', 'llm-claude-sonnet');
    find(objects, 'ModelConfig', 'claude-sonnet');
    find(objects, 'HTTPRoute', 'llm-claude-sonnet');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('protects internal model routes by mesh identity and publishes exposed ones on the public listener', () => {
    const acme = bundle('dev', 'acme');
    expect(
      find(acme, 'AgentgatewayPolicy', 'llm-access').spec.targetRefs.map(
        (r: { name: string }) => r.name,
      ),
    ).toEqual(['llm-gpt-4o']);
    expect(
      find(acme, 'HTTPRoute', 'llm-gpt-4o').spec.parentRefs.map(
        (p: { sectionName: string }) => p.sectionName,
      ),
    ).toEqual(['http']);
    const globex = bundle('dev', 'globex');
    expect(globex.some((o) => o.kind === 'AgentgatewayPolicy')).toBe(false);
    expect(
      find(globex, 'HTTPRoute', 'llm-claude-sonnet').spec.parentRefs.map(
        (p: { sectionName: string }) => p.sectionName,
      ),
    ).toEqual(['http', 'https']);
  });

  it('routes an aliased agent under its alias', () => {
    expect(
      find(bundle('dev', 'globex'), 'HTTPRoute', 'a2a-research-assistant').spec.rules[0].matches[0]
        .path.value,
    ).toBe('/a2a/research/research-assistant');
  });

  it('adds external egress only for tenants that ask for it', () => {
    expect(bundle('dev', 'acme').some((o) => o.metadata.name === 'allow-external-https')).toBe(
      true,
    );
    expect(bundle('dev', 'globex').some((o) => o.metadata.name === 'allow-external-https')).toBe(
      false,
    );
  });

  it('sandboxes the dedicated tier and not the shared one', () => {
    expect(bundle('prod', 'initech').some((o) => o.kind === 'NamespacedMutatingPolicy')).toBe(true);
    expect(
      find(bundle('prod', 'initech'), 'Agent', 'reconciler').spec.declarative.deployment
        .nodeSelector,
    ).toEqual({ workload: 'dedicated' });
    expect(bundle('dev', 'initech').some((o) => o.kind === 'NamespacedMutatingPolicy')).toBe(false);
  });

  it('gives agents and MCP servers service accounts without a mounted token', () => {
    const sas = bundle('dev', 'acme').filter((o) => o.kind === 'ServiceAccount') as Record<
      string,
      unknown
    >[];
    expect(sas.map((s) => (s.metadata as { name: string }).name).sort()).toEqual([
      'agent-triage',
      'mcp-github-tools',
    ]);
    for (const sa of sas) expect(sa.automountServiceAccountToken).toBe(false);
  });
});
