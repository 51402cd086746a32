import { describe, expect, it } from 'vitest';
import {
  CLOUD_METADATA_CIDR,
  DEFAULT_IMAGE_REGISTRIES,
  NODE_GROUPS,
  SANDBOX_RUNTIME_CLASS,
} from '../../src/model/conventions';
import { env, repoModel, tenant, withSpec } from '../helpers';

describe('buildModel', () => {
  const model = repoModel();

  it('builds one model per environment, tenants sorted by name', () => {
    expect(model.environments.map((e) => e.name)).toEqual(['dev', 'prod', 'staging']);
    expect(env(model, 'dev').tenants.map((t) => t.name)).toEqual(['acme', 'globex', 'initech']);
  });

  it('derives the namespace, labels and route paths once', () => {
    const acme = tenant(model, 'dev', 'acme');
    expect(acme.namespace).toBe('acme');
    expect(acme.labels).toMatchObject({
      'platform.agentic.io/tenant': 'acme',
      'platform.agentic.io/environment': 'dev',
    });
    expect(acme.agents[0]!.route).toEqual({ path: '/a2a/acme/triage', name: 'a2a-triage' });
    expect(acme.mcpServers[0]!.route).toEqual({
      path: '/mcp/acme/github-tools',
      name: 'mcp-github-tools',
    });
    expect(acme.models[0]!.route).toEqual({ path: '/llm/acme/gpt-4o', name: 'llm-gpt-4o' });
  });

  it('replaces the namespace segment with the alias', () => {
    expect(tenant(model, 'dev', 'globex').agents[0]!.route?.path).toBe(
      '/a2a/research/research-assistant',
    );
  });

  it('publishes no route for an agent that is not exposed', () => {
    expect(tenant(model, 'dev', 'initech').agents[0]!.route).toBeUndefined();
  });

  it('fills the quota from the environment default, the tenant, then its override', () => {
    expect(tenant(model, 'dev', 'acme').quota).toMatchObject({ cpu: 6, memoryGiB: 12, pods: 20 });
    expect(tenant(model, 'prod', 'acme').quota).toMatchObject({ cpu: 12, memoryGiB: 24, pods: 40 });
    expect(tenant(model, 'dev', 'globex').quota).toEqual(
      env(model, 'dev').spec.tenants.defaultQuota,
    );
  });

  it('applies an isolation override per environment', () => {
    expect(tenant(model, 'dev', 'initech').isolation).toBe('shared');
    expect(tenant(model, 'prod', 'initech').isolation).toBe('dedicated');
  });

  it('schedules the dedicated tier onto dedicated nodes in the gVisor sandbox', () => {
    expect(tenant(model, 'prod', 'initech').scheduling).toEqual({
      nodeSelector: NODE_GROUPS.dedicated.labels,
      tolerations: [NODE_GROUPS.dedicated.taint],
      runtimeClassName: SANDBOX_RUNTIME_CLASS,
    });
    expect(tenant(model, 'prod', 'acme').scheduling).toEqual({
      nodeSelector: NODE_GROUPS.agents.labels,
      tolerations: [NODE_GROUPS.agents.taint],
    });
  });

  it('resolves platform credentials to the platform store and BYOK to the tenant store', () => {
    expect(tenant(model, 'dev', 'acme').models[0]!.credential).toEqual({
      store: 'platform-llm-keys',
      key: 'platform/llm/openai',
      byok: false,
    });
    expect(tenant(model, 'dev', 'globex').models[0]!.credential).toEqual({
      store: 'tenant-llm-keys',
      key: 'tenants/globex/anthropic',
      property: 'apiKey',
      byok: true,
    });
  });

  it('puts platform-key backends in the gateway namespace and BYOK backends in the tenant', () => {
    const acme = tenant(model, 'dev', 'acme').models[0]!;
    expect([acme.backendNamespace, acme.backendName, acme.secretName]).toEqual([
      'agentgateway-system',
      'acme-llm-gpt-4o',
      'acme-llm-gpt-4o',
    ]);
    const globex = tenant(model, 'dev', 'globex').models[0]!;
    expect([globex.backendNamespace, globex.backendName, globex.secretName]).toEqual([
      'globex',
      'llm-claude-sonnet',
      'llm-claude-sonnet',
    ]);
  });

  it('points model configs at the gateway route, never at the provider', () => {
    expect(tenant(model, 'dev', 'acme').models[0]!.baseUrl).toBe(
      'http://agentgateway.agentgateway-system.svc.cluster.local/llm/acme/gpt-4o',
    );
  });

  it('gives an agent every tool of a server when it names none', () => {
    expect(tenant(model, 'dev', 'initech').agents[0]!.tools).toEqual([
      { server: 'ledger', toolNames: ['get_balance', 'list_transactions'] },
    ]);
  });

  it('carves the metadata endpoint out of an egress range that contains it', () => {
    const m = repoModel(
      withSpec('tenants/acme.yaml', (d) => ({
        ...d,
        egress: [{ cidr: '169.254.0.0/16', description: 'link-local' }],
      })),
    );
    expect(tenant(m, 'dev', 'acme').egress).toEqual([
      { cidr: '169.254.0.0/16', description: 'link-local', except: [CLOUD_METADATA_CIDR] },
    ]);
    expect(tenant(model, 'dev', 'acme').egress[0]!.except).toEqual([]);
  });

  it('leaves tenants out of environments they do not list', () => {
    const m = repoModel(
      withSpec('tenants/globex.yaml', (d) => ({ ...d, environments: ['dev'], overrides: {} })),
    );
    expect(env(m, 'prod').tenants.map((t) => t.name)).not.toContain('globex');
  });

  it('returns a frozen model', () => {
    const t = tenant(model, 'dev', 'acme');
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.quota)).toBe(true);
    expect(() => {
      (t.labels as Record<string, string>).x = 'y';
    }).toThrow();
  });
});

