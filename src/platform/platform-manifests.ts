import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { placementOf } from '../../constructs/addons/addon-props';
import { PlatformFolderApplication } from '../../constructs/gitops/platform-folder-application';
import type { SyncWave } from '../../constructs/gitops/sync-waves';
import { TENANT_OWNED_KINDS } from '../../constructs/gitops/tenant-ownership';
import { AcmeClusterIssuer } from '../../constructs/platform/acme-cluster-issuer';
import { AwsSecretStore } from '../../constructs/platform/aws-secret-store';
import { CentralGateway } from '../../constructs/platform/central-gateway';
import { DefaultStorageClass } from '../../constructs/platform/default-storage-class';
import { GatewayCertificate } from '../../constructs/platform/gateway-certificate';
import { GatewayProxyParameters } from '../../constructs/platform/gateway-proxy-parameters';
import { KeycloakRealm } from '../../constructs/platform/keycloak-realm';
import {
  KeycloakTenantGroups,
  TENANT_GROUPS_KEY,
} from '../../constructs/platform/keycloak-tenant-groups';
import { RealmConvergence } from '../../constructs/platform/realm-convergence';
import { TenantRealmConvergence } from '../../constructs/platform/tenant-realm-convergence';
import {
  CONVERGE_IMAGE,
  CONVERGE_PROGRAM_FILE,
  convergeProgram,
} from '../identity/converge-program';
import { PlatformSecret } from '../../constructs/platform/platform-secret';
import { PostgresBootstrap } from '../../constructs/platform/postgres-bootstrap';
import { PostgresCluster } from '../../constructs/platform/postgres-cluster';
import { PlatformUiRoute } from '../../constructs/platform/platform-ui-route';
import { SandboxRuntimeClass } from '../../constructs/platform/sandbox-runtime-class';
import { TenantDeveloperRole } from '../../constructs/platform/tenant-developer-role';
import { TenantSyncIdentity } from '../../constructs/platform/tenant-sync-identity';
import { PlatformKeyModel } from '../../constructs/tenant/platform-key-model';
import { PlatformNamespaceIsolation } from '../../constructs/platform/platform-namespace-isolation';
import { TenantSyncRole } from '../../constructs/platform/tenant-sync-role';
import {
  LABELS,
  NODE_GROUPS,
  SANDBOX_NODE_GROUP,
  SANDBOX_RUNTIME_CLASS,
  SANDBOX_RUNTIME_HANDLER,
  TENANT_DEVELOPER_ROLE,
} from '../model/conventions';
import {
  GITOPS_BRIDGE,
  platformSecretKey,
  POSTGRES_ENDPOINT,
  RDS_MASTER_SECRET_TAG,
  type AddonName,
} from '../model/gitops-bridge';
import { partitionOf } from '../terraform/stack-props';
import type { EnvironmentContext, EnvironmentShared, TenantModel } from '../model/types';
import { synthChart } from '../synth/chart-objects';
import type { Manifest } from '../synth/manifest';
import { REGISTRY_NAMESPACE } from '@agentic-platform/agent-registry/constants';
import {
  KEYCLOAK_ADMIN_CLIENT_ID,
  kagentDatabase,
  PLATFORM_DATABASES,
  PLATFORM_SECRETS,
  POSTGRES_BOOTSTRAP_IMAGE,
} from './addons';
import { PLATFORM_REALM, platformHosts } from './hosts';
import {
  GROUPS_CLAIM,
  PLATFORM_REALM_ROLES,
  platformClients,
  platformGroups,
  TENANT_GROUP_ROOT,
  tenantGroupRoot,
  tenantRealmGroups,
} from './platform-realm';
import { PLATFORM_UIS } from './platform-uis';
import { API_SERVER_PORTS, platformNamespaces, tenantPlatformFlows } from './platform-namespaces';

const KEYCLOAK_NAMESPACE = 'keycloak';
/** Name of the realm-convergence Job, CronJob and their service account. */
const REALM_CONVERGE = 'realm-converge';

/** What every realm-convergence run shares: program, image, Keycloak and its admin client. */
const convergeCommon = {
  programFile: CONVERGE_PROGRAM_FILE,
  image: CONVERGE_IMAGE,
  // The in-cluster Service (keycloakx 7.1.11, src/platform/platform-uis.ts): the Admin API
  // is never published on the gateway.
  keycloakUrl: `http://${keycloakUi().service}.${KEYCLOAK_NAMESPACE}.svc:${keycloakUi().port}`,
  adminClientId: KEYCLOAK_ADMIN_CLIENT_ID,
  adminSecret: { name: PLATFORM_SECRETS.keycloakAdmin, key: 'clientSecret' },
  placement: placementOf(NODE_GROUPS.platform),
};

