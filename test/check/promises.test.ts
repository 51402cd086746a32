import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkPromises, PROMISES, type EnvironmentView } from '../../src/check/promises';
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
      'tenant-waypoint-reaches-istiod',
      'prometheus-metrics-ports-only',
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
    {
      name: "a tenant waypoint without egress to istiod (the tenant's allowance removed)",
      promise: 'tenant-waypoint-reaches-istiod',
      edit: (f) => f.delete('prod/tenants/acme/networkpolicy-allow-waypoint-istiod.yaml'),
      control: /^prod\/tenants\/acme\/gateway-waypoint\.yaml Gateway\/acme\/waypoint$/,
      other:
        /lets reach istiod \(istio-system\) on 15012.*other end: prod\/tenants\/acme\/networkpolicy-default-deny\.yaml NetworkPolicy\/acme\/default-deny/,
    },
    {
      name: 'a tenant waypoint allowance to the wrong port',
      promise: 'tenant-waypoint-reaches-istiod',
      edit: (f) =>
        editYaml(f, 'prod/tenants/globex/networkpolicy-allow-waypoint-istiod.yaml', (p) => {
          p.spec.egress[0].ports[0].port = 15010;
        }),
      control: /^prod\/tenants\/globex\/gateway-waypoint\.yaml Gateway\/globex\/waypoint$/,
      other: /lets reach istiod \(istio-system\) on 15012/,
    },
    {
      name: 'tenant waypoints not admitted into istio-system',
      promise: 'tenant-waypoint-reaches-istiod',
      edit: (f) =>
        f.delete(
          'prod/platform/network-isolation/istio-system/networkpolicy-allow-tenant-waypoints.yaml',
        ),
      control: /^prod\/tenants\/acme\/gateway-waypoint\.yaml Gateway\/acme\/waypoint$/,
      other:
        /no ingress NetworkPolicy of istio-system admits to istiod on 15012.*other end: prod\/platform\/network-isolation\/istio-system\/networkpolicy-default-deny\.yaml NetworkPolicy\/istio-system\/default-deny/,
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
    const ISO = 'prod/platform/network-isolation';
    const platform = (files: Map<string, string>) =>
      errors(run(files), 'platform-namespace-default-deny').filter((f) =>
        f.file.startsWith('prod/'),
      );

    it('finds an ingress default-deny in every platform namespace, naming none a tenant owns', () => {
      const files = synthRepo().files;
      const namespaces = [...files.keys()]
        .filter((f) => f.startsWith(`${ISO}/`) && f.endsWith('/networkpolicy-default-deny.yaml'))
        .map((f) => f.split('/')[3])
        .sort();
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
        'platform-db',
      ]);
      expect(platform(new Map(files))).toEqual([]);
    });

    it('fails on a platform namespace without its default-deny, naming what deploys there', () => {
      const found = platform(
        planted((f) => f.delete(`${ISO}/keycloak/networkpolicy-default-deny.yaml`)),
      );
      expect(found).toEqual([
        expect.objectContaining({
          file: expect.stringMatching(/^prod\/bootstrap\/application/),
          message: expect.stringMatching(
            /namespace keycloak, which has no default-deny .*other end: prod\/platform\/network-isolation\/keycloak\/ NetworkPolicy\/keycloak\/default-deny/,
          ),
        }),
      ]);
    });

    it('fails on a default-deny that denies only egress, naming both ends', () => {
      const found = platform(
        planted((f) =>
          editYaml(f, `${ISO}/keycloak/networkpolicy-default-deny.yaml`, (p) => {
            p.spec.policyTypes = ['Egress'];
          }),
        ),
      );
      expect(found).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(
            /namespace keycloak, whose default-deny .* \[other end: prod\/platform\/network-isolation\/keycloak\/networkpolicy-default-deny\.yaml NetworkPolicy\/keycloak\/default-deny\]/,
          ),
        }),
      ]);
    });

    it('fails on a platform allowance that admits tenant namespaces, naming the tenant', () => {
      const found = platform(
        planted((f) =>
          editYaml(f, `${ISO}/keycloak/networkpolicy-allow-platform-namespaces.yaml`, (p) => {
            p.spec.ingress[0].from[0].namespaceSelector = {};
          }),
        ),
      );
      expect(found.map((f) => `${f.resource} ${f.message}`)).toEqual(
        ['acme', 'globex', 'initech'].map((t) =>
          expect.stringMatching(
            new RegExp(
              `^NetworkPolicy/keycloak/allow-platform-namespaces admits tenant namespace ${t} into keycloak on every port, which its egress NetworkPolicies do not open \\(they open nothing there\\).*other end: prod/tenants/${t}/namespace-${t}\\.yaml Namespace/${t}`,
            ),
          ),
        ),
      );
    });

    it('fails on a tenant flow wider than the tenant egress allows, naming the ports', () => {
      const found = platform(
        planted((f) =>
          editYaml(f, `${ISO}/kagent/networkpolicy-allow-tenant-kagent-agents.yaml`, (p) => {
            p.spec.ingress[0].ports.push({ port: 8443, protocol: 'TCP' });
          }),
        ),
      );
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]!.message).toMatch(
        /admits tenant namespace \S+ into kagent on ports 8443, which its egress NetworkPolicies do not open \(they open 8083\)/,
      );
    });

    it('fails on an address block on every port (tenant pods have VPC addresses)', () => {
      const found = platform(
        planted((f) =>
          editYaml(f, `${ISO}/cert-manager/networkpolicy-allow-api-server.yaml`, (p) => {
            delete p.spec.ingress[0].ports;
          }),
        ),
      );
      expect(found).toEqual([
        expect.objectContaining({
          resource: 'NetworkPolicy/cert-manager/allow-api-server',
          message: expect.stringMatching(
            /admits 10\.30\.0\.0\/16 into namespace cert-manager on every port.*other end: prod\/bootstrap\/application-platform-cert-manager\.yaml/,
          ),
        }),
      ]);
    });

    it("fails on a public entry open to every pod or every port of the gateway's namespace", () => {
      const entry = `${ISO}/agentgateway-system/networkpolicy-allow-public-entry.yaml`;
      const everyPod = platform(
        planted((f) =>
          editYaml(f, entry, (p) => {
            p.spec.podSelector = {};
          }),
        ),
      );
      expect(everyPod).toEqual([
        expect.objectContaining({
          resource: 'NetworkPolicy/agentgateway-system/allow-public-entry',
          message: expect.stringMatching(
            /admits 0\.0\.0\.0\/0 \(every address, a tenant pod's included\) to every pod of namespace agentgateway-system.*other end: prod\/bootstrap\/application-platform-agentgateway/,
          ),
        }),
      ]);
      const everyPort = platform(
        planted((f) =>
          editYaml(f, entry, (p) => {
            delete p.spec.ingress[0].ports;
          }),
        ),
      );
      expect(everyPort).toEqual([
        expect.objectContaining({
          resource: 'NetworkPolicy/agentgateway-system/allow-public-entry',
          message: expect.stringMatching(
            /admits 0\.0\.0\.0\/0 into namespace agentgateway-system on every port/,
          ),
        }),
      ]);
    });

    it("fails on a gateway allowance wider than the tenants' egress, which opens only the in-cluster listener", () => {
      const found = platform(
        planted((f) =>
          editYaml(f, `${ISO}/agentgateway-system/networkpolicy-allow-tenant-gateway.yaml`, (p) => {
            delete p.spec.ingress[0].ports;
          }),
        ),
      );
      expect(found.map((f) => f.message)).toEqual(
        ['acme', 'globex', 'initech'].map((t) =>
          expect.stringMatching(
            new RegExp(
              `^admits tenant namespace ${t} into agentgateway-system on every port, which its egress NetworkPolicies do not open \\(they open 80\\)`,
            ),
          ),
        ),
      );
    });

    it('admits tenant waypoints into istiod exactly where their egress allowance points', () => {
      const files = synthRepo().files;
      const into = parse(
        files.get(`${ISO}/istio-system/networkpolicy-allow-tenant-waypoints.yaml`)!,
      );
      const out = parse(files.get('prod/tenants/acme/networkpolicy-allow-waypoint-istiod.yaml')!);
      expect(into.spec.ingress[0].ports).toEqual(out.spec.egress[0].ports);
      expect(into.spec.podSelector).toEqual(out.spec.egress[0].to[0].podSelector);
      expect(into.spec.ingress[0].from[0].podSelector.matchExpressions).toEqual([
        {
          key: 'gateway.networking.k8s.io/gateway-name',
          operator: 'In',
          values: [out.spec.podSelector.matchLabels['gateway.networking.k8s.io/gateway-name']],
        },
      ]);
    });

    it("agrees with the tenants' egress: every flow it admits, the tenant side opens", () => {
      const files = synthRepo().files;
      const kagent = parse(
        files.get(`${ISO}/kagent/networkpolicy-allow-tenant-kagent-agents.yaml`)!,
      );
      const acme = parse(files.get('prod/tenants/acme/networkpolicy-allow-kagent.yaml')!);
      expect(kagent.spec.ingress[0].ports).toEqual(acme.spec.egress[0].ports);
      expect(kagent.spec.podSelector).toEqual(acme.spec.egress[0].to[0].podSelector);
      const otel = parse(
        files.get(`${ISO}/opentelemetry/networkpolicy-allow-tenant-telemetry.yaml`)!,
      );
      const acmeOtel = parse(files.get('prod/tenants/acme/networkpolicy-allow-telemetry.yaml')!);
      expect(otel.spec.ingress[0].ports).toEqual(acmeOtel.spec.egress[0].ports);
    });
  });

  describe('prometheus-metrics-ports-only', () => {
    const prometheus = (files: Map<string, string>) =>
      errors(run(files), 'prometheus-metrics-ports-only').filter((f) => f.file.startsWith('prod/'));

    it('admits Prometheus nowhere in a tenant: no tenant workload declares a metrics port', () => {
      expect(prometheus(new Map(synthRepo().files))).toEqual([]);
    });

    it('fails on a NetworkPolicy that lets Prometheus reach a tenant port, naming both ends', () => {
      const found = prometheus(
        planted((f) =>
          f.set(
            'prod/tenants/acme/networkpolicy-allow-prometheus.yaml',
            stringify({
              apiVersion: 'networking.k8s.io/v1',
              kind: 'NetworkPolicy',
              metadata: { name: 'allow-prometheus', namespace: 'acme' },
              spec: {
                podSelector: {},
                policyTypes: ['Ingress'],
                ingress: [
                  {
                    from: [
                      {
                        namespaceSelector: {
                          matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
                        },
                      },
                    ],
                    ports: [{ port: 8080, protocol: 'TCP' }],
                  },
                ],
              },
            }),
          ),
        ),
      );
      expect(found).toEqual([
        expect.objectContaining({
          file: 'prod/tenants/acme/networkpolicy-allow-prometheus.yaml',
          resource: 'NetworkPolicy/acme/allow-prometheus',
          message: expect.stringMatching(
            /lets Prometheus reach tenant acme on 8080; it may reach no port.*other end: prod\/tenants\/acme\/networkpolicy-allow-prometheus\.yaml namespace monitoring/,
          ),
        }),
      ]);
    });

    it("fails on a mesh rule admitting Prometheus's identity, naming its principal", () => {
      const found = prometheus(
        planted((f) =>
          editYaml(f, 'prod/tenants/acme/authorizationpolicy-tenant-isolation.yaml', (p) => {
            p.spec.rules.push({
              from: [
                {
                  source: {
                    principals: ['cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus'],
                  },
                },
              ],
            });
          }),
        ),
      );
      expect(found).toEqual([
        expect.objectContaining({
          resource: 'AuthorizationPolicy/acme/tenant-isolation',
          message: expect.stringMatching(
            /lets Prometheus through the mesh into tenant acme on every port.*other end: .* principal cluster\.local\/ns\/monitoring\/sa\/kube-prometheus-stack-prometheus/,
          ),
        }),
      ]);
    });

    it('accepts Prometheus on a port a tenant workload names as its metrics port', () => {
      const found = prometheus(
        planted((f) => {
          f.set(
            'prod/tenants/acme/service-exporter.yaml',
            stringify({
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'exporter', namespace: 'acme' },
              spec: { ports: [{ name: 'http-metrics', port: 9090 }], selector: { app: 'x' } },
            }),
          );
          editYaml(f, 'prod/tenants/acme/authorizationpolicy-tenant-isolation.yaml', (p) => {
            p.spec.rules.push({
              from: [{ source: { namespaces: ['monitoring'] } }],
              to: [{ operation: { ports: ['9090'] } }],
            });
          });
        }),
      );
      expect(found).toEqual([]);
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

  it('reports a chain broken twice the same way once, and two different ways twice', () => {
    const files = new Map(synthRepo().files);
    const twice = {
      id: 'twice',
      control: 'a control',
      enforcedBy: 'an enforcer',
      check: (view: EnvironmentView) => {
        const end = { file: `${view.env.name}/x.yaml`, resource: 'ConfigMap/x' };
        return [
          { control: end, enforcer: end, message: 'broken' },
          { control: end, enforcer: end, message: 'broken' },
          { control: end, enforcer: end, message: 'broken otherwise' },
        ];
      },
    };
    const found = checkPromises(synthRepo().model, files, new Map(), TODAY, [twice]);
    expect(found.filter((f) => f.file === 'dev/x.yaml').map((f) => f.message)).toEqual([
      'broken [other end: dev/x.yaml ConfigMap/x]',
      'broken otherwise [other end: dev/x.yaml ConfigMap/x]',
    ]);
  });

  it('is the table the README shows', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    for (const p of PROMISES) {
      expect(readme).toContain(`| \`${p.id}\` | ${p.control} | ${p.enforcedBy} |`);
    }
  });
});
