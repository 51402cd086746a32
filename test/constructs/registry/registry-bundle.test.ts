import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PostgresCluster } from '../../../constructs/platform/postgres-cluster';
import { buildModel } from '../../../src/model/build';
import { NODE_GROUPS } from '../../../src/model/conventions';
import { catalogFromEnvironment } from '../../../src/registry/catalog/from-environment';
import { registryEnvSchema, SECRET_ENV_NAMES } from '@agentic-platform/agent-registry/config';
import {
  PROBE_PATHS,
  REGISTRY_IMAGE,
  REGISTRY_PORT,
} from '@agentic-platform/agent-registry/constants';
import { registryLayer } from '../../../src/registry/deploy/registry-layer';
import { loadSpecs } from '../../../src/spec';
import { synthChart } from '../../../src/synth';
import {
  RegistryAutoscaler,
  RegistryBundle,
  RegistryCatalog,
  RegistryDeployment,
  RegistryRoute,
} from '../../../constructs/registry';

const env = buildModel(loadSpecs(process.cwd())).environments.find((e) => e.name === 'dev')!;
const manifests = synthChart(
  (app) => new RegistryBundle(app, 'r', { environment: env, catalog: catalogFromEnvironment(env) }),
);
const find = (kind: string) => manifests.find((m) => m.kind === kind)! as Record<string, any>;
const container = () => find('Deployment').spec.template.spec.containers[0];

describe('RegistryBundle', () => {
  it('creates one of each kind the registry needs, in its platform namespace', () => {
    expect(
      manifests
        .filter((m) => m.kind !== 'ReferenceGrant')
        .map((m) => m.kind)
        .sort(),
    ).toEqual([
      'Cluster',
      'ConfigMap',
      'Deployment',
      'HTTPRoute',
      'HorizontalPodAutoscaler',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceMonitor',
    ]);
    for (const m of manifests.filter((x) => x.kind !== 'Namespace')) {
      expect(m.metadata.namespace).toBe('agent-registry');
    }
  });

  it('grants each tenant’s ext-authz policies, and nothing else, the reference to its Service', () => {
    const grants = manifests.filter((m) => m.kind === 'ReferenceGrant') as Record<string, any>[];
    expect(grants.map((g) => g.spec.from[0].namespace).sort()).toEqual(
      env.tenants.map((t) => t.namespace).sort(),
    );
    for (const g of grants) {
      expect(g.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
      expect(g.metadata.namespace).toBe('agent-registry');
      expect(g.metadata.name).toBe(`ext-authz-${g.spec.from[0].namespace}`);
      expect(g.spec.from).toEqual([
        {
          group: 'agentgateway.dev',
          kind: 'AgentgatewayPolicy',
          namespace: g.spec.from[0].namespace,
        },
      ]);
      expect(g.spec.to).toEqual([
        { group: '', kind: 'Service', name: find('Service').metadata.name },
      ]);
    }
  });

  it('labels its namespace so its route may attach to the central gateway', () => {
    expect(find('Namespace').metadata.labels['platform.agentic.io/gateway-routes']).toBe('true');
  });

  it('probes the service’s own paths on its own port', () => {
    const c = container();
    expect(c.livenessProbe.httpGet.path).toBe(PROBE_PATHS.liveness);
    expect(c.readinessProbe.httpGet.path).toBe(PROBE_PATHS.readiness);
    expect(c.ports[0].containerPort).toBe(REGISTRY_PORT);
    expect(find('ServiceMonitor').spec.endpoints[0].path).toBe(PROBE_PATHS.metrics);
    expect(find('Service').spec.ports[0].port).toBe(REGISTRY_PORT);
  });

  it('sets only env names the program reads, the database URL from a Secret', () => {
    const names = Object.keys(registryEnvSchema.shape);
    for (const e of container().env) expect(names).toContain(e.name);
    const url = container().env.find((e: { name: string }) => e.name === 'REGISTRY_DATABASE_URL');
    expect(SECRET_ENV_NAMES).toContain('REGISTRY_DATABASE_URL');
    expect(url.valueFrom.secretKeyRef).toEqual({ name: 'agent-registry-db-app', key: 'uri' });
    expect(find('Cluster').metadata.name).toBe('agent-registry-db');
  });

  it('runs the pinned image non-root, read-only, without capabilities, on the platform nodes', () => {
    const pod = find('Deployment').spec.template.spec;
    const c = container();
    expect(c.image).toBe(REGISTRY_IMAGE);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.nodeSelector).toEqual(NODE_GROUPS.platform.labels);
    expect(pod.tolerations).toEqual([{ ...NODE_GROUPS.platform.taint, operator: 'Equal' }]);
    expect(pod.topologySpreadConstraints).toHaveLength(2);
    expect(find('Deployment').spec.replicas).toBeUndefined();
  });

  it('publishes only the API prefixes on the central gateway, never probes or ext-authz', () => {
    const route = find('HTTPRoute');
    expect(route.spec.parentRefs[0]).toMatchObject({
      namespace: env.gateway.namespace,
      name: env.gateway.name,
      sectionName: env.gateway.publicListener,
    });
    const paths = route.spec.rules.map(
      (r: { matches: { path: { value: string } }[] }) => r.matches[0]!.path.value,
    );
    expect(paths).toEqual([
      '/registry/v1',
      '/registry/v0.1',
      '/registry/a2a',
      '/registry/openapi.json',
    ]);
  });

  it('writes registry/<kind>-<name>.yaml files with the catalog as sorted JSON', () => {
    const out = new Map<string, string>();
    registryLayer(env, out);
    expect([...out.keys()]).toContain('registry/configmap-agent-registry-catalog.yaml');
    const again = new Map<string, string>();
    registryLayer(env, again);
    expect([...again]).toEqual([...out]);
  });
});