describe('image registry allow-list', () => {
  const guardrail = (m: ReturnType<typeof repoModel>, name: string) =>
    env(m, name).guardrails.find((g) => g.id === 'images-allowed-registries')!;
  const allowedVariable = (m: ReturnType<typeof repoModel>, name: string) =>
    guardrail(m, name).variables.find((v) => v.name === 'allowed')!.expression;
  const withRegistries = (registries: Record<string, unknown>) =>
    repoModel(
      withSpec('environments/dev.yaml', (d) => ({
        ...d,
        guardrails: { ...(d.guardrails as object), imageRegistries: registries },
      })),
    );

  it('defaults every environment to the platform and example registries, without repeating them in environments/', () => {
    const model = repoModel();
    for (const e of model.environments) {
      expect(e.spec.guardrails.imageRegistries.allowed).toBeUndefined();
      expect(e.imageRegistries).toEqual(DEFAULT_IMAGE_REGISTRIES);
    }
    expect(DEFAULT_IMAGE_REGISTRIES).toEqual(
      expect.arrayContaining(['docker.io/library', 'ghcr.io/acme-corp', 'registry.k8s.io']),
    );
  });

  it('fills the guardrail with the list as a CEL list literal', () => {
    expect(allowedVariable(repoModel(), 'dev')).toBe(JSON.stringify(DEFAULT_IMAGE_REGISTRIES));
  });

  it('extends the default with additional, in that environment only', () => {
    const m = withRegistries({ additional: ['registry.example.com:5000/team'] });
    expect(env(m, 'dev').imageRegistries).toEqual([
      ...DEFAULT_IMAGE_REGISTRIES,
      'registry.example.com:5000/team',
    ]);
    expect(env(m, 'prod').imageRegistries).toEqual(DEFAULT_IMAGE_REGISTRIES);
  });

  it('narrows to allowed, which replaces the default, plus additional once each', () => {
    const m = withRegistries({
      allowed: ['registry.k8s.io', 'ghcr.io/acme-corp'],
      additional: ['ghcr.io/acme-corp', 'quay.io/jetstack'],
    });
    expect(env(m, 'dev').imageRegistries).toEqual([
      'registry.k8s.io',
      'ghcr.io/acme-corp',
      'quay.io/jetstack',
    ]);
    expect(allowedVariable(m, 'dev')).toBe(
      '["registry.k8s.io","ghcr.io/acme-corp","quay.io/jetstack"]',
    );
  });
});