function keycloakUi() {
  return PLATFORM_UIS.find((u) => u.addon === 'keycloak')!;
}

/** ConfigMap (namespace keycloak) holding one tenant's realm groups. */
export function tenantRealmConfigMap(tenant: string): string {
  return `keycloak-realm-tenant-${tenant}`;
}

/**
 * Per-tenant platform objects outside the tenant's namespace (its sync identity, its realm
 * groups): the second source of each tenant's platform Application.
 */
export const TENANT_SYNC_FOLDER = 'platform/tenant-sync';
const TENANT_SYNC_ROLE = 'tenant-gitops-sync';
const PLATFORM_SECRET_STORE = 'platform-secrets';
/** Store of the RDS-managed master secret: admits the PostgreSQL bootstrap's namespace only. */
const POSTGRES_MASTER_STORE = 'postgres-master';
/** Namespace of the PostgreSQL bootstrap Job (`platform-` names are reserved to the platform). */
export const POSTGRES_BOOTSTRAP_NAMESPACE = 'platform-db';
const POSTGRES_BOOTSTRAP = 'postgres-bootstrap';
const CLUSTER_ISSUER = 'letsencrypt';
/** The central gateway's listener for the platform UIs' hostnames. */
const PLATFORM_LISTENER = 'platform';

/** `<namespace>:<name>` of the service account a tenant's syncs impersonate. */
export function tenantSyncServiceAccount(tenant: string): string {
  return `${GITOPS_BRIDGE.argocdNamespace}:${tenantSyncServiceAccountName(tenant)}`;
}
function tenantSyncServiceAccountName(tenant: string): string {
  return `tenant-${tenant}-sync`;
}

/** One folder of `platform/`: what it holds, when it syncs, which add-ons it needs. */
interface PlatformFolder {
  readonly folder: string;
  readonly syncWave: SyncWave;
  readonly namespace: string;
  readonly requires: readonly AddonName[];
  /** Manifests besides the platform secrets. */
  readonly build?: (scope: Construct) => void;
  /**
   * Subfolders `<folder>/<part>` and what each holds, for objects whose names repeat across
   * namespaces (file names are `<kind>-<name>.yaml`). The folder's Application recurses.
   *
   * @default - none
   */
  readonly parts?: () => ReadonlyMap<string, (scope: Construct) => void>;
  /**
   * Platform secrets (PLATFORM_SECRETS) this folder materializes in its namespace from
   * `platform/<env>/<name>`. The platform secret store admits exactly these namespaces.
   */
  readonly secrets?: readonly { readonly name: string; readonly labels?: Record<string, string> }[];
  /**
   * The folder's own ExternalSecrets read through the platform secret store (which must then
   * admit its namespace).
   *
   * @default false
   */
  readonly readsPlatformSecrets?: boolean;
  /**
   * A condition beyond `requires`, e.g. that some add-on needing it is enabled.
   *
   * @default - the folder is enabled whenever its required add-ons are
   */
  readonly enabledWhen?: () => boolean;
}

/** The enabled add-ons' databases on the environment's PostgreSQL, in a stable order. */
function platformDatabases(env: EnvironmentShared) {
  return (Object.keys(PLATFORM_DATABASES) as (keyof typeof PLATFORM_DATABASES)[])
    .sort()
    .filter((a) => !env.spec.addons.disabled.includes(a))
    .map((a) => PLATFORM_DATABASES[a]);
}

