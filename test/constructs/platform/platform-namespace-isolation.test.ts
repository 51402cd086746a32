import { describe, expect, it } from 'vitest';
import {
  PlatformNamespaceIsolation,
  type PlatformNamespaceIsolationProps,
} from '../../../constructs/platform/platform-namespace-isolation';
import { find, objectsOf } from '../../construct-helpers';

const TENANT = 'platform.agentic.io/tenant';
const synth = (p: Partial<PlatformNamespaceIsolationProps> = {}) =>
  objectsOf(
    (s) =>
      new PlatformNamespaceIsolation(s, 'I', { namespace: 'kagent', tenantLabel: TENANT, ...p }),
  );

describe('PlatformNamespaceIsolation', () => {
  it('denies every ingress and admits every namespace that is not a tenant', () => {
    const o = synth();
    expect(o.map((x) => x.metadata.name)).toEqual(['default-deny', 'allow-platform-namespaces']);
    expect(find(o, 'NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    expect(find(o, 'NetworkPolicy', 'allow-platform-namespaces').spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchExpressions: [{ key: TENANT, operator: 'DoesNotExist' }] } },
        ],
      },
    ]);
  });

  it('admits tenant pods only on their flows, to the pods and ports named', () => {
    const o = synth({
      tenantFlows: [
        {
          name: 'agents',
          toPods: { app: 'ctl' },
          fromPods: { matchLabels: { app: 'kagent' } },
          ports: [8083],
        },
        { name: 'gateway' },
      ],
    });
    expect(find(o, 'NetworkPolicy', 'allow-tenant-agents').spec).toEqual({
      podSelector: { matchLabels: { app: 'ctl' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchExpressions: [{ key: TENANT, operator: 'Exists' }] },
              podSelector: { matchLabels: { app: 'kagent' } },
            },
          ],
          ports: [{ port: 8083, protocol: 'TCP' }],
        },
      ],
    });
    expect(find(o, 'NetworkPolicy', 'allow-tenant-gateway').spec.ingress[0].ports).toBeUndefined();
  });

  it("admits the API server's webhook ports from the VPC range, and the public only when asked", () => {
    const o = synth({ apiServerPorts: [9443], vpcCidr: '10.30.0.0/16', publicEntry: true });
    expect(find(o, 'NetworkPolicy', 'allow-api-server').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ port: 9443, protocol: 'TCP' }] },
    ]);
    expect(find(o, 'NetworkPolicy', 'allow-public-entry').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
    ]);
    expect(synth().some((x) => x.metadata.name === 'allow-public-entry')).toBe(false);
  });

  it('refuses webhook ports without the VPC range, naming the prop', () => {
    expect(() => synth({ apiServerPorts: [9443] })).toThrow(/apiServerPorts 9443 need vpcCidr/);
  });
});
