import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkPromises, PROMISES } from '../../src/check/promises';
import type { Finding } from '../../src/check/run-check';
import { synthRepo } from '../platform/synth-fixture';

const TODAY = '2026-12-01';
const TF = 'prod/terraform/cdk.tf.json';

/** The repository's synthesized files with `edit` applied to a copy. */
function planted(edit: (files: Map<string, string>) => void): Map<string, string> {
  const files = new Map(synthRepo().files);
  edit(files);
  return files;
}
const editYaml = (files: Map<string, string>, file: string, edit: (o: any) => void) => {
  const o = parse(files.get(file)!);
  edit(o);
  files.set(file, stringify(o));
};
const editTf = (files: Map<string, string>, edit: (tf: any) => void, file = TF) => {
  const tf = JSON.parse(files.get(file)!);
  edit(tf);
  files.set(file, JSON.stringify(tf));
};

function run(files: Map<string, string>, today = TODAY): Finding[] {
  const terraform = new Map(
    [...files].filter(([f]) => f.endsWith('cdk.tf.json')).map(([f, c]) => [f, JSON.parse(c)]),
  );
  const yaml = new Map([...files].filter(([f]) => f.endsWith('.yaml')));
  return checkPromises(synthRepo().model, yaml, terraform, today);
}
const errors = (findings: Finding[], promise: string) =>
  findings.filter((f) => f.severity === 'error' && f.policy === promise);

