import { describe, expect, it } from 'vitest';
import { docs, synthRepo, type Doc } from './synth-fixture';

/** An object of `dist/<env>/bootstrap/` by name. */
const bootstrapDoc = (env: string, name: string) =>
  docs(`${env}/bootstrap/`).find((d) => d.doc.metadata.name === name)!.doc;
/** Sync wave of a bootstrap object. */
const wave = (env: string, name: string) =>
  Number(bootstrapDoc(env, name).metadata.annotations!['argocd.argoproj.io/sync-wave']);
/** Helm values of an add-on's ApplicationSet (`addon-<name>`). */
const addonValues = (env: string, addon: string): Record<string, any> =>
  bootstrapDoc(env, `addon-${addon}`).spec.template.spec.source.helm.valuesObject;

describe.each(['dev', 'staging', 'prod'])('platform layers in %s', (env) => {
  it('writes one resource a file, named <kind>-<name>.yaml', () => {
    for (const { path, doc } of [...docs(`${env}/bootstrap/`), ...docs(`${env}/platform/`)])
      expect(path.split('/').pop()).toBe(`${doc.kind}-${doc.metadata.name}.yaml`.toLowerCase());
  });

  it('puts only Argo CD objects in bootstrap/', () => {
    for (const { doc } of docs(`${env}/bootstrap/`)) {
      expect(doc.apiVersion).toBe('argoproj.io/v1alpha1');
      expect(['Application', 'ApplicationSet', 'AppProject']).toContain(doc.kind);
    }
  });

  it('syncs every Kubernetes folder of dist/<env> with an Application, leaving none unsynced', () => {
    const { files } = synthRepo();
    const folders = new Set(
      [...files.keys()]
        .filter((f) => f.startsWith(`${env}/`) && !f.includes('/tenant-sync/'))
        .map((f) => {
          const [, top, sub] = f.split('/');
          return top === 'platform' ? `platform/${sub}` : top!;
        }),
    );
    // terraform/ is applied by Terraform; bootstrap/ by the root Application; tenants/ by the
    // tenant ApplicationSets (tested in tenant-application-set.test.ts).
    for (const f of ['terraform', 'bootstrap', 'tenants']) expect(folders.delete(f)).toBe(true);
    const apps = docs(`${env}/bootstrap/`)
      .filter((d) => d.doc.kind === 'Application' && d.doc.metadata.name.startsWith('platform-'))
      .map((d) => d.doc.spec.source.path);
    expect(apps.sort()).toEqual([...folders].sort().map((f) => `dist/${env}/${f}`));
    expect(folders.has('policies')).toBe(true);
    expect(folders.has('registry')).toBe(true);
  });

  it('applies policies before platform configuration, and the registry with the platform', () => {
    expect(wave(env, 'addon-kyverno')).toBeLessThan(wave(env, 'platform-policies'));
    expect(wave(env, 'platform-policies')).toBeLessThan(wave(env, 'platform-registry'));
    expect(wave(env, 'addon-cloudnative-pg')).toBeLessThan(wave(env, 'platform-registry'));
    expect(wave(env, 'platform-registry')).toBeLessThan(wave(env, 'tenants'));
  });

  it('orders waves CRDs before operators before platform config before tenants', () => {
    expect(wave(env, 'addon-gateway-api-crds')).toBeLessThan(wave(env, 'addon-agentgateway'));
    expect(wave(env, 'addon-agentgateway')).toBeLessThan(wave(env, 'platform-agentgateway'));
    expect(wave(env, 'platform-agentgateway')).toBeLessThan(wave(env, 'tenants'));
  });
});

it('turns HA on in prod only, from environments/*.yaml', () => {
  const replicas = (env: string) => addonValues(env, 'kyverno').admissionController.replicas;
  expect([replicas('dev'), replicas('staging'), replicas('prod')]).toEqual([1, 1, 3]);
});

