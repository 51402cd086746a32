import { describe, expect, it } from 'vitest';
import { AgentModelConfig } from '../../../constructs/tenant/agent-model-config';
import { LlmAccessPolicy } from '../../../constructs/tenant/llm-access-policy';
import { LlmBackend } from '../../../constructs/tenant/llm-backend';
import { LlmCredential } from '../../../constructs/tenant/llm-credential';
import { find, objectsOf } from '../../construct-helpers';

describe('LlmCredential', () => {
  it('reads the key through a ClusterSecretStore into the Authorization key of a Secret', () => {
    const es = find(
      objectsOf(
        (s) =>
          new LlmCredential(s, 'c', {
            namespace: 'acme',
            name: 'llm-x',
            store: 'tenant-llm-keys',
            key: 'tenants/acme/x',
            property: 'apiKey',
          }),
      ),
      'ExternalSecret',
      'llm-x',
    );
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'tenant-llm-keys' },
      target: { name: 'llm-x', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'Authorization', remoteRef: { key: 'tenants/acme/x', property: 'apiKey' } },
      ],
    });
  });

  it('uses the whole secret value when no property is given', () => {
    const es = find(
      objectsOf(
        (s) =>
          new LlmCredential(s, 'c', { namespace: 'acme', name: 'llm-x', store: 's', key: 'k' }),
      ),
      'ExternalSecret',
      'llm-x',
    );
    expect(es.spec.data[0].remoteRef).toEqual({ key: 'k' });
  });
});

describe('LlmBackend', () => {
  it.each(['openai', 'anthropic', 'gemini'] as const)(
    'sets exactly one %s provider block and the key by secret reference',
    (provider) => {
      const b = find(
        objectsOf(
          (s) =>
            new LlmBackend(s, 'b', {
              namespace: 'acme',
              name: 'llm-x',
              provider,
              model: 'm-1',
              credentialSecretName: 'llm-x',
            }),
        ),
        'AgentgatewayBackend',
        'llm-x',
      );
      expect(b.spec.ai.provider).toEqual({ [provider]: { model: 'm-1' } });
      expect(b.spec.policies.auth).toEqual({ secretRef: { name: 'llm-x' } });
      expect(JSON.stringify(b)).not.toMatch(/"key"/);
    },
  );
});

describe('AgentModelConfig', () => {
  it('points at the gateway with no API key secret', () => {
    const mc = find(
      objectsOf(
        (s) =>
          new AgentModelConfig(s, 'm', {
            namespace: 'acme',
            name: 'gpt',
            model: 'gpt-4o',
            baseUrl: 'http://gw/llm/acme/gpt',
          }),
      ),
      'ModelConfig',
      'gpt',
    );
    expect(mc.apiVersion).toBe('kagent.dev/v1alpha2');
    expect(mc.spec).toEqual({
      provider: 'OpenAI',
      model: 'gpt-4o',
      openAI: { baseUrl: 'http://gw/llm/acme/gpt' },
    });
  });
});

describe('LlmAccessPolicy', () => {
  it('admits only callers whose mesh identity is in the tenant namespace', () => {
    const p = find(
      objectsOf(
        (s) => new LlmAccessPolicy(s, 'p', { namespace: 'acme', routeNames: ['llm-a', 'llm-b'] }),
      ),
      'AgentgatewayPolicy',
      'llm-access',
    );
    expect(p.spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'llm-a' },
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'llm-b' },
    ]);
    expect(p.spec.traffic.authorization).toEqual({
      action: 'Allow',
      policy: { matchExpressions: ['source.identity.namespace == "acme"'] },
    });
  });

  it('throws when there is no route to protect', () => {
    expect(() =>
      objectsOf((s) => new LlmAccessPolicy(s, 'p', { namespace: 'acme', routeNames: [] })),
    ).toThrow(/routeNames is empty/);
  });
});
