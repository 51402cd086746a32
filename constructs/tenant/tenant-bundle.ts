import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentContext, TenantModel } from '../../src/model/types';
import { AgentModelConfig } from './agent-model-config';
import { ApiKeyAuthPolicy } from './api-key-auth-policy';
import { GatewayRoute } from './gateway-route';
import { LlmAccessPolicy } from './llm-access-policy';
import { LlmBackend } from './llm-backend';
import { LlmCredential } from './llm-credential';
import { SandboxRuntimePolicy } from './sandbox-runtime-policy';
import { OIDC_GROUP_PREFIX, tenantManagerGroups } from '../../src/model/identity';
import { TenantAccess } from './tenant-access';
import { TenantAgent } from './tenant-agent';
import { TenantMcpServer } from './tenant-mcp-server';
import { TenantMeshAuthorization } from './tenant-mesh-authorization';
import { TenantNamespace } from './tenant-namespace';
import { TenantNetworkPolicies } from './tenant-network-policies';
import { TenantQuota } from './tenant-quota';
import { TenantWaypoint } from './tenant-waypoint';
import { WorkloadServiceAccount } from './workload-service-account';
import { ISTIO, KAGENT_USER_HEADER, LABELS, PORTS, ROUTE_AUTH } from '../../src/model/conventions';
import {
  AUTHZ_HEADERS,
  AUTHZ_PATH_PREFIX,
  CREDENTIAL_HEADERS,
  REGISTRY_NAME,
  REGISTRY_NAMESPACE,
  REGISTRY_PORT,
} from '@agentic-platform/agent-registry/constants';

export interface TenantBundleProps {
  readonly tenant: TenantModel;
  /** The environment the bundle is deployed to: gateway, telemetry, platform namespaces. */
  readonly environment: EnvironmentContext;
}

/**
 * Everything one tenant gets in one environment, isolated by default: namespace, quota,
 * access, network and mesh policy, waypoint, models behind the gateway, MCP servers, agents
 * and their routes. One Chart a bundle, each in its own App (see synthChart).
 */
