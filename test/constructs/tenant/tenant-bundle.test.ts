import { describe, expect, it } from 'vitest';
import { TenantBundle } from '../../../constructs/tenant/tenant-bundle';
import { synthChart } from '../../../src/synth/chart-objects';
import {
  AUTHZ_HEADERS,
  AUTHZ_PATH_PREFIX,
  REGISTRY_NAME,
  REGISTRY_NAMESPACE,
  REGISTRY_PORT,
} from '@agentic-platform/agent-registry/constants';
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

  it("keeps a platform-key model's Secret and backend out of the tenant namespace", () => {
    const objects = bundle('dev', 'acme');
    expect(objects.filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'AgentgatewayBackend')).toEqual([]);
    expect(find(objects, 'HTTPRoute', 'llm-gpt-4o').spec.rules[0].backendRefs).toEqual([
      {
        group: 'agentgateway.dev',
        kind: 'AgentgatewayBackend',
        name: 'acme-llm-gpt-4o',
        namespace: 'agentgateway-system',
      },
    ]);
  });

  it('keeps every model route in-cluster behind the mesh identity check, exposed or not', () => {
    for (const [tenant, model] of [
      ['acme', 'gpt-4o'],
      ['globex', 'claude-sonnet'],
    ] as const) {
      const objs = bundle('dev', tenant);
      expect(
        find(objs, 'AgentgatewayPolicy', 'llm-access').spec.targetRefs.map(
          (r: { name: string }) => r.name,
        ),
      ).toEqual([`llm-${model}`]);
      expect(
        find(objs, 'HTTPRoute', `llm-${model}`).spec.parentRefs.map(
          (p: { sectionName: string }) => p.sectionName,
        ),
      ).toEqual(['http']);
    }
  });

  it('publishes an exposed model as a second, API-key route on the public listener only', () => {
    const globex = bundle('dev', 'globex');
    const route = find(globex, 'HTTPRoute', 'llm-claude-sonnet-public');
    expect(route.metadata.labels['platform.agentic.io/route-auth']).toBe('api-key');
    expect(route.spec.parentRefs.map((p: { sectionName: string }) => p.sectionName)).toEqual([
      'https',
    ]);
    expect(route.spec.rules[0].matches[0].path.value).toBe('/llm/globex/claude-sonnet');
    // acme's model is not exposed: no public route.
    expect(bundle('dev', 'acme').some((o) => o.metadata.name === 'llm-gpt-4o-public')).toBe(false);
  });

  it('labels every public route for the API-key check and strips credentials before the workload', () => {
    for (const tenant of ['acme', 'globex']) {
      const objs = bundle('dev', tenant) as Record<string, any>[];
      const publicRoutes = objs.filter(
        (o) =>
          o.kind === 'HTTPRoute' &&
          o.spec.parentRefs.some((p: { sectionName: string }) => p.sectionName === 'https'),
      );
      expect(publicRoutes.length).toBeGreaterThan(0);
      for (const r of publicRoutes) {
        expect(r.metadata.labels['platform.agentic.io/route-auth']).toBe('api-key');
        const modifier = r.spec.rules[0].filters.find(
          (f: { type: string }) => f.type === 'RequestHeaderModifier',
        );
        // Requests to an LLM provider leave the cluster: the registry's verdict stays behind too.
        // An agent's runtime would act for whatever user x-user-id names: never the caller's.
        expect(modifier.requestHeaderModifier.remove).toEqual(
          r.metadata.name.startsWith('llm-')
            ? ['authorization', 'x-api-key', 'x-agent-registry-tenant', 'x-agent-registry-key-id']
            : r.metadata.name.startsWith('a2a-')
              ? ['authorization', 'x-api-key', 'x-user-id']
              : ['authorization', 'x-api-key'],
        );
      }
      // In-cluster routes are not selected by the API-key policy.
      for (const r of objs.filter((o) => o.kind === 'HTTPRoute' && !publicRoutes.includes(o)))
        expect(r.metadata.labels['platform.agentic.io/route-auth']).toBeUndefined();
    }
  });

  it('sends every labelled route of the tenant to the registry ext-authz check, failing closed', () => {
    const policy = find(bundle('dev', 'initech'), 'AgentgatewayPolicy', 'api-key-auth');
    expect(policy.metadata.namespace).toBe('initech');
    expect(policy.spec.targetSelectors).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'HTTPRoute',
        matchLabels: { 'platform.agentic.io/route-auth': 'api-key' },
      },
    ]);
    const ext = policy.spec.traffic.extAuth;
    expect(ext.backendRef).toEqual({
      group: '',
      kind: 'Service',
      namespace: REGISTRY_NAMESPACE,
      name: REGISTRY_NAME,
      port: REGISTRY_PORT,
    });
    expect(ext.failureMode).toBe('FailClosed');
    expect(ext.http.path).toBe(`"${AUTHZ_PATH_PREFIX}" + request.path`);
    expect(ext.http.allowedRequestHeaders).toEqual(['authorization', AUTHZ_HEADERS.apiKey]);
    expect(ext.http.allowedResponseHeaders).toEqual([AUTHZ_HEADERS.tenant, AUTHZ_HEADERS.keyId]);
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
