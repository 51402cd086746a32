import { describe, expect, it } from 'vitest';
import { classifyRisks, type RiskContext, type RiskInput } from '../../src/diff/risk';
import { fieldChanges } from '../../src/diff/field-changes';

const ctx: RiskContext = { internalListeners: new Set(['http']), terraformLifecycle: true };

function changed(kind: string, group: string, before: unknown, after: unknown): RiskInput {
  return { status: 'changed', kind, group, before, after, fields: fieldChanges(before, after) };
}
function added(kind: string, group: string, after: unknown): RiskInput {
  return { status: 'added', kind, group, after, fields: [] };
}
const kinds = (input: RiskInput) => classifyRisks(input, ctx).map((r) => r.kind);

const route = (section: string) => ({
  spec: {
    parentRefs: [{ name: 'agentgateway', sectionName: section }],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a2a/acme/triage' } }] }],
  },
});

describe('classifyRisks', () => {
  it.each([
    [
      'a RoleBinding added',
      added('RoleBinding', 'rbac.authorization.k8s.io', {
        subjects: [{ kind: 'Group', name: 'g' }],
        roleRef: { kind: 'ClusterRole', name: 'admin' },
      }),
      'rbac',
    ],
    [
      'a ClusterRole rule changed',
      changed(
        'ClusterRole',
        'rbac.authorization.k8s.io',
        { rules: [{ verbs: ['get'] }] },
        { rules: [{ verbs: ['get', 'delete'] }] },
      ),
      'rbac',
    ],
    [
      'an IAM role policy changed',
      changed('aws_iam_role_policy', 'terraform', { policy: 'a' }, { policy: 'b' }),
      'rbac',
    ],
    [
      'Argo CD policy.csv lines added',
      changed(
        'ApplicationSet',
        'argoproj.io',
        { v: { 'policy.csv': 'a\nb' } },
        { v: { 'policy.csv': 'a\nb\nc' } },
      ),
      'rbac',
    ],
    [
      'an egress CIDR added',
      changed(
        'NetworkPolicy',
        'networking.k8s.io',
        { spec: { egress: [] } },
        { spec: { egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] } },
      ),
      'network',
    ],
    [
      'a security group rule changed',
      changed(
        'aws_vpc_security_group_ingress_rule',
        'terraform',
        { cidr_ipv4: 'a' },
        { cidr_ipv4: 'b' },
      ),
      'network',
    ],
    [
      'a public route added',
      added('HTTPRoute', 'gateway.networking.k8s.io', route('https')),
      'route-exposed',
    ],
    [
      'a route moved to the public listener',
      changed('HTTPRoute', 'gateway.networking.k8s.io', route('http'), route('https')),
      'route-exposed',
    ],
    [
      'a guardrail from Audit to Deny',
      changed(
        'ValidatingPolicy',
        'policies.kyverno.io',
        { spec: { validationActions: ['Audit'] } },
        { spec: { validationActions: ['Deny'] } },
      ),
      'policy-mode',
    ],
    [
      'a policy exception added',
      added('PolicyException', 'policies.kyverno.io', {
        spec: { policyRefs: [{ name: 'images-pinned' }] },
      }),
      'policy-exception',
    ],
    [
      'an image tag changed',
      changed('MCPServer', 'kagent.dev', { spec: { image: 'x:1' } }, { spec: { image: 'x:2' } }),
      'image',
    ],
    [
      'a chart version changed',
      changed(
        'Application',
        'argoproj.io',
        { spec: { source: { chart: 'kyverno', targetRevision: '3.5.0' } } },
        { spec: { source: { chart: 'kyverno', targetRevision: '3.6.0' } } },
      ),
      'image',
    ],
    [
      'an EKS add-on version changed',
      changed('aws_eks_addon', 'terraform', { addon_version: 'v1' }, { addon_version: 'v2' }),
      'image',
    ],
    [
      'a Terraform resource removed',
      {
        status: 'removed',
        kind: 'aws_db_instance',
        group: 'terraform',
        before: {},
        fields: [],
      } as RiskInput,
      'terraform-destroy',
    ],
  ])('flags %s', (_name, input, kind) => {
    expect(kinds(input)).toContain(kind);
  });

  it.each([
    ['an in-cluster route added', added('HTTPRoute', 'gateway.networking.k8s.io', route('http'))],
    [
      'a git branch a source follows',
      changed(
        'Application',
        'argoproj.io',
        { spec: { source: { path: 'dist/dev', targetRevision: 'main' } } },
        { spec: { source: { path: 'dist/dev', targetRevision: 'release' } } },
      ),
    ],
    [
      'a replica count',
      changed('Deployment', 'apps', { spec: { replicas: 1 } }, { spec: { replicas: 2 } }),
    ],
    [
      'a default-deny NetworkPolicy added',
      added('NetworkPolicy', 'networking.k8s.io', {
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    ],
    [
      'an in-cluster allowance added',
      added('NetworkPolicy', 'networking.k8s.io', {
        spec: { egress: [{ to: [{ namespaceSelector: {} }] }] },
      }),
    ],
    [
      'a waypoint (HBONE) Gateway added',
      added('Gateway', 'gateway.networking.k8s.io', {
        spec: { listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      }),
    ],
  ])('does not flag %s', (_name, input) => {
    expect(kinds(input)).toEqual([]);
  });

  it('names the egress target and port of a new NetworkPolicy', () => {
    const policy = {
      spec: { egress: [{ ports: [{ port: 443 }], to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] },
    };
    expect(classifyRisks(added('NetworkPolicy', 'networking.k8s.io', policy), ctx)).toEqual([
      { kind: 'network', detail: 'added: egress to 203.0.113.0/24:443' },
    ]);
  });

  it('says which listener and path a new public route exposes', () => {
    expect(
      classifyRisks(added('HTTPRoute', 'gateway.networking.k8s.io', route('https')), ctx)[0]!
        .detail,
    ).toBe('public route * /a2a/acme/triage via agentgateway/https');
  });

  it('does not speak of Terraform destroy between two environments', () => {
    const input = {
      status: 'removed',
      kind: 'aws_eip',
      group: 'terraform',
      before: {},
      fields: [],
    } as RiskInput;
    expect(classifyRisks(input, { ...ctx, terraformLifecycle: false })).toEqual([]);
  });
});