export class TenantBundle extends Chart {
  constructor(scope: Construct, id: string, props: TenantBundleProps) {
    super(scope, id, { labels: { ...props.tenant.labels } });
    const t = props.tenant;
    const env = props.environment;
    const ns = t.namespace;
    const gw = env.gateway;
    const defaults = env.spec.tenants.containerDefaults;
    // kagent reaches tenants only on the agents' A2A port (mesh and NetworkPolicy alike).
    const kagentCaller = { namespace: env.kagentNamespace, ports: [PORTS.a2a] };

    new TenantNamespace(this, 'Namespace', {
      name: ns,
      labels: t.labels,
      waypointName: t.waypointName,
      routeAliases: t.routeAliases,
    });
    new TenantQuota(this, 'Quota', {
      namespace: ns,
      quota: t.quota,
      defaultCpuRequest: defaults.cpuRequest,
      defaultMemoryRequestMiB: defaults.memoryRequestMiB,
      defaultCpuLimit: defaults.cpuLimit,
      defaultMemoryLimitMiB: defaults.memoryLimitMiB,
    });
    new TenantAccess(this, 'Access', {
      namespace: ns,
      developerGroups: tenantManagerGroups(t.groups),
      viewerGroups: t.groups.viewer,
      groupPrefix: OIDC_GROUP_PREFIX,
    });
    new TenantNetworkPolicies(this, 'Network', {
      namespace: ns,
      gatewayNamespace: gw.namespace,
      gatewayPods: gw.proxyPods,
      gatewayPort: gw.internalPort,
      kagentNamespace: env.kagentNamespace,
      agentNames: t.agents.map((a) => a.name),
      telemetryNamespace: env.telemetry.namespace,
      telemetryPorts: [env.telemetry.otlpGrpcPort, env.telemetry.otlpHttpPort],
      waypoint: { name: t.waypointName, istiodNamespace: ISTIO.namespace },
      egress: t.egress,
    });
    new TenantMeshAuthorization(this, 'MeshAuthorization', {
      namespace: ns,
      allowedNamespaces: [gw.namespace],
      portLimitedCallers: [kagentCaller],
    });
    new TenantWaypoint(this, 'Waypoint', {
      namespace: ns,
      name: t.waypointName,
      allowedNamespaces: [gw.namespace],
      portLimitedCallers: [kagentCaller],
    });
    if (t.scheduling.runtimeClassName) {
      new SandboxRuntimePolicy(this, 'SandboxRuntime', {
        namespace: ns,
        runtimeClassName: t.scheduling.runtimeClassName,
      });
    }

    const route = (
      id: string,
      p: Omit<
        ConstructorParameters<typeof GatewayRoute>[2],
        'namespace' | 'gatewayNamespace' | 'gatewayName'
      >,
    ) =>
      new GatewayRoute(this, id, {
        ...p,
        namespace: ns,
        gatewayNamespace: gw.namespace,
        gatewayName: gw.name,
      });

    // Everything published on the public listener goes through the registry's key check;
    // the policy selects routes by label, so it also covers auto-exposed ones.
    const publicRouteLabels = { [LABELS.routeAuth]: ROUTE_AUTH.apiKey };
    const verdictHeaders = [AUTHZ_HEADERS.tenant, AUTHZ_HEADERS.keyId];
    new ApiKeyAuthPolicy(this, 'ApiKeyAuth', {
      namespace: ns,
      routeLabels: publicRouteLabels,
      authzNamespace: REGISTRY_NAMESPACE,
      authzService: REGISTRY_NAME,
      authzPort: REGISTRY_PORT,
      authzPathPrefix: AUTHZ_PATH_PREFIX,
      requestHeaders: CREDENTIAL_HEADERS,
      responseHeaders: verdictHeaders,
      sourceHeader: AUTHZ_HEADERS.source,
    });
    const publicRoute = (
      id: string,
      p: Omit<Parameters<typeof route>[1], 'listeners' | 'labels' | 'removeRequestHeaders'>,
      opts: {
        /** The request leaves the cluster (to an LLM provider): the verdict stays behind too. */
        readonly leavesCluster?: boolean;
        /** Headers the target would misread from a caller, removed as well. */
        readonly removeAlso?: readonly string[];
      } = {},
    ) =>
      route(id, {
        ...p,
        listeners: [gw.publicListener],
        labels: publicRouteLabels,
        // The platform's credentials stop at the gateway: the workload sees the registry's
        // verdict headers, never the caller's key or token.
        removeRequestHeaders: [
          ...CREDENTIAL_HEADERS,
          ...(opts.leavesCluster ? verdictHeaders : []),
          ...(opts.removeAlso ?? []),
        ],
      });

    const models = new Construct(this, 'Models');
    for (const m of t.models) {
      const scope = new Construct(models, m.name);
      // Only a tenant-owned key (BYOK) lives here. A platform key's backend and Secret are
      // in the gateway namespace (PlatformKeyModel, in the tenant's platform folder) and the
      // routes below reach it through the ReferenceGrant there.
      if (m.backendNamespace === ns) {
        const credential = new LlmCredential(scope, 'Credential', {
          namespace: ns,
          name: m.secretName,
          store: m.credential.store,
          key: m.credential.key,
          ...(m.credential.property ? { property: m.credential.property } : {}),
        });
        new LlmBackend(scope, 'Backend', {
          namespace: ns,
          name: m.backendName,
          provider: m.provider,
          model: m.modelId,
          credentialSecretName: credential.secretName,
        });
      }
      const backend = {
        kind: 'AgentgatewayBackend',
        name: m.backendName,
        namespace: m.backendNamespace,
      } as const;
      new AgentModelConfig(scope, 'ModelConfig', {
        namespace: ns,
        name: m.modelConfigName,
        model: m.modelId,
        baseUrl: m.baseUrl,
      });
      route(`Route-${m.name}`, {
        name: m.route.name,
        pathPrefix: m.route.path,
        listeners: [gw.internalListener],
        target: backend,
      });
      if (m.publicRoute) {
        publicRoute(
          `PublicRoute-${m.name}`,
          {
            name: m.publicRoute.name,
            pathPrefix: m.publicRoute.path,
            target: backend,
          },
          { leavesCluster: true },
        );
      }
    }
    if (t.models.length > 0) {
      new LlmAccessPolicy(this, 'LlmAccess', {
        namespace: ns,
        routeNames: t.models.map((m) => m.route.name),
      });
    }

    const servers = new Construct(this, 'McpServers');
    for (const s of t.mcpServers) {
      const scope = new Construct(servers, s.name);
      const sa = new WorkloadServiceAccount(scope, 'ServiceAccount', {
        namespace: ns,
        name: s.serviceAccountName,
      });
      const server = new TenantMcpServer(scope, 'Server', {
        namespace: ns,
        name: s.name,
        image: s.image,
        port: s.port,
        path: s.path,
        serviceAccountName: sa.name,
        scheduling: t.scheduling,
      });
      if (s.route) {
        publicRoute(`Route-${s.name}`, {
          name: s.route.name,
          pathPrefix: s.route.path,
          target: { kind: 'Service', name: server.name, port: server.port },
          rewritePrefix: s.path,
        });
      }
    }

    const agents = new Construct(this, 'Agents');
    for (const a of t.agents) {
      const scope = new Construct(agents, a.name);
      const sa = new WorkloadServiceAccount(scope, 'ServiceAccount', {
        namespace: ns,
        name: a.serviceAccountName,
      });
      const agent = new TenantAgent(scope, 'Agent', {
        namespace: ns,
        name: a.name,
        description: a.description,
        modelConfigName: a.modelConfigName,
        systemMessage: a.systemMessage,
        tools: a.tools,
        skills: a.skills,
        serviceAccountName: sa.name,
        scheduling: t.scheduling,
        otlpEndpoint: env.telemetry.otlpGrpcEndpoint,
      });
      if (a.route) {
        publicRoute(
          `Route-${a.name}`,
          {
            name: a.route.name,
            pathPrefix: a.route.path,
            target: { kind: 'Service', name: agent.name, port: PORTS.a2a },
          },
          // kagent's runtime takes the caller's x-user-id as the user it acts for towards the
          // controller (sessions, memory); from the internet that would be anyone's choice.
          // Without it the runtime keeps a user per A2A context.
          { removeAlso: [KAGENT_USER_HEADER] },
        );
      }
    }
  }
}
