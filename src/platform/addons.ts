import type { Construct } from 'constructs';
import * as addons from '../../constructs/addons';
import { PostgresCluster } from '../../constructs/platform/postgres-cluster';
import { NODE_GROUPS } from '../model/conventions';
import { LANGFUSE_REDIS, type AddonName } from '../model/gitops-bridge';
import type { EnvironmentShared } from '../model/types';
import { PLATFORM_GROUPS } from '../model/identity';
import { platformHosts, platformIssuer } from './hosts';

/** Names the platform layer and the add-ons agree on. */
export const PLATFORM_SECRETS = {
  langfuse: 'langfuse',
  langfuseRedis: LANGFUSE_REDIS.secret,
  langfuseOtlp: 'langfuse-otlp',
  keycloakDatabase: 'keycloak-db',
  argocdOidc: 'argocd-oidc-keycloak',
  grafanaOidc: 'grafana-oidc-keycloak',
  keycloakRealm: 'keycloak-realm-platform',
  /** `clientSecret`: Keycloak's bootstrap admin client, which the realm convergence uses. */
  keycloakAdmin: 'keycloak-admin',
} as const;

/**
 * The add-ons' databases on the environment's RDS PostgreSQL, named once for both sides: the
 * add-on connects as role `name` to database `name` with the password under `key` of its
 * Secret `secret` (materialized from `platform/<env>/<secret>`), and the PostgreSQL bootstrap
 * (platform/postgres) creates that role and database with the password from the same
 * Secrets Manager secret and key.
 */
export const PLATFORM_DATABASES = {
  keycloak: { name: 'keycloak', secret: PLATFORM_SECRETS.keycloakDatabase, key: 'password' },
  langfuse: { name: 'langfuse', secret: PLATFORM_SECRETS.langfuse, key: 'postgres-password' },
} as const satisfies Partial<Record<AddonName, addons.AddonDatabase>>;

/**
 * psql of the PostgreSQL bootstrap: the official postgres image, major version of the RDS
 * engine (POSTGRES_ENGINE_VERSION), pinned by the digest of the 17.6-alpine manifest list.
 */
export const POSTGRES_BOOTSTRAP_IMAGE =
  'docker.io/library/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94';

/**
 * Keycloak's bootstrap admin: a service-account client of the master realm Keycloak creates
 * at first start (KC_BOOTSTRAP_ADMIN_CLIENT_ID/SECRET), with which the realm convergence
 * applies the declared realm. No admin user and password exist.
 */
export const KEYCLOAK_ADMIN_CLIENT_ID = 'realm-converge';

/**
 * kagent's PostgreSQL: a CloudNativePG Cluster in kagent's namespace (platform/kagent), whose
 * operator-written `<cluster>-app` Secret the controller mounts. Named once for both sides.
 */
const KAGENT_DB_CLUSTER = 'kagent-db';
export const kagentDatabase = {
  cluster: KAGENT_DB_CLUSTER,
  database: 'kagent',
  secret: PostgresCluster.credentialsSecretOf(KAGENT_DB_CLUSTER),
  key: PostgresCluster.URI_KEY,
} as const;

/**
 * The add-on catalog for one environment: every add-on not in `addons.disabled`, with the
 * environment's placement, HA switch and value overrides. Spec → props happens here, once.
 */