describe('registry construct validation', () => {
  const chart = () => new Chart(Testing.app(), 'c');
  const catalog = catalogFromEnvironment(env);
  it('refuses a route prefix that is not one segment', () => {
    expect(
      () =>
        new RegistryRoute(chart(), 'r', {
          namespace: 'n',
          name: 'r',
          pathPrefix: '/a/b',
          gatewayNamespace: 'g',
          gatewayName: 'g',
          listener: 'https',
          serviceName: 's',
          servicePort: 1,
        }),
    ).toThrow(/pathPrefix must be one segment such as "\/registry", got "\/a\/b"/);
  });
  it('refuses an autoscaler whose minimum exceeds its maximum', () => {
    expect(
      () =>
        new RegistryAutoscaler(chart(), 'a', {
          namespace: 'n',
          name: 'a',
          deploymentName: 'd',
          minReplicas: 4,
          maxReplicas: 2,
        }),
    ).toThrow(/minReplicas=4 maxReplicas=2/);
  });
  it('refuses a database with no or too many instances', () => {
    expect(
      () =>
        new PostgresCluster(chart(), 'd', {
          namespace: 'n',
          name: 'd',
          database: 'd',
          instances: 0,
        }),
    ).toThrow(/instances must be an integer from 1 to 5, got 0/);
  });
  it('refuses a container memory below what Node needs', () => {
    expect(
      () =>
        new RegistryDeployment(chart(), 'd', {
          namespace: 'n',
          name: 'd',
          selector: {},
          catalogConfigMap: 'c',
          catalogDigest: 'x',
          databaseSecretName: 's',
          memoryMiB: 64,
        }),
    ).toThrow(/memoryMiB must be at least 128, got 64/);
  });
  it('refuses a catalog over the ConfigMap size limit', () => {
    const huge = {
      ...catalog,
      agents: Array.from({ length: 5000 }, (_, i) => ({
        ...catalog.agents[0]!,
        name: `a${i}`,
        description: 'x'.repeat(300),
      })),
    };
    expect(
      () => new RegistryCatalog(chart(), 'c', { namespace: 'n', name: 'c', catalog: huge }),
    ).toThrow(/over the 1 MiB ConfigMap limit/);
  });
  it('leaves an unused App untouched', () => {
    expect(new App().charts).toEqual([]);
  });
});

describe('registry manifests', () => {
  it('pass the strict schema check of every kind, for every environment', async () => {
    const { schemaSetsFor } = await import('../../../src/check/run-check');
    const { validateManifests } = await import('../../../src/check/validate-manifests');
    const model = buildModel(loadSpecs(process.cwd()));
    const files = new Map<string, string>();
    for (const e of model.environments) {
      const out = new Map<string, string>();
      registryLayer(e, out);
      for (const [p, c] of out) files.set(`${e.name}/${p}`, c);
    }
    const report = validateManifests(files, schemaSetsFor(model, 'schemas'));
    expect(report.findings).toEqual([]);
    expect(report.manifests).toBe(
      model.environments.reduce((n, e) => n + 10 + e.tenants.length, 0),
    );
  });
});