function folders(env: EnvironmentShared): PlatformFolder[] {
  const hosts = platformHosts(env);
  const gw = env.gateway;
  const region = env.spec.aws.region;
  return [
    {
      // Before anything that claims a volume: no default class exists on EKS >= 1.30.
      folder: 'platform/storage',
      syncWave: 'crds',
      namespace: 'default',
      requires: [],
      build: (s) => new DefaultStorageClass(s, 'DefaultStorageClass', { name: 'gp3-encrypted' }),
    },
    {
      folder: 'platform/tenancy',
      syncWave: 'platformConfig',
      namespace: 'default',
      requires: [],
      build: (s) => {
        new TenantDeveloperRole(s, 'DeveloperRole', { name: TENANT_DEVELOPER_ROLE });
        new TenantSyncRole(s, 'SyncRole', {
          name: TENANT_SYNC_ROLE,
          kinds: TENANT_OWNED_KINDS,
          resourceOf: (k) => `${k.kind.toLowerCase()}s`,
        });
        // Only where a tenant runs sandboxed: elsewhere no node has the handler (the sandbox
        // node group exists only then), and the RuntimeClass would promise what nothing keeps.
        if (env.tenantFacts.anySandboxed) {
          new SandboxRuntimeClass(s, 'Sandbox', {
            name: SANDBOX_RUNTIME_CLASS,
            handler: SANDBOX_RUNTIME_HANDLER,
            placement: placementOf(NODE_GROUPS[SANDBOX_NODE_GROUP]),
          });
        }
      },
    },
    {
      // Ingress isolation of every platform namespace against tenant pods. With the tenants:
      // the add-ons of every earlier wave have created their namespaces by then (Argo CD
      // retries a namespace still missing), and each tenant's own egress default-deny arrives
      // with its bundle.
      folder: 'platform/network-isolation',
      syncWave: 'tenants',
      namespace: 'default',
      requires: [],
      parts: () => {
        const flows = tenantPlatformFlows(env);
        return new Map(
          platformNamespaces(env).map((ns) => {
            const apiServerPorts = API_SERVER_PORTS[ns] ?? [];
            const build = (s: Construct) =>
              new PlatformNamespaceIsolation(s, ns, {
                namespace: ns,
                tenantLabel: LABELS.tenant,
                tenantFlows: flows.get(ns) ?? [],
                ...(apiServerPorts.length > 0
                  ? { apiServerPorts, vpcCidr: env.spec.aws.vpcCidr }
                  : {}),
                // The NLB keeps client addresses (externalTrafficPolicy Local), and sends them
                // to the proxy pods on the public listener's port only: the in-cluster listener
                // and the controller stay off the internet. Kubelet probes come from the node's
                // address, which the VPC CNI's policy agent always admits.
                ...(ns === gw.namespace
                  ? { publicEntry: { pods: gw.proxyPods, ports: [gw.publicPort] } }
                  : {}),
              });
            return [ns, build] as const;
          }),
        );
      },
    },
    {
      folder: 'platform/cert-manager',
      syncWave: 'stores',
      namespace: 'cert-manager',
      requires: ['cert-manager'],
      build: (s) =>
        new AcmeClusterIssuer(s, 'Issuer', {
          name: CLUSTER_ISSUER,
          hostedZoneId: env.spec.aws.hostedZoneId,
          region,
        }),
    },
    {
      folder: 'platform/agentgateway',
      syncWave: 'platformConfig',
      namespace: gw.namespace,
      requires: ['agentgateway', 'gateway-api', 'cert-manager'],
      build: (s) => {
        const tlsSecret = `${gw.name}-tls`;
        const uiTlsSecret = `${gw.name}-platform-tls`;
        new GatewayCertificate(s, 'Certificate', {
          name: tlsSecret,
          namespace: gw.namespace,
          secretName: tlsSecret,
          dnsNames: [gw.publicHost],
          clusterIssuer: CLUSTER_ISSUER,
        });
        // The UI hostnames by name, not a wildcard certificate: a leaked key then covers the
        // UIs that exist, not every name under the domain.
        const uis = PLATFORM_UIS.filter((u) => !env.spec.addons.disabled.includes(u.addon));
        if (uis.length > 0) {
          new GatewayCertificate(s, 'PlatformCertificate', {
            name: uiTlsSecret,
            namespace: gw.namespace,
            secretName: uiTlsSecret,
            dnsNames: uis.map((u) => hosts[u.host]),
            clusterIssuer: CLUSTER_ISSUER,
          });
        }
        // The data plane on the gateway node group behind an NLB; the controller itself stays
        // on the platform nodes (the agentgateway add-on's values).
        const proxy = new GatewayProxyParameters(s, 'ProxyParameters', {
          name: `${gw.name}-proxy`,
          namespace: gw.namespace,
          placement: placementOf(NODE_GROUPS.gateway),
        });
        new CentralGateway(s, 'Gateway', {
          name: gw.name,
          namespace: gw.namespace,
          parametersRef: proxy.name,
          publicHost: gw.publicHost,
          publicListener: gw.publicListener,
          internalListener: gw.internalListener,
          publicPort: gw.publicPort,
          internalPort: gw.internalPort,
          tlsSecretName: tlsSecret,
          routesLabel: LABELS.gatewayRoutes,
          ...(uis.length > 0
            ? {
                platformListener: {
                  name: PLATFORM_LISTENER,
                  hostname: `*.${env.spec.cluster.domain}`,
                  tlsSecretName: uiTlsSecret,
                },
              }
            : {}),
        });
        for (const u of uis) {
          new PlatformUiRoute(s, `Ui-${u.host}`, {
            name: `ui-${u.host}`,
            hostname: hosts[u.host],
            gatewayNamespace: gw.namespace,
            gatewayName: gw.name,
            listener: PLATFORM_LISTENER,
            serviceNamespace: u.namespace,
            serviceName: u.service,
            servicePort: u.port,
            ...(u.pathPrefixes ? { pathPrefixes: u.pathPrefixes } : {}),
          });
        }
      },
    },
    {
      // kagent's own PostgreSQL. Platform-config wave, like the registry's: after the
      // operator that runs it, before kagent (services wave), which mounts its `-app` Secret.
      folder: 'platform/kagent',
      syncWave: 'platformConfig',
      namespace: env.kagentNamespace,
      requires: ['kagent', 'cloudnative-pg'],
      build: (s) =>
        new PostgresCluster(s, 'Database', {
          namespace: env.kagentNamespace,
          name: kagentDatabase.cluster,
          database: kagentDatabase.database,
          instances: env.spec.addons.highAvailability ? 2 : 1,
        }),
    },
    {
      folder: 'platform/external-secrets',
      syncWave: 'stores',
      namespace: 'external-secrets',
      requires: ['external-secrets'],
      build: (s) => {
        const secrets = env.spec.secrets;
        // The platform's provider keys are read only where the gateway injects them; a tenant
        // namespace cannot source a Secret from this store (external-secrets checks conditions).
        new AwsSecretStore(s, 'PlatformLlm', {
          name: secrets.platformStore,
          region,
          namespaces: [env.gateway.namespace],
        });
        new AwsSecretStore(s, 'TenantLlm', {
          name: secrets.tenantStore,
          region,
          namespaceLabel: LABELS.tenant,
        });
        new AwsSecretStore(s, 'Platform', {
          name: PLATFORM_SECRET_STORE,
          region,
          // Built when the folder is synthesized, from every enabled folder's secrets.
          namespaces: [
            ...new Set(
              enabledFolders(env).flatMap((f) =>
                f.secrets || f.readsPlatformSecrets ? [f.namespace] : [],
              ),
            ),
          ].sort(),
        });
        if (platformDatabases(env).length > 0) {
          new AwsSecretStore(s, 'PostgresMaster', {
            name: POSTGRES_MASTER_STORE,
            region,
            namespaces: [POSTGRES_BOOTSTRAP_NAMESPACE],
          });
        }
      },
    },
    {
      // The add-ons' roles and databases on RDS: after the stores (it reads the master secret
      // and the add-ons' passwords through them), before the add-ons that connect (services).
      // Chosen over a Terraform-side PostgreSQL provider, which would need a network path from
      // wherever Terraform runs into the private subnets, and would keep every add-on's
      // password in the Terraform state.
      folder: 'platform/postgres',
      syncWave: 'platformConfig',
      namespace: POSTGRES_BOOTSTRAP_NAMESPACE,
      requires: ['external-secrets'],
      readsPlatformSecrets: true,
      enabledWhen: () => platformDatabases(env).length > 0,
      build: (s) =>
        new PostgresBootstrap(s, 'Bootstrap', {
          namespace: POSTGRES_BOOTSTRAP_NAMESPACE,
          name: POSTGRES_BOOTSTRAP,
          image: POSTGRES_BOOTSTRAP_IMAGE,
          placement: placementOf(NODE_GROUPS.platform),
          roles: platformDatabases(env).map((d) => ({
            name: d.name,
            passwordRemoteKey: platformSecretKey(env.name, d.secret),
            passwordProperty: d.key,
          })),
          masterStore: POSTGRES_MASTER_STORE,
          masterSecretTag: {
            key: RDS_MASTER_SECRET_TAG,
            // The instance Terraform creates (PostgresDatabase, identifier = cluster name).
            value: `arn:${partitionOf(region)}:rds:${region}:${env.spec.aws.accountId}:db:${env.spec.cluster.name}`,
          },
          platformStore: PLATFORM_SECRET_STORE,
          endpointRemoteKey: platformSecretKey(env.name, POSTGRES_ENDPOINT.secret),
        }),
    },
    {
      folder: 'platform/keycloak',
      syncWave: 'platformConfig',
      namespace: KEYCLOAK_NAMESPACE,
      requires: ['keycloak', 'external-secrets'],
      secrets: [
        { name: PLATFORM_SECRETS.keycloakDatabase },
        { name: PLATFORM_SECRETS.keycloakAdmin },
      ],
      build: (s) => {
        new KeycloakRealm(s, 'Realm', {
          configMapName: PLATFORM_SECRETS.keycloakRealm,
          namespace: KEYCLOAK_NAMESPACE,
          realm: PLATFORM_REALM,
          roles: PLATFORM_REALM_ROLES,
          groups: [...platformGroups()].map(([path, realmRoles]) => ({ path, realmRoles })),
          tenantRoot: TENANT_GROUP_ROOT,
          groupsClaim: GROUPS_CLAIM,
          clients: platformClients(env),
        });
        new RealmConvergence(s, 'Convergence', {
          ...convergeCommon,
          name: REALM_CONVERGE,
          namespace: KEYCLOAK_NAMESPACE,
          program: convergeProgram(),
          baseConfigMap: PLATFORM_SECRETS.keycloakRealm,
          baseKey: `${PLATFORM_REALM}.json`,
          tenantSelector: `${LABELS.realmPart}=tenant`,
          tenantKey: TENANT_GROUPS_KEY,
          tenantRoot: TENANT_GROUP_ROOT,
        });
      },
    },
    {
      folder: 'platform/langfuse',
      syncWave: 'platformConfig',
      namespace: 'langfuse',
      requires: ['langfuse', 'external-secrets'],
      secrets: [{ name: PLATFORM_SECRETS.langfuse }, { name: PLATFORM_SECRETS.langfuseRedis }],
    },
    {
      folder: 'platform/opentelemetry-collector',
      syncWave: 'platformConfig',
      namespace: env.telemetry.namespace,
      requires: ['opentelemetry-collector', 'external-secrets'],
      secrets: [{ name: PLATFORM_SECRETS.langfuseOtlp }],
    },
    {
      folder: 'platform/kube-prometheus-stack',
      syncWave: 'platformConfig',
      namespace: 'monitoring',
      requires: ['kube-prometheus-stack', 'keycloak', 'external-secrets'],
      secrets: [{ name: PLATFORM_SECRETS.grafanaOidc }],
    },
    {
      folder: 'platform/argo-cd',
      syncWave: 'platformConfig',
      namespace: GITOPS_BRIDGE.argocdNamespace,
      requires: ['argo-cd', 'external-secrets'],
      // Argo CD reads `$secret:key` references only from Secrets labelled part-of argocd.
      secrets: [{ name: PLATFORM_SECRETS.argocdOidc, labels: { [LABELS.partOf]: 'argocd' } }],
    },
  ];
}