export function addAddons(scope: Construct, env: EnvironmentShared): void {
  const spec = env.spec.addons;
  const enabled = (a: AddonName) => !spec.disabled.includes(a);
  const hosts = platformHosts(env);
  const issuer = platformIssuer(env);
  const common: addons.AddonProps = {
    environment: env.name,
    placement: addons.placementOf(NODE_GROUPS.platform),
    highAvailability: spec.highAvailability,
    valueOverrides: spec.values,
    monitoring: enabled('kube-prometheus-stack'),
  };
  if (enabled('gateway-api')) new addons.GatewayApiAddon(scope, 'gateway-api', common);
  if (enabled('istio')) new addons.IstioAddon(scope, 'istio', common);
  if (enabled('agentgateway'))
    new addons.AgentgatewayAddon(scope, 'agentgateway', {
      ...common,
      namespace: env.gateway.namespace,
    });
  if (enabled('kagent'))
    new addons.KagentAddon(scope, 'kagent', {
      ...common,
      namespace: env.kagentNamespace,
      otlpEndpoint: env.telemetry.otlpGrpcEndpoint,
      ...(enabled('cloudnative-pg')
        ? { databaseSecret: { name: kagentDatabase.secret, key: kagentDatabase.key } }
        : {}),
    });
  if (enabled('kube-prometheus-stack'))
    new addons.KubePrometheusStackAddon(scope, 'kube-prometheus-stack', {
      ...common,
      grafanaHostname: hosts.grafana,
      ...(enabled('keycloak') && enabled('external-secrets')
        ? {
            grafanaOidc: {
              issuer,
              clientId: 'grafana',
              clientSecretName: PLATFORM_SECRETS.grafanaOidc,
              clientSecretKey: 'clientSecret',
              // Grafana shows every namespace's metrics: platform groups only, no tenant role.
              adminGroup: PLATFORM_GROUPS.admin,
              viewerGroup: PLATFORM_GROUPS.auditor,
            },
          }
        : {}),
    });
  if (enabled('kyverno')) new addons.KyvernoAddon(scope, 'kyverno', common);
  if (enabled('cert-manager')) new addons.CertManagerAddon(scope, 'cert-manager', common);
  if (enabled('external-secrets'))
    new addons.ExternalSecretsAddon(scope, 'external-secrets', common);
  if (enabled('external-dns'))
    new addons.ExternalDnsAddon(scope, 'external-dns', {
      ...common,
      domain: env.spec.cluster.domain,
    });
  if (enabled('cloudnative-pg')) new addons.CloudNativePgAddon(scope, 'cloudnative-pg', common);
  if (enabled('opentelemetry-collector'))
    new addons.OpenTelemetryCollectorAddon(scope, 'opentelemetry-collector', {
      ...common,
      namespace: env.telemetry.namespace,
      serviceName: env.spec.telemetry.collectorService,
      langfuseOtlpEndpoint: 'http://langfuse-web.langfuse.svc.cluster.local:3000/api/public/otel',
      langfuseAuthSecret: PLATFORM_SECRETS.langfuseOtlp,
    });
  if (enabled('keycloak'))
    new addons.KeycloakAddon(scope, 'keycloak', {
      ...common,
      hostname: hosts.keycloak,
      realmConfigMap: PLATFORM_SECRETS.keycloakRealm,
      database: PLATFORM_DATABASES.keycloak,
      adminClientId: KEYCLOAK_ADMIN_CLIENT_ID,
      adminSecret: PLATFORM_SECRETS.keycloakAdmin,
    });
  if (enabled('langfuse'))
    new addons.LangfuseAddon(scope, 'langfuse', {
      ...common,
      hostname: hosts.langfuse,
      secretName: PLATFORM_SECRETS.langfuse,
      database: PLATFORM_DATABASES.langfuse,
      redisSecretName: PLATFORM_SECRETS.langfuseRedis,
      ...(enabled('keycloak')
        ? {
            keycloak: {
              issuer,
              clientId: 'langfuse',
              clientSecretKey: 'keycloak-client-secret',
            },
          }
        : {}),
    });
  if (enabled('argo-cd'))
    new addons.ArgoCdAddon(scope, 'argo-cd', {
      ...common,
      hostname: hosts.argocd,
      oidcIssuer: issuer,
      oidcClientId: 'argocd',
      oidcClientSecretRef: `$${PLATFORM_SECRETS.argocdOidc}:clientSecret`,
      adminGroup: PLATFORM_GROUPS.admin,
      viewerGroup: PLATFORM_GROUPS.auditor,
      tenantCount: env.tenantFacts.count,
    });
}
