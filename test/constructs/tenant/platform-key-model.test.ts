import { describe, expect, it } from 'vitest';
import { LlmBackendGrant } from '../../../constructs/tenant/llm-backend-grant';
import {
  PlatformKeyModel,
  type PlatformKeyModelProps,
} from '../../../constructs/tenant/platform-key-model';
import { find, objectsOf } from '../../construct-helpers';

const props: PlatformKeyModelProps = {
  namespace: 'agentgateway-system',
  tenantNamespace: 'acme',
  name: 'acme-llm-gpt-4o',
  provider: 'openai',
  model: 'gpt-4o-2024-08-06',
  store: 'platform-llm-keys',
  key: 'platform/llm/openai',
};

describe('PlatformKeyModel', () => {
  const objects = objectsOf((s) => new PlatformKeyModel(s, 'm', props));

  it('keeps the key, its Secret and the backend in the gateway namespace', () => {
    expect(objects.map((o) => [o.kind, o.metadata.namespace]).sort()).toEqual([
      ['AgentgatewayBackend', 'agentgateway-system'],
      ['ExternalSecret', 'agentgateway-system'],
      ['ReferenceGrant', 'agentgateway-system'],
    ]);
    const es = find(objects, 'ExternalSecret', 'acme-llm-gpt-4o');
    expect(es.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'platform-llm-keys',
    });
    expect(es.spec.data[0].remoteRef).toEqual({ key: 'platform/llm/openai' });
    const backend = find(objects, 'AgentgatewayBackend', 'acme-llm-gpt-4o');
    expect(backend.spec.policies.auth.secretRef).toEqual({ name: es.spec.target.name });
  });

  it("grants only the tenant's HTTPRoutes, and only this backend", () => {
    expect(find(objects, 'ReferenceGrant', 'acme-llm-gpt-4o').spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'acme' }],
      to: [{ group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: 'acme-llm-gpt-4o' }],
    });
  });

  it('throws when asked to put the platform key in the tenant namespace', () => {
    expect(() =>
      objectsOf((s) => new PlatformKeyModel(s, 'm', { ...props, namespace: 'acme' })),
    ).toThrow(/namespace is the tenant namespace "acme"; a platform key there is readable/);
  });
});

describe('LlmBackendGrant', () => {
  it('throws on a grant into its own namespace', () => {
    expect(() =>
      objectsOf(
        (s) =>
          new LlmBackendGrant(s, 'g', {
            namespace: 'acme',
            backendName: 'llm-x',
            tenantNamespace: 'acme',
          }),
      ),
    ).toThrow(/tenantNamespace is the backend's own namespace "acme"/);
  });
});
