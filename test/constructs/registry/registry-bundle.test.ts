import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PostgresCluster } from '../../../constructs/platform/postgres-cluster';
import { buildModel } from '../../../src/model/build';
import { NODE_GROUPS } from '../../../src/model/conventions';
import { catalogPartsFromEnvironment } from '../../../src/registry/catalog/from-environment';
import { registryEnvSchema, SECRET_ENV_NAMES } from '@agentic-platform/agent-registry/config';
import {
  MIGRATE_COMMAND,
  MOUNT_DIRS,
  PROBE_PATHS,
  PROBE_PORT,
  REGISTRY_IMAGE,
  REGISTRY_OIDC_CLIENT,
  REGISTRY_PORT,
  SERVICE_DATABASE_ROLE,
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
  RegistryTenantBundle,
} from '../../../constructs/registry';
import type { EnvironmentModel } from '../../../src/model/types';

const env = buildModel(loadSpecs(process.cwd())).environments.find((e) => e.name === 'dev')!;
const parts = catalogPartsFromEnvironment(env);
const manifests = synthChart(
  (app) => new RegistryBundle(app, 'r', { environment: env, catalog: parts.environment }),
);
const layer = (e: EnvironmentModel) => {
  const out = new Map<string, string>();
  registryLayer(e, out);
  return out;
};
const changedPaths = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
const find = (kind: string) => manifests.find((m) => m.kind === kind)! as Record<string, any>;
const container = () => find('Deployment').spec.template.spec.containers[0];