it('lets the Kyverno background controller manage every kind a GeneratingPolicy generates', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const rules = addonValues(env, 'kyverno').backgroundController.rbac.clusterRole
      .extraResources as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const generating = docs(`${env}/policies/`).filter((d) => d.doc.kind === 'GeneratingPolicy');
    expect(generating.length).toBeGreaterThan(0);
    for (const { doc } of generating) {
      for (const g of doc.spec.generate as { expression: string }[]) {
        // The generated object's apiVersion and kind, as the construct writes them.
        const m = /"apiVersion": dyn\("([^"/]+)\/[^"]+"\), "kind": dyn\("([^"]+)"\)/.exec(
          g.expression,
        );
        expect(m, g.expression).not.toBeNull();
        const [, group, kind] = m!;
        const resource = `${kind!.toLowerCase()}s`;
        const rule = rules.find(
          (r) => r.apiGroups.includes(group!) && r.resources.includes(resource),
        );
        expect(rule, `${group}/${resource}`).toBeDefined();
        for (const verb of ['get', 'list', 'watch', 'create', 'update', 'delete'])
          expect(rule!.verbs).toContain(verb);
      }
    }
  }
});

it('publishes each enabled platform UI at its hostname, into the namespace and release its add-on deploys', async () => {
  const { PLATFORM_UIS } = await import('../../src/platform/platform-uis');
  for (const env of ['dev', 'staging', 'prod']) {
    const routes = docs(`${env}/platform/agentgateway/`).filter((d) => d.doc.kind === 'HTTPRoute');
    for (const ui of PLATFORM_UIS) {
      const appSet = bootstrapDoc(env, `addon-${ui.addon}`).spec.template.spec;
      expect(appSet.destination.namespace).toBe(ui.namespace);
      // The chart names the Service after the Helm release (fullname): the route must follow it.
      expect(ui.service.startsWith(`${appSet.source.helm.releaseName}-`)).toBe(true);
      const route = routes.find((r) => r.doc.metadata.name === `ui-${ui.host}`)!.doc;
      expect(route.spec.hostnames[0]).toMatch(new RegExp(`^${ui.host}\\.`));
      expect(route.spec.rules[0].backendRefs[0]).toMatchObject({
        namespace: ui.namespace,
        name: ui.service,
        port: ui.port,
      });
    }
  }
});

it('runs kagent on the platform PostgreSQL cluster it mounts the credentials of, never the bundled one', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const cluster = docs(`${env}/platform/kagent/`).find((d) => d.doc.kind === 'Cluster')!.doc;
    const values = addonValues(env, 'kagent');
    expect(values.database.postgres.bundled.enabled).toBe(false);
    const [volume] = values.controller.volumes;
    // CloudNativePG writes the app credentials, with a full `uri`, to `<cluster>-app`.
    expect(volume.secret.secretName).toBe(`${cluster.metadata.name}-app`);
    expect(volume.secret.items).toEqual([{ key: 'uri', path: 'url' }]);
    const [mount] = values.controller.volumeMounts;
    expect(mount.name).toBe(volume.name);
    expect(values.database.postgres.urlFile).toBe(`${mount.mountPath}/url`);
    expect(cluster.metadata.namespace).toBe(
      bootstrapDoc(env, 'addon-kagent').spec.template.spec.destination.namespace,
    );
  }
});

it('logs Langfuse into Redis as the user, with the password, that the cluster stack creates', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const tf = JSON.parse(synthRepo().files.get(`${env}/terraform/cdk.tf.json`)!);
    const values = addonValues(env, 'langfuse').redis;
    const externalSecret = docs(`${env}/platform/langfuse/`).find(
      (d) =>
        d.doc.kind === 'ExternalSecret' && d.doc.spec.target.name === values.auth.existingSecret,
    )!.doc;
    const users = Object.values(tf.resource.aws_elasticache_user) as Record<string, any>[];
    const user = users.find((u) => u.user_name === values.auth.username)!;
    expect(user.authentication_mode.type).toBe('password');
    // Terraform reads the password from the Secrets Manager secret external-secrets copies.
    const [source] = Object.values(tf.data.aws_secretsmanager_secret_version) as {
      secret_id: string;
    }[];
    expect(source!.secret_id).toBe(externalSecret.spec.dataFrom[0].extract.key);
    const key = values.auth.existingSecretPasswordKey;
    expect(user.authentication_mode.passwords[0]).toMatch(
      new RegExp(`(\\.${key}|\\["${key}"\\])\\}$`),
    );
    expect(values.auth.existingSecret).toBe(externalSecret.spec.target.name);
    expect(values.tls.enabled).toBe(true);
  }
});

