import type { OidcIdentityProviderOptions } from '../../constructs/infra/eks-cluster';
import type { PlatformStackProps } from '../../constructs/infra/platform-stack';
import { GROUPS_CLAIM, OIDC_GROUP_PREFIX, OIDC_USERNAME_PREFIX } from '../model/identity';
import { platformIssuer } from '../platform/hosts';
import { KUBERNETES_CLIENT_ID } from '../platform/platform-realm';
import type { NodeGroupOptions } from '../../constructs/infra/node-groups';
import { bootstrapRootManifests } from '../platform/layers';
import type { EnvironmentShared, NodeGroupName } from '../model';
import {
  KUBERNETES_SERVICE_CIDR,
  SANDBOX_NODE_GROUP,
  SANDBOX_RUNTIME_HANDLER,
} from '../model/conventions';
import { ADDONS, type AddonName } from '../model/gitops-bridge';
import {
  eksAddonVersions,
  GVISOR_RELEASE,
  POSTGRES_ENGINE_VERSION,
  REDIS_ENGINE_VERSION,
} from './versions';

/** Node groups every environment has; `dedicated` is added only on demand. */
const ALWAYS: readonly NodeGroupName[] = ['platform', 'agents', 'gateway'];

/**
 * Maps a resolved environment to the props of its PlatformStack. Every environment
 * difference enters here, as data: no construct branches on the environment's name.
 *
 * `enabledAddons` defaults to every add-on, because the environment spec has no add-on
 * selection yet.
 */
export function platformStackProps(
  env: EnvironmentShared,
  enabledAddons: readonly AddonName[] = ADDONS.filter((a) => !env.spec.addons.disabled.includes(a)),
): PlatformStackProps {
  const s = env.spec;
  const root = bootstrapRootManifests(env);
  const needsDedicated = env.tenantFacts.anyDedicated;
  const groupNames: NodeGroupName[] = [
    ...ALWAYS,
    ...(needsDedicated ? (['dedicated'] as const) : []),
  ];
  const nodeGroups: NodeGroupOptions[] = groupNames.map((name) => {
    const g = s.nodeGroups[name];
    return {
      name,
      instanceTypes: g.instanceTypes,
      minSize: g.minSize,
      maxSize: g.maxSize,
      desiredSize: g.desiredSize,
      diskGiB: g.diskGiB,
      ...(name === SANDBOX_NODE_GROUP
        ? { sandboxRuntime: { handler: SANDBOX_RUNTIME_HANDLER, gvisorRelease: GVISOR_RELEASE } }
        : {}),
    };
  });
  const pg = s.dataStores.postgres;
  return {
    environment: env.name,
    sourceFile: env.sourceFile,
    accountId: s.aws.accountId,
    region: s.aws.region,
    partition: partitionOf(s.aws.region),
    clusterName: s.cluster.name,
    kubernetesVersion: s.cluster.kubernetesVersion,
    domain: s.cluster.domain,
    hostedZoneId: s.aws.hostedZoneId,
    vpcCidr: s.aws.vpcCidr,
    serviceCidr: KUBERNETES_SERVICE_CIDR,
    availabilityZones: s.aws.availabilityZones,
    natGateways: s.aws.natGateways,
    publicApiCidrs: s.aws.publicApiCidrs,
    adminPrincipalArns: s.aws.adminRoleArns,
    ...(enabledAddons.includes('keycloak')
      ? { oidcIdentityProvider: clusterOidcIdentityProvider(env) }
      : {}),
    nodeGroups,
    addonVersions: eksAddonVersions(s.cluster.kubernetesVersion),
    postgresEngineVersion: POSTGRES_ENGINE_VERSION,
    postgresInstanceClass: pg.instanceClass,
    postgresAllocatedStorageGiB: pg.allocatedStorageGiB,
    postgresMultiAz: pg.multiAz,
    postgresDeletionProtection: pg.deletionProtection,
    postgresBackupRetentionDays: pg.backupRetentionDays,
    redisEngineVersion: REDIS_ENGINE_VERSION,
    redisNodeType: s.dataStores.redis.nodeType,
    redisReplicas: s.dataStores.redis.replicas,
    repoUrl: s.gitops.repoUrl,
    targetRevision: s.gitops.targetRevision,
    rootApplication: root.application,
    bootstrapProject: root.project,
    enabledAddons,
  };
}

/**
 * The platform Keycloak as the cluster's OIDC identity provider: ID tokens of the
 * `kubernetes` client, groups from the full-path `groups` claim, every group and username
 * prefixed (OIDC_GROUP_PREFIX) as the tenant RoleBindings expect.
 */
export function clusterOidcIdentityProvider(env: EnvironmentShared): OidcIdentityProviderOptions {
  return {
    name: 'keycloak',
    issuerUrl: platformIssuer(env),
    clientId: KUBERNETES_CLIENT_ID,
    groupsClaim: GROUPS_CLAIM,
    groupsPrefix: OIDC_GROUP_PREFIX,
    usernameClaim: 'sub',
    usernamePrefix: OIDC_USERNAME_PREFIX,
  };
}

/** AWS partition of a region: GovCloud and China have their own ARN prefix. */
export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}