describe('RegistryBundle', () => {
  it('creates one of each kind the registry needs, in its platform namespace', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'Certificate',
      'Cluster',
      'ConfigMap',
      'DatabaseRole',
      'Deployment',
      'HTTPRoute',
      'HorizontalPodAutoscaler',
      'Issuer',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
    for (const m of manifests.filter((x) => x.kind !== 'Namespace')) {
      expect(m.metadata.namespace).toBe('agent-registry');
    }
  });

  it('grants each tenant’s ext-authz policies, and nothing else, the reference to its Service', () => {
    const grants = [...layer(env)]
      .filter(([p]) => /^registry\/per-tenant\/[^/]+\/referencegrant-/.test(p))
      .map(([p, c]) => ({ path: p, g: parse(c) as Record<string, any> }));
    expect(grants.map(({ g }) => g.spec.from[0].namespace).sort()).toEqual(
      env.tenants.map((t) => t.namespace).sort(),
    );
    for (const { path, g } of grants) {
      expect(g.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
      expect(g.metadata.namespace).toBe('agent-registry');
      expect(g.metadata.name).toBe(`ext-authz-${g.spec.from[0].namespace}`);
      expect(path).toBe(
        `registry/per-tenant/${g.metadata.labels['platform.agentic.io/tenant']}/referencegrant-${g.metadata.name}.yaml`,
      );
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

  it('keeps tenant data out of the environment’s objects: its catalog part has none', () => {
    const cm = find('ConfigMap');
    expect(cm.metadata.labels['platform.agentic.io/registry-catalog']).toBe('environment');
    const part = JSON.parse(cm.data['catalog.json']);
    expect(Object.keys(part).sort()).toEqual(
      ['domain', 'environment', 'gateway', 'identity', 'registryUrl', 'schemaVersion'].sort(),
    );
    for (const t of env.tenants) expect(cm.data['catalog.json']).not.toContain(`"${t.name}"`);
  });

  it('writes one labelled catalog ConfigMap a tenant into that tenant’s folder', () => {
    const out = layer(env);
    for (const t of env.tenants) {
      const file = out.get(
        `registry/per-tenant/${t.name}/configmap-agent-registry-catalog-${t.name}.yaml`,
      );
      expect(file, t.name).toBeDefined();
      expect(file!.split('\n')[0]).toContain(t.sourceFile);
      const cm = parse(file!) as Record<string, any>;
      expect(cm.metadata).toMatchObject({
        name: `agent-registry-catalog-${t.name}`,
        namespace: 'agent-registry',
        labels: {
          'platform.agentic.io/registry-catalog': 'tenant',
          'platform.agentic.io/tenant': t.name,
        },
      });
      expect(JSON.parse(cm.data['catalog.json']).tenant.name).toBe(t.name);
    }
  });

  it('changes only the tenant’s own registry folder when a tenant changes, is added or removed', () => {
    const acme = env.tenants.find((t) => t.name === 'acme')!;
    const before = layer(env);
    const changed = layer({
      ...env,
      tenants: env.tenants.map((t) => (t === acme ? { ...t, displayName: 'Acme, renamed' } : t)),
    });
    expect(changedPaths(before, changed)).toEqual([
      'registry/per-tenant/acme/configmap-agent-registry-catalog-acme.yaml',
    ]);
    const without = layer({ ...env, tenants: env.tenants.filter((t) => t !== acme) });
    const diff = changedPaths(before, without);
    expect(diff.length).toBeGreaterThan(0);
    for (const p of diff) expect(p).toMatch(/^registry\/per-tenant\/acme\//);
  });

  it('rolls no pod when a tenant changes: no catalog digest, no catalog mount', () => {
    const pod = find('Deployment').spec.template;
    expect(pod.metadata.annotations).toBeUndefined();
    expect(pod.spec.volumes.map((v: { name: string }) => v.name)).toEqual([
      'tmp',
      'db-client',
      'db-ca',
      'audit-signer',
    ]);
    expect(pod.spec.volumes.filter((v: { configMap?: unknown }) => v.configMap)).toEqual([]);
    const env_ = Object.fromEntries(
      container().env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    expect(env_).toMatchObject({
      REGISTRY_CATALOG_SOURCE: 'kubernetes',
      REGISTRY_CATALOG_NAMESPACE: 'agent-registry',
    });
  });

  it('lets the pods get, list and watch ConfigMaps of their namespace, and nothing more', () => {
    const pod = find('Deployment').spec.template.spec;
    const sa = find('ServiceAccount');
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(find('Role').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(find('Role').metadata.namespace).toBe('agent-registry');
    const binding = find('RoleBinding');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: find('Role').metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'agent-registry' },
    ]);
  });

  it('requires bearer tokens issued to the registry’s own Keycloak client', () => {
    const aud = container().env.find((e: { name: string }) => e.name === 'REGISTRY_OIDC_AUDIENCE');
    expect(aud.value).toBe(REGISTRY_OIDC_CLIENT);
  });

  it('labels its namespace so its route may attach to the central gateway', () => {
    expect(find('Namespace').metadata.labels['platform.agentic.io/gateway-routes']).toBe('true');
  });

  it('probes the service’s own paths on its probe port, not the public one', () => {
    const c = container();
    expect(c.livenessProbe.httpGet).toEqual({ path: PROBE_PATHS.liveness, port: 'probes' });
    expect(c.readinessProbe.httpGet).toEqual({ path: PROBE_PATHS.readiness, port: 'probes' });
    expect(c.startupProbe.httpGet).toEqual({ path: PROBE_PATHS.readiness, port: 'probes' });
    expect(c.ports).toEqual([
      { name: 'http', containerPort: REGISTRY_PORT, protocol: 'TCP' },
      { name: 'probes', containerPort: PROBE_PORT, protocol: 'TCP' },
    ]);
    expect(c.env).toContainEqual({ name: 'REGISTRY_PROBE_PORT', value: String(PROBE_PORT) });
    expect(find('ServiceMonitor').spec.endpoints[0].path).toBe(PROBE_PATHS.metrics);
    expect(find('Service').spec.ports[0].port).toBe(REGISTRY_PORT);
  });

  it('sets only env names the program reads, and node its heap cap', () => {
    // NODE_OPTIONS is read by node itself, before the program's config exists.
    const names = [...Object.keys(registryEnvSchema.shape), 'NODE_OPTIONS'];
    const pod = find('Deployment').spec.template.spec;
    for (const e of [...container().env, ...pod.initContainers[0].env]) {
      expect(names).toContain(e.name);
    }
  });

  it('migrates as the schema owner in an init container, whose Secret only it reads', () => {
    const pod = find('Deployment').spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    const init = pod.initContainers[0];
    expect(init.image).toBe(container().image);
    expect(init.command).toEqual([...MIGRATE_COMMAND]);
    const initEnv = Object.fromEntries(
      init.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [
        e.name,
        e.value ?? e.valueFrom,
      ]),
    );
    expect(initEnv).toEqual({
      REGISTRY_DATABASE: 'postgres',
      REGISTRY_DATABASE_SERVICE_ROLE: SERVICE_DATABASE_ROLE,
      REGISTRY_DATABASE_URL: { secretKeyRef: { name: 'agent-registry-db-app', key: 'uri' } },
    });
    // CloudNativePG writes `<cluster>-app` for the bootstrap owner.
    expect(find('Cluster').metadata.name).toBe('agent-registry-db');
    expect(find('Cluster').spec.bootstrap.initdb).toEqual({
      database: 'registry',
      owner: 'registry',
    });
    expect(init.securityContext).toEqual(container().securityContext);
    expect(init.resources).toEqual(container().resources);
    // The service container holds no reference to the owner's Secret.
    expect(JSON.stringify(container())).not.toContain('agent-registry-db-app');
  });

  it('connects the service as a certificate-only role the operator issues, with no password', () => {
    const role = find('DatabaseRole');
    expect(role.spec).toMatchObject({
      cluster: { name: 'agent-registry-db' },
      name: SERVICE_DATABASE_ROLE,
      login: true,
      disablePassword: true,
      clientCertificate: { enabled: true },
    });
    expect(role.spec.superuser ?? false).toBe(false);
    expect(find('Cluster').spec.postgresql.pg_hba).toEqual([
      `hostssl registry ${SERVICE_DATABASE_ROLE} all cert`,
    ]);
    const env_ = Object.fromEntries(
      container().env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    expect(SECRET_ENV_NAMES).toContain('REGISTRY_DATABASE_URL');
    const url = new URL(env_.REGISTRY_DATABASE_URL!);
    expect(url.password).toBe('');
    expect(url.username).toBe(SERVICE_DATABASE_ROLE);
    expect(url.host).toBe('agent-registry-db-rw.agent-registry.svc:5432');
    expect(url.pathname).toBe('/registry');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      sslmode: 'verify-full',
      sslcert: `${MOUNT_DIRS.databaseClientCert}/tls.crt`,
      sslkey: `${MOUNT_DIRS.databaseClientCert}/tls.key`,
      sslrootcert: `${MOUNT_DIRS.databaseCa}/ca.crt`,
    });
    expect(env_.REGISTRY_DATABASE_MIGRATIONS).toBe('require');
    // The files the URL names are mounted from the Secrets CloudNativePG 1.30 writes:
    // `<DatabaseRole>-client-cert` (databaserole_funcs.go) and `<cluster>-ca`.
    const pod = find('Deployment').spec.template.spec;
    const mounted = (dir: string) => {
      const mount = container().volumeMounts.find(
        (m: { mountPath: string }) => m.mountPath === dir,
      );
      return pod.volumes.find((v: { name: string }) => v.name === mount.name).secret;
    };
    expect(mounted(MOUNT_DIRS.databaseClientCert)).toEqual({
      secretName: `${role.metadata.name}-client-cert`,
      defaultMode: 0o440,
      items: [
        { key: 'tls.crt', path: 'tls.crt' },
        { key: 'tls.key', path: 'tls.key' },
      ],
    });
    expect(mounted(MOUNT_DIRS.databaseCa)).toMatchObject({
      secretName: 'agent-registry-db-ca',
      items: [{ key: 'ca.crt', path: 'ca.crt' }],
    });
    expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsGroup);
  });

  it('signs audit checkpoints with an Ed25519 key cert-manager keeps across renewals', () => {
    const cert = find('Certificate');
    expect(cert.spec.privateKey).toEqual({
      algorithm: 'Ed25519',
      encoding: 'PKCS8',
      rotationPolicy: 'Never',
    });
    expect(cert.spec.issuerRef).toEqual({
      kind: 'Issuer',
      name: find('Issuer').metadata.name,
      group: 'cert-manager.io',
    });
    expect(find('Issuer').spec).toEqual({ selfSigned: {} });
    const env_ = Object.fromEntries(
      container().env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    expect(env_.REGISTRY_AUDIT_SIGNING_KEY_FILE).toBe(`${MOUNT_DIRS.auditSigner}/tls.key`);
    const pod = find('Deployment').spec.template.spec;
    const mount = container().volumeMounts.find(
      (m: { mountPath: string }) => m.mountPath === MOUNT_DIRS.auditSigner,
    );
    expect(mount.readOnly).toBe(true);
    expect(pod.volumes.find((v: { name: string }) => v.name === mount.name).secret).toMatchObject({
      secretName: cert.spec.secretName,
      items: [{ key: 'tls.key', path: 'tls.key' }],
    });
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
  const deploymentProps = {
    namespace: 'n',
    name: 'd',
    selector: {},
    serviceAccountName: 'sa',
    ownerDatabaseSecretName: 's',
    serviceDatabase: { host: 'h', port: 5432, database: 'd' },
    serviceClientCertSecretName: 'c',
    databaseCaSecretName: 'ca',
    auditSigningKeySecretName: 'k',
  };
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
  it('caps the V8 heap below the container memory, so load cannot grow it past the limit', () => {
    const chartScope = chart();
    const d = new RegistryDeployment(chartScope, 'd', {
      ...deploymentProps,
      memoryMiB: 384,
    });
    expect(d.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=192' });
    const [deployment] = Testing.synth(chartScope);
    const registry = deployment.spec.template.spec.containers[0];
    expect(registry.resources.limits.memory).toBe('384Mi');
    expect(registry.env.map((e: { name: string }) => e.name)).toEqual(
      [...registry.env.map((e: { name: string }) => e.name)].sort(),
    );
  });
  it('refuses a container memory below what Node needs', () => {
    expect(
      () =>
        new RegistryDeployment(chart(), 'd', {
          ...deploymentProps,
          memoryMiB: 64,
        }),
    ).toThrow(/memoryMiB must be at least 320, got 64/);
  });
  it('refuses a certificate role that is not a plain PostgreSQL identifier', () => {
    expect(
      () =>
        new PostgresCluster(chart(), 'd', {
          namespace: 'n',
          name: 'd',
          database: 'd',
          certificateRoles: ['Registry-Service'],
        }),
    ).toThrow(/role must be a lower-case PostgreSQL identifier .*got "Registry-Service"/);
  });
  it('refuses a catalog part over the ConfigMap size limit', () => {
    const acme = parts.tenants.find((t) => t.tenant.name === 'acme')!;
    const huge = {
      ...acme,
      agents: Array.from({ length: 5000 }, (_, i) => ({
        ...acme.agents[0]!,
        name: `a${i}`,
        description: 'x'.repeat(300),
      })),
    };
    expect(
      () => new RegistryCatalog(chart(), 'c', { namespace: 'n', name: 'c', part: huge }),
    ).toThrow(/RegistryCatalog c: catalog part is \d+ bytes, over the 1 MiB ConfigMap limit/);
  });
  it('refuses a tenant part of another environment', () => {
    expect(
      () =>
        new RegistryTenantBundle(new App(), 't', {
          environmentName: 'prod',
          catalog: parts.tenants[0]!,
        }),
    ).toThrow(/catalog.environment is "dev" but environmentName is "prod"/);
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
      model.environments.reduce((n, e) => n + 16 + 2 * e.tenants.length, 0),
    );
  });
});