it('signs Grafana in with the Keycloak client and the Secret the platform layer provides', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const grafana = addonValues(env, 'kube-prometheus-stack').grafana;
    const ref = grafana.envValueFrom.GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET.secretKeyRef;
    const es = docs(`${env}/platform/kube-prometheus-stack/`).find(
      (d) => d.doc.kind === 'ExternalSecret',
    )!.doc;
    expect(es.metadata.namespace).toBe('monitoring');
    expect(es.spec.target.name).toBe(ref.name);
    const realm = JSON.parse(
      Object.values(
        (
          docs(`${env}/platform/keycloak/`).find((d) => d.doc.kind === 'ConfigMap')!
            .doc as unknown as { data: Record<string, string> }
        ).data,
      )[0] as string,
    );
    const clientId = grafana['grafana.ini']['auth.generic_oauth'].client_id;
    const client = realm.clients.find((c: { clientId: string }) => c.clientId === clientId);
    expect(client.redirectUris).toEqual([`${grafana['grafana.ini'].server.root_url}/*`]);
  }
});

it('admits every ExternalSecret by the conditions of the ClusterSecretStore it reads', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const all = docs(`${env}/`).map((d) => d.doc as Doc & Record<string, any>);
    const stores = new Map(
      all.filter((d) => d.kind === 'ClusterSecretStore').map((s) => [s.metadata.name, s]),
    );
    const nsLabels = new Map(
      all
        .filter((d) => d.kind === 'Namespace')
        .map((n) => [n.metadata.name, (n.metadata.labels ?? {}) as Record<string, string>]),
    );
    const externalSecrets = all.filter((d) => d.kind === 'ExternalSecret');
    expect(externalSecrets.length).toBeGreaterThan(5);
    for (const es of externalSecrets) {
      const ns = es.metadata.namespace!;
      const store = stores.get(es.spec.secretStoreRef.name);
      expect(store, `${env} ${ns}/${es.metadata.name}: store`).toBeDefined();
      const admitted = (store!.spec.conditions as Record<string, any>[]).some(
        (c) =>
          (c.namespaces ?? []).includes(ns) ||
          (c.namespaceSelector !== undefined &&
            (c.namespaceSelector.matchExpressions as { key: string; operator: string }[]).every(
              (e) => e.operator === 'Exists' && e.key in (nsLabels.get(ns) ?? {}),
            )),
      );
      expect(
        admitted,
        `${env}: ${ns}/${es.metadata.name} is refused by ${store!.metadata.name}`,
      ).toBe(true);
    }
  }
});

it('makes exactly one encrypted EBS StorageClass the default, synced in the first wave', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const classes = docs(`${env}/`)
      .map((d) => d.doc as Doc & Record<string, any>)
      .filter((d) => d.kind === 'StorageClass');
    const defaults = classes.filter(
      (c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    );
    expect(defaults).toHaveLength(1);
    expect(defaults[0]).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { encrypted: 'true', type: 'gp3' },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(wave(env, 'platform-storage')).toBe(0);
  }
});

it('has the registry trust the very realm the platform imports into Keycloak', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const configMap = (name: string) =>
      docs(`${env}/`).find((d) => d.doc.kind === 'ConfigMap' && d.doc.metadata.name === name)!
        .doc as unknown as { data: Record<string, string> };
    const realm = JSON.parse(Object.values(configMap('keycloak-realm-platform').data)[0]!).realm;
    const catalog = JSON.parse(configMap('agent-registry-catalog').data['catalog.json']!);
    const argocd = addonValues(env, 'argo-cd').configs.cm['oidc.config'] as string;
    expect(catalog.identity.issuer).toMatch(new RegExp(`/realms/${realm}$`));
    expect(argocd).toContain(`issuer: ${catalog.identity.issuer}\n`);
  }
});
