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
    const o = synth({ apiServerPorts: [9443], vpcCidr: '10.30.0.0/16' });
    expect(find(o, 'NetworkPolicy', 'allow-api-server').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ port: 9443, protocol: 'TCP' }] },
    ]);
    expect(o.some((x) => x.metadata.name === 'allow-public-entry')).toBe(false);
  });

  it('admits the internet only to the public entry pods, on their ports', () => {
    const o = synth({ publicEntry: { pods: { 'gateway-name': 'gw' }, ports: [443] } });
    expect(find(o, 'NetworkPolicy', 'allow-public-entry').spec).toEqual({
      podSelector: { matchLabels: { 'gateway-name': 'gw' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      ],
    });
  });

  it('refuses a public entry that names no pods or no ports', () => {
    expect(() => synth({ publicEntry: { pods: {}, ports: [443] } })).toThrow(
      /publicEntry needs pods and ports, got pods \{\} and ports \[443\]/,
    );
    expect(() => synth({ publicEntry: { pods: { app: 'gw' }, ports: [] } })).toThrow(
      /publicEntry needs pods and ports, got pods \{"app":"gw"\} and ports \[\]/,
    );
  });

  it('refuses webhook ports without the VPC range, naming the prop', () => {
    expect(() => synth({ apiServerPorts: [9443] })).toThrow(/apiServerPorts 9443 need vpcCidr/);
  });
});
