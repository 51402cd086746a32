import { describe, expect, it } from 'vitest';
import { A2aAppProtocolPolicy } from '../../../constructs/policy/a2a-app-protocol-policy';
import { find, objectsOf } from '../../construct-helpers';

const policy = () =>
  find(
    objectsOf((s) => new A2aAppProtocolPolicy(s, 'p')),
    'MutatingPolicy',
    'appprotocol',
  );

describe('A2aAppProtocolPolicy', () => {
  it('selects agent Services on creation and update', () => {
    const c = policy().spec.matchConstraints;
    expect(c.objectSelector).toEqual({
      matchLabels: { app: 'kagent' },
      matchExpressions: [{ key: 'kagent', operator: 'Exists' }],
    });
    expect(c.resourceRules[0].resources).toEqual(['services']);
    expect(c.resourceRules[0].operations).toEqual(['CREATE', 'UPDATE']);
  });

  it('sets agentgateway.dev/a2a on the http port, merged by the port list keys', () => {
    const [m] = policy().spec.mutations;
    expect(m.patchType).toBe('ApplyConfiguration');
    expect(m.applyConfiguration.expression).toContain('p.name == "http"');
    expect(m.applyConfiguration.expression).toContain(
      'Object.spec.ports{port: p.port, protocol: has(p.protocol) ? p.protocol : "TCP", appProtocol: "agentgateway.dev/a2a"}',
    );
  });

  it('leaves Services whose A2A port is already marked alone', () => {
    expect(policy().spec.matchConditions[0].expression).toContain(
      'p.appProtocol != "agentgateway.dev/a2a"',
    );
  });
});