/** The folders whose add-ons the environment has all enabled. */
function enabled<F extends { readonly requires: readonly AddonName[] }>(
  env: EnvironmentShared,
  list: readonly F[],
): F[] {
  return list.filter((f) => f.requires.every((a) => !env.spec.addons.disabled.includes(a)));
}

function enabledFolders(env: EnvironmentShared): PlatformFolder[] {
  return enabled(env, folders(env)).filter((f) => f.enabledWhen?.() ?? true);
}

/** Manifests of every `platform/…` folder, keyed by folder (relative to `dist/<env>/`). */
export function platformManifests(env: EnvironmentShared): Map<string, Manifest[]> {
  const out = new Map<string, Manifest[]>();
  for (const f of enabledFolders(env)) {
    out.set(
      f.folder,
      synthChart((app: App) => {
        const chart = new Chart(app, f.folder.replaceAll('/', '-'), {
          disableResourceNameHashes: true,
        });
        f.build?.(chart);
        for (const secret of f.secrets ?? []) {
          new PlatformSecret(chart, secret.name, {
            name: secret.name,
            namespace: f.namespace,
            store: PLATFORM_SECRET_STORE,
            remoteKey: platformSecretKey(env.name, secret.name),
            ...(secret.labels ? { secretLabels: secret.labels } : {}),
          });
        }
        return chart;
      }),
    );
  }
  for (const f of enabledFolders(env)) {
    for (const [part, build] of f.parts?.() ?? []) {
      out.set(
        `${f.folder}/${part}`,
        synthChart((app: App) => {
          const chart = new Chart(app, `${f.folder.replaceAll('/', '-')}-${part}`, {
            disableResourceNameHashes: true,
          });
          build(chart);
          return chart;
        }),
      );
    }
  }
  return out;
}

