import { describe, expect, it } from 'vitest';
import {
  ApiKeyAuthPolicy,
  type ApiKeyAuthPolicyProps,
} from '../../../constructs/tenant/api-key-auth-policy';
import { find, objectsOf } from '../../construct-helpers';

const props: ApiKeyAuthPolicyProps = {
  namespace: 'acme',
  routeLabels: { 'platform.agentic.io/route-auth': 'api-key' },
  authzNamespace: 'agent-registry',
  authzService: 'agent-registry',
  authzPort: 8080,
  authzPathPrefix: '/ext-authz',
  requestHeaders: ['authorization', 'x-api-key'],
  responseHeaders: ['x-agent-registry-tenant'],
};

describe('ApiKeyAuthPolicy', () => {
  it('selects the labelled routes of its namespace and asks the registry over HTTP', () => {
    const p = find(
      objectsOf((s) => new ApiKeyAuthPolicy(s, 'p', props)),
      'AgentgatewayPolicy',
      'api-key-auth',
    );
    expect(p.metadata.namespace).toBe('acme');
    expect(p.spec.targetRefs).toBeUndefined();
    expect(p.spec.targetSelectors[0].matchLabels).toEqual(props.routeLabels);
    expect(p.spec.traffic.extAuth.backendRef).toMatchObject({
      namespace: 'agent-registry',
      name: 'agent-registry',
      port: 8080,
    });
    expect(p.spec.traffic.extAuth.http.path).toBe('"/ext-authz" + request.path');
    expect(p.spec.traffic.extAuth.failureMode).toBe('FailClosed');
  });

  it('has the gateway tell the registry the client address, which the client cannot set', () => {
    const p = find(
      objectsOf((s) => new ApiKeyAuthPolicy(s, 'p', { ...props, sourceHeader: 'x-src' })),
      'AgentgatewayPolicy',
      'api-key-auth',
    );
    // agentgateway v1.4.1 evaluates source.address to the downstream IP as a string.
    expect(p.spec.traffic.extAuth.http.addRequestHeaders).toEqual({ 'x-src': 'source.address' });
    expect(p.spec.traffic.extAuth.http.allowedRequestHeaders).not.toContain('x-src');
  });

  it.each([
    [{ routeLabels: {} }, /routeLabels is empty/],
    [{ authzPathPrefix: 'ext-authz' }, /authzPathPrefix must start with "\/".*got "ext-authz"/],
    [{ authzPathPrefix: '/ext-authz/' }, /authzPathPrefix must start with "\/" and not end/],
    [{ requestHeaders: [] }, /requestHeaders is empty/],
  ])('rejects %j', (override, message) => {
    expect(() => objectsOf((s) => new ApiKeyAuthPolicy(s, 'p', { ...props, ...override }))).toThrow(
      message,
    );
  });
});