describe('promise checks', () => {
  it('finds no broken chain in any environment of the repository', () => {
    const findings = run(new Map(synthRepo().files));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('evaluates every promise in every environment (the table has no dead rows)', () => {
    expect(PROMISES.map((p) => p.id)).toEqual([
      'network-policy-enforced',
      'sandbox-runtime-installed',
      'node-credentials-unreachable',
      'tenant-egress-outside-cluster',
      'owner-groups-authenticated',
      'kagent-agents-only',
      'tenant-secrets-tenant-owned',
      'platform-namespace-default-deny',
    ]);
  });

  // Each row plants one defect of the issue back and names both ends the finding must name.
  const plantedDefects: {
    name: string;
    promise: string;
    edit: (files: Map<string, string>) => void;
    control: RegExp;
    other: RegExp;
  }[] = [
    {
      name: 'the VPC CNI without enableNetworkPolicy',
      promise: 'network-policy-enforced',
      edit: (f) =>
        editTf(f, (tf) => delete tf.resource.aws_eks_addon.eks_vpc_cni.configuration_values),
      control: /^prod\/tenants\/acme\/networkpolicy-.*\.yaml NetworkPolicy\/acme\//,
      other: /prod\/terraform\/cdk\.tf\.json aws_eks_addon\.eks_vpc_cni/,
    },
    {
      name: 'sandbox nodes without the runsc install in their user data',
      promise: 'sandbox-runtime-installed',
      edit: (f) =>
        editTf(
          f,
          (tf) =>
            delete tf.resource.aws_launch_template.node_groups_dedicated_launch_template.user_data,
        ),
      control: /^prod\/tenants\/initech\/namespacedmutatingpolicy-sandbox-runtime\.yaml /,
      other: /aws_launch_template\.node_groups_dedicated_launch_template/,
    },
    {
      name: 'a RuntimeClass that selects nodes without runsc',
      promise: 'sandbox-runtime-installed',
      edit: (f) =>
        editYaml(f, 'prod/platform/tenancy/runtimeclass-gvisor.yaml', (rc) => {
          rc.scheduling.nodeSelector = { workload: 'agents' };
          rc.scheduling.tolerations[0].value = 'agents';
        }),
      control: /namespacedmutatingpolicy-sandbox-runtime\.yaml/,
      other: /aws_launch_template\.node_groups_agents_launch_template/,
    },
    {
      name: 'the gvisor RuntimeClass missing',
      promise: 'sandbox-runtime-installed',
      edit: (f) => f.delete('prod/platform/tenancy/runtimeclass-gvisor.yaml'),
      control: /namespacedmutatingpolicy-sandbox-runtime\.yaml/,
      other: /RuntimeClass\/gvisor/,
    },
    {
      name: 'an IMDS hop limit of 2',
      promise: 'node-credentials-unreachable',
      edit: (f) =>
        editTf(f, (tf) => {
          tf.resource.aws_launch_template.node_groups_agents_launch_template.metadata_options.http_put_response_hop_limit = 2;
        }),
      control:
        /^prod\/tenants\/acme\/networkpolicy-default-deny\.yaml NetworkPolicy\/acme\/default-deny/,
      other: /aws_launch_template\.node_groups_agents_launch_template/,
    },
    {
      name: 'tenant egress into the VPC range',
      promise: 'tenant-egress-outside-cluster',
      edit: (f) =>
        editYaml(f, 'prod/tenants/acme/networkpolicy-allow-external-https.yaml', (p) => {
          p.spec.egress[0].to[0].ipBlock.cidr = '10.30.8.0/24';
        }),
      control: /^prod\/tenants\/acme\/networkpolicy-allow-external-https\.yaml /,
      other: /cdk\.tf\.json aws_vpc\.network_vpc/,
    },
    {
      name: 'tenant egress into the service range',
      promise: 'tenant-egress-outside-cluster',
      edit: (f) =>
        editYaml(f, 'prod/tenants/acme/networkpolicy-allow-external-https.yaml', (p) => {
          p.spec.egress[0].to[0].ipBlock.cidr = '172.20.0.10/32';
        }),
      control: /networkpolicy-allow-external-https\.yaml/,
      other: /cdk\.tf\.json aws_eks_cluster\.eks/,
    },
    {
      name: 'tenant egress to the whole internet',
      promise: 'tenant-egress-outside-cluster',
      edit: (f) =>
        editYaml(f, 'prod/tenants/acme/networkpolicy-allow-external-https.yaml', (p) => {
          p.spec.egress[0].to[0].ipBlock.cidr = '0.0.0.0/0';
        }),
      control: /networkpolicy-allow-external-https\.yaml/,
      other: /environments\/prod\.yaml isolationExceptions/,
    },
    {
      name: 'an allow-kagent policy open to every port',
      promise: 'kagent-agents-only',
      edit: (f) =>
        editYaml(f, 'prod/tenants/acme/networkpolicy-allow-kagent.yaml', (p) => {
          delete p.spec.egress[0].ports;
        }),
      control: /^prod\/tenants\/acme\/networkpolicy-allow-kagent\.yaml /,
      other: /namespace kagent/,
    },
    {
      name: 'an allow-kagent policy for every pod of the tenant',
      promise: 'kagent-agents-only',
      edit: (f) =>
        editYaml(f, 'prod/tenants/acme/networkpolicy-allow-kagent.yaml', (p) => {
          p.spec.podSelector = {};
        }),
      control: /networkpolicy-allow-kagent\.yaml/,
      other: /namespace kagent/,
    },
    {
      name: 'kagent back in auth mode unsecure',
      promise: 'kagent-agents-only',
      edit: (f) =>
        editYaml(f, 'prod/bootstrap/applicationset-addon-kagent.yaml', (a) => {
          a.spec.template.spec.source.helm.valuesObject.controller.auth.mode = 'unsecure';
        }),
      control: /networkpolicy-allow-kagent\.yaml/,
      other:
        /prod\/bootstrap\/applicationset-addon-kagent\.yaml ApplicationSet\/argocd\/addon-kagent/,
    },
    {
      name: 'an identity provider that does not produce the bound group names',
      promise: 'owner-groups-authenticated',
      edit: (f) =>
        editTf(f, (tf) => {
          tf.resource.aws_eks_identity_provider_config = {
            eks_keycloak: { oidc: { groups_claim: 'groups', groups_prefix: 'keycloak:' } },
          };
        }),
      control: /^prod\/tenants\/acme\/rolebinding-tenant-agent-developer\.yaml /,
      other: /aws_eks_identity_provider_config\.eks_keycloak/,
    },
    {
      name: 'the platform LLM key store open to tenant namespaces again',
      promise: 'tenant-secrets-tenant-owned',
      edit: (f) =>
        editYaml(
          f,
          'prod/platform/external-secrets/clustersecretstore-platform-llm-keys.yaml',
          (s) => {
            s.spec.conditions = [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: 'platform.agentic.io/tenant', operator: 'Exists' }],
                },
              },
            ];
          },
        ),
      control:
        /^prod\/platform\/external-secrets\/clustersecretstore-platform-llm-keys\.yaml ClusterSecretStore\/platform-llm-keys/,
      other: /prod\/tenants\/acme\/namespace-acme\.yaml Namespace\/acme/,
    },
    {
      name: 'a platform key copied into a tenant namespace',
      promise: 'tenant-secrets-tenant-owned',
      edit: (f) => {
        const gateway = 'prod/platform/tenant-sync/acme/externalsecret-acme-llm-gpt-4o.yaml';
        const es = parse(f.get(gateway)!);
        es.metadata.namespace = 'acme';
        es.metadata.name = 'llm-gpt-4o';
        es.spec.target.name = 'llm-gpt-4o';
        f.set('prod/tenants/acme/externalsecret-llm-gpt-4o.yaml', stringify(es));
      },
      control:
        /^prod\/tenants\/acme\/externalsecret-llm-gpt-4o\.yaml ExternalSecret\/acme\/llm-gpt-4o/,
      other:
        /prod\/platform\/external-secrets\/clustersecretstore-platform-llm-keys\.yaml ClusterSecretStore\/platform-llm-keys/,
    },
    {
      name: "a BYOK ExternalSecret reading outside the tenant's own key prefix",
      promise: 'tenant-secrets-tenant-owned',
      edit: (f) =>
        editYaml(f, 'prod/tenants/globex/externalsecret-llm-claude-sonnet.yaml', (es) => {
          es.spec.data[0].remoteRef.key = 'platform/llm/anthropic';
        }),
      control: /^prod\/tenants\/globex\/externalsecret-llm-claude-sonnet\.yaml /,
      other:
        /prod\/platform\/external-secrets\/clustersecretstore-tenant-llm-keys\.yaml ClusterSecretStore\/tenant-llm-keys/,
    },
  ];

  it.each(plantedDefects)(
    'fails on $name, naming both ends',
    ({ promise, edit, control, other }) => {
      const broken = errors(run(planted(edit)), promise);
      expect(broken.length).toBeGreaterThan(0);
      const hit = broken.find(
        (f) => control.test(`${f.file} ${f.resource}`) && other.test(f.message),
      );
      expect(hit, JSON.stringify(broken, null, 2)).toBeDefined();
    },
  );

  describe('platform-namespace-default-deny', () => {
    const denyAll = (namespace: string, types = ['Ingress', 'Egress']) =>
      stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace },
        spec: { podSelector: {}, policyTypes: types },
      });
    const platform = (files: Map<string, string>) =>
      run(files).filter(
        (f) => f.policy === 'platform-namespace-default-deny' && f.file.startsWith('prod/'),
      );

    it('warns about every platform namespace without a default-deny, naming what deploys there', () => {
      const found = platform(new Map(synthRepo().files));
      expect(found.every((f) => f.severity === 'warning')).toBe(true);
      const namespaces = found.map((f) => /namespace (\S+),/.exec(f.message)![1]).sort();
      // Every add-on and platform-folder destination and the registry; never a tenant's or
      // a namespace Kubernetes owns.
      expect(namespaces).toEqual([
        'agent-registry',
        'agentgateway-system',
        'argocd',
        'cert-manager',
        'cnpg-system',
        'external-dns',
        'external-secrets',
        'istio-system',
        'kagent',
        'keycloak',
        'kyverno',
        'langfuse',
        'monitoring',
        'opentelemetry',
      ]);
      expect(found.find((f) => f.message.includes('namespace keycloak,'))).toMatchObject({
        file: expect.stringMatching(/^prod\/bootstrap\/application/),
        message: expect.stringMatching(/other end: prod\/ NetworkPolicy\/keycloak\/default-deny/),
      });
    });

    it('accepts a namespace once it has a default-deny of every pod both ways', () => {
      const found = platform(
        planted((f) =>
          f.set('prod/platform/keycloak/networkpolicy-default-deny.yaml', denyAll('keycloak')),
        ),
      );
      expect(found.some((f) => f.message.includes('namespace keycloak,'))).toBe(false);
    });

    it('fails on a default-deny that denies only ingress, naming both ends', () => {
      const found = platform(
        planted((f) =>
          f.set(
            'prod/platform/keycloak/networkpolicy-default-deny.yaml',
            denyAll('keycloak', ['Ingress']),
          ),
        ),
      ).filter((f) => f.severity === 'error');
      expect(found).toEqual([
        expect.objectContaining({
          file: expect.stringMatching(/^prod\/bootstrap\/application/),
          message: expect.stringMatching(
            /namespace keycloak, whose default-deny .* \[other end: prod\/platform\/keycloak\/networkpolicy-default-deny\.yaml NetworkPolicy\/keycloak\/default-deny\]/,
          ),
        }),
      ]);
    });
  });

  it('flags a group RoleBinding as inert (warning) when the cluster authenticates no groups', () => {
    const inert = run(
      planted((f) => editTf(f, (tf) => delete tf.resource.aws_eks_identity_provider_config)),
    ).filter((f) => f.policy === 'owner-groups-authenticated' && f.file.startsWith('prod/'));
    expect(inert.length).toBeGreaterThan(0);
    expect(inert.every((f) => f.severity === 'warning' && /is inert/.test(f.message))).toBe(true);
  });

  it("accepts the repository's group RoleBindings: its identity provider produces their names", () => {
    const owners = run(new Map(synthRepo().files)).filter(
      (f) => f.policy === 'owner-groups-authenticated',
    );
    expect(owners).toEqual([]);
  });

  it('fails on an isolation exception past its expiry, naming the environment spec', () => {
    const model = synthRepo().model;
    const prod = model.environments.find((e) => e.name === 'prod')!;
    const expired = {
      ...model,
      environments: model.environments.map((e) =>
        e !== prod
          ? e
          : {
              ...e,
              spec: {
                ...e.spec,
                isolationExceptions: [
                  {
                    name: 'acme-old-vpn',
                    tenant: 'acme',
                    egressCidr: '140.82.112.0/20',
                    justification: 'kept past its date to test the expiry',
                    expires: '2026-11-30',
                  },
                ],
              },
            },
      ),
    };
    const files = new Map(synthRepo().files);
    const terraform = new Map([[TF, JSON.parse(files.get(TF)!)]]);
    const found = checkPromises(expired, files, terraform, TODAY).filter(
      (f) => f.policy === 'tenant-egress-outside-cluster',
    );
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'environments/prod.yaml',
        resource: 'isolationExceptions[0] (acme-old-vpn)',
        message: expect.stringMatching(/expired on 2026-11-30/),
      }),
    ]);
  });

  it('is the table the README shows', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    for (const p of PROMISES) {
      expect(readme).toContain(`| \`${p.id}\` | ${p.control} | ${p.enforcedBy} |`);
    }
  });
});