/**
 * `platform/tenant-sync/<tenant>/` of one tenant: its model keys' backends in the platform's
 * namespaces, the identity Argo CD syncs the tenant's folder as, and its Keycloak groups with
 * the Job that converges them. Built from the tenant and `bundleContext` alone.
 */
export function tenantSyncManifests(env: EnvironmentContext, t: TenantModel): Manifest[] {
  const keycloak = !env.spec.addons.disabled.includes('keycloak');
  return synthChart((app: App) => {
    const chart = new Chart(app, `tenant-sync-${t.name}`, { disableResourceNameHashes: true });
    for (const m of t.models) {
      if (m.backendNamespace === t.namespace) continue;
      new PlatformKeyModel(chart, `Model-${m.name}`, {
        namespace: m.backendNamespace,
        tenantNamespace: t.namespace,
        name: m.backendName,
        provider: m.provider,
        model: m.modelId,
        store: m.credential.store,
        key: m.credential.key,
      });
    }
    new TenantSyncIdentity(chart, 'Identity', {
      namespace: t.namespace,
      serviceAccountName: tenantSyncServiceAccountName(t.name),
      serviceAccountNamespace: GITOPS_BRIDGE.argocdNamespace,
      roleName: TENANT_SYNC_ROLE,
    });
    if (keycloak) {
      new KeycloakTenantGroups(chart, 'RealmGroups', {
        configMapName: tenantRealmConfigMap(t.name),
        namespace: KEYCLOAK_NAMESPACE,
        tenant: t.name,
        root: tenantGroupRoot(t.name),
        groups: [...tenantRealmGroups(t)].map(([path, realmRoles]) => ({ path, realmRoles })),
        labels: { [LABELS.realmPart]: 'tenant', [LABELS.tenant]: t.name },
      });
      new TenantRealmConvergence(chart, 'RealmConvergence', {
        ...convergeCommon,
        tenant: t.name,
        name: `${REALM_CONVERGE}-${t.name}`,
        namespace: KEYCLOAK_NAMESPACE,
        tenantConfigMap: tenantRealmConfigMap(t.name),
        tenantKey: TENANT_GROUPS_KEY,
        realm: PLATFORM_REALM,
        tenantRoot: TENANT_GROUP_ROOT,
        programConfigMap: `${REALM_CONVERGE}-program`,
      });
    }
    return chart;
  });
}

/**
 * Folders other layers write (`policies/`, `registry/`) that Argo CD must sync too: without an
 * Application they would be committed and reviewed but never reach a cluster.
 */
const LAYER_FOLDERS: readonly Omit<PlatformFolder, 'build'>[] = [
  {
    folder: 'policies',
    syncWave: 'policies',
    namespace: 'kyverno',
    requires: ['kyverno'],
  },
  {
    folder: 'registry',
    syncWave: 'platformConfig',
    namespace: REGISTRY_NAMESPACE,
    // Its database (Cluster, DatabaseRole) and its audit signing key (Certificate).
    requires: ['cloudnative-pg', 'cert-manager'],
  },
];

/**
 * One Application per enabled `platform/<folder>` and layer folder (tenant-sync folders ride
 * with the tenants), named `platform-<folder>`.
 */
export function addPlatformFolders(scope: Construct, env: EnvironmentShared): void {
  const { repoUrl, targetRevision } = env.spec.gitops;
  for (const f of [...enabledFolders(env), ...enabled(env, LAYER_FOLDERS)]) {
    const name = `platform-${f.folder.replace('platform/', '')}`;
    new PlatformFolderApplication(scope, name, {
      name,
      path: `dist/${env.name}/${f.folder}`,
      repoUrl,
      targetRevision,
      syncWave: f.syncWave,
      namespace: f.namespace,
    });
  }
}
