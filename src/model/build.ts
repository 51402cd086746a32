import { tenantGroups } from './identity';
import {
  cidrContains,
  formatPath,
  MAX_DNS_LABEL,
  QUOTA_KEYS,
  SpecError,
  type EnvironmentSpec,
  type GuardrailSpec,
  type Located,
  type Quota,
  type SpecIssue,
  type Specs,
  type TenantSpec,
} from '../spec';
import {
  AGENTGATEWAY_PROXY,
  RESERVED_POD_LABELS,
  CLOUD_METADATA_CIDR,
  DEFAULT_IMAGE_REGISTRIES,
  gatewayLlmName,
  LABELS,
  MANAGED_BY,
  NODE_GROUPS,
  ROUTE_PREFIX,
  SANDBOX_RUNTIME_CLASS,
} from './conventions';
import type {
  EgressRule,
  EnvironmentContext,
  EnvironmentModel,
  PlatformModel,
  ResolvedAgent,
  ResolvedMcpServer,
  ResolvedModel,
  Scheduling,
  TenantModel,
} from './types';

const KAGENT_NAMESPACE = 'kagent';

/** Names of the objects a tenant bundle creates, derived from spec names in one place. */
export const names = {
  waypoint: () => 'waypoint',
  llmSecret: (model: string) => `llm-${model}`,
  llmBackend: (model: string) => `llm-${model}`,
  modelConfig: (model: string) => model,
  agentServiceAccount: (agent: string) => `agent-${agent}`,
  mcpServiceAccount: (server: string) => `mcp-${server}`,
  a2aRoute: (agent: string) => `a2a-${agent}`,
  mcpRoute: (server: string) => `mcp-${server}`,
  llmRoute: (model: string) => `llm-${model}`,
  llmPublicRoute: (model: string) => `llm-${model}-public`,
} as const;

/**
 * Resolves every environment: applies tenant overrides, fills defaults from the environment,
 * derives every name. Throws one SpecError listing every tenant whose resolved values break
 * an environment rule (quota above the maximum, a derived name too long).
 */
export function buildModel(specs: Specs): PlatformModel {
  const issues: SpecIssue[] = [];
  const environments = specs.environments.map((env) =>
    buildEnvironment(env, specs.tenants, specs.guardrails, issues),
  );
  if (issues.length > 0) throw new SpecError(issues);
  return deepFreeze({ environments });
}

function buildEnvironment(
  located: Located<EnvironmentSpec>,
  tenants: readonly Located<TenantSpec>[],
  guardrails: readonly Located<GuardrailSpec>[],
  issues: SpecIssue[],
): EnvironmentModel {
  const env = located.spec;
  const gatewayHost = `${env.gateway.name}.${env.gateway.namespace}.svc.cluster.local`;
  const collector = `${env.telemetry.collectorService}.${env.telemetry.namespace}.svc.cluster.local`;
  const model: EnvironmentContext = {
    name: env.name,
    sourceFile: located.file,
    spec: env,
    gateway: {
      namespace: env.gateway.namespace,
      name: env.gateway.name,
      publicListener: env.gateway.listener,
      internalListener: 'http',
      publicHost: `agents.${env.cluster.domain}`,
      internalHost: gatewayHost,
      publicPort: AGENTGATEWAY_PROXY.publicPort,
      internalPort: AGENTGATEWAY_PROXY.internalPort,
      proxyPods: { [AGENTGATEWAY_PROXY.gatewayNameLabel]: env.gateway.name },
    },
    telemetry: {
      namespace: env.telemetry.namespace,
      otlpGrpcEndpoint: `http://${collector}:${env.telemetry.otlpGrpcPort}`,
      otlpHttpEndpoint: `http://${collector}:${env.telemetry.otlpHttpPort}`,
      otlpGrpcPort: env.telemetry.otlpGrpcPort,
      otlpHttpPort: env.telemetry.otlpHttpPort,
    },
    kagentNamespace: KAGENT_NAMESPACE,
  };
  const deployed = tenants.filter((t) => t.spec.environments.includes(env.name));
  const resolved = deployed.map((t) => buildTenant(t, model, issues));
  const imageRegistries = [
    ...new Set([
      ...(env.guardrails.imageRegistries.allowed ?? DEFAULT_IMAGE_REGISTRIES),
      ...env.guardrails.imageRegistries.additional,
    ]),
  ];
  const params: Record<string, string> = {
    gatewayNamespace: env.gateway.namespace,
    kagentNamespace: KAGENT_NAMESPACE,
    telemetryNamespace: env.telemetry.namespace,
    // A CEL list literal (JSON strings are CEL strings): the guardrail reads it as a list.
    imageRegistries: JSON.stringify(imageRegistries),
    // The label keys tenant NetworkPolicies admit pods by (allow-waypoint-istiod, allow-kagent):
    // only istiod and kagent may set them, never a tenant's deployment labels.
    reservedPodLabels: JSON.stringify(RESERVED_POD_LABELS),
  };
  return {
    ...model,
    tenants: resolved,
    imageRegistries,
    guardrails: guardrails.map((g) => substituteParams(g, params, issues)),
    guardrailAction: env.guardrails.action,
    exceptions: [
      ...env.guardrails.exceptions.map((e) => ({ ...e, sourceFile: located.file })),
      ...deployed.flatMap((t) =>
        t.spec.policyExceptions.map((e) => ({ ...e, tenant: t.spec.name, sourceFile: t.file })),
      ),
    ],
  };
}

/**
 * Fills `$(name)` in a guardrail's expressions with this environment's values, so one policy
 * file serves every environment. An unknown name is an error in the policy file.
 */
function substituteParams(
  g: Located<GuardrailSpec>,
  params: Record<string, string>,
  issues: SpecIssue[],
): GuardrailSpec {
  const walk = (value: unknown, at: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\(([A-Za-z]+)\)/g, (token, name: string) => {
        if (name in params) return params[name]!;
        issues.push({
          file: g.file,
          path: formatPath(at),
          line: g.lineOf(at),
          message: `unknown parameter ${token}; expected one of: ${Object.keys(params)
            .map((p) => `$(${p})`)
            .join(', ')}`,
        });
        return token;
      });
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...at, k])]));
    return value;
  };
  return walk(g.spec, []) as GuardrailSpec;
}

function buildTenant(
  located: Located<TenantSpec>,
  env: EnvironmentContext,
  issues: SpecIssue[],
): TenantModel {
  const t = located.spec;
  const override = t.overrides[env.name] ?? {};
  const overridePath = ['overrides', env.name];
  const report = (p: readonly PropertyKey[], message: string) =>
    issues.push({
      file: located.file,
      path: formatPath(p),
      line: located.lineOf(p),
      message: `${message} (environment ${env.name})`,
    });

  const quota = { ...env.spec.tenants.defaultQuota, ...t.quota, ...override.quota } as Quota;
  for (const key of QUOTA_KEYS) {
    const max = env.spec.tenants.maxQuota[key];
    if (quota[key] > max) {
      const where =
        override.quota?.[key] !== undefined ? [...overridePath, 'quota', key] : ['quota', key];
      report(
        where,
        `${quota[key]} exceeds the environment maximum tenants.maxQuota.${key} = ${max} in ${env.sourceFile}`,
      );
    }
  }

  // A quota below what the bundle itself runs is absurd: the namespace could never start its
  // own pods. Each workload (every agent, every MCP server, the waypoint) is at least one pod
  // with one container at the LimitRange defaults and one Service; each model one Secret.
  const defaults = env.spec.tenants.containerDefaults;
  const workloads = t.agents.length + t.mcpServers.length + 1;
  const needs: Partial<Record<keyof Quota, number>> = {
    cpu: (workloads * Number(defaults.cpuLimit.slice(0, -1))) / 1000,
    memoryGiB: (workloads * defaults.memoryLimitMiB) / 1024,
    pods: workloads,
    services: workloads,
    // Platform-key models keep their Secret in the gateway namespace.
    secrets: t.models.filter((m) => m.credential.source !== 'platform').length,
  };
  for (const key of QUOTA_KEYS) {
    const need = needs[key];
    if (need === undefined || quota[key] >= need) continue;
    const where =
      override.quota?.[key] !== undefined
        ? [...overridePath, 'quota', key]
        : t.quota[key] !== undefined
          ? ['quota', key]
          : ['quota'];
    report(
      where,
      `${key} ${quota[key]} is below the ${need} the tenant's own ${workloads} workloads (agents, MCP servers, waypoint) need at the environment's container defaults${t.quota[key] === undefined && override.quota?.[key] === undefined ? ` (tenants.defaultQuota.${key} of ${env.sourceFile})` : ''}; raise it`,
    );
  }

  const namespace = t.name;
  const isolation = override.isolation ?? t.isolation;
  const egress: EgressRule[] = (override.egress ?? t.egress).map((e) => ({
    cidr: e.cidr,
    description: e.description,
    // Carve the metadata endpoint out of any range that contains it: node credentials are
    // never a tenant's to reach, whatever CIDR the spec allows.
    except:
      cidrContains(e.cidr, CLOUD_METADATA_CIDR.split('/')[0]!) && e.cidr !== CLOUD_METADATA_CIDR
        ? [CLOUD_METADATA_CIDR]
        : [],
  }));
  egress.forEach((e, i) => {
    if (e.cidr === CLOUD_METADATA_CIDR)
      report(
        [...(override.egress ? overridePath : []), 'egress', i, 'cidr'],
        `${CLOUD_METADATA_CIDR} is the cloud metadata endpoint and can never be allowed`,
      );
  });

  const group = isolation === 'dedicated' ? NODE_GROUPS.dedicated : NODE_GROUPS.agents;
  const scheduling: Scheduling = {
    nodeSelector: group.labels,
    tolerations: [group.taint],
    ...(isolation === 'dedicated' ? { runtimeClassName: SANDBOX_RUNTIME_CLASS } : {}),
  };

  const checkName = (p: readonly PropertyKey[], derived: string) => {
    if (derived.length > MAX_DNS_LABEL) {
      report(
        p,
        `derives the name "${derived}" (${derived.length} characters); Kubernetes allows ${MAX_DNS_LABEL}. Shorten the name`,
      );
    }
  };

  const routeSegment = (alias?: string) => alias ?? namespace;
  const models: ResolvedModel[] = t.models.map((m, i) => {
    const routeName = names.llmRoute(m.name);
    const byok = m.credential.source !== 'platform';
    // A platform key never enters the tenant namespace: its backend and Secret are the
    // gateway's, named after the tenant so tenants cannot collide there.
    const backendName = byok ? names.llmBackend(m.name) : gatewayLlmName(namespace, m.name);
    const secretName = byok ? names.llmSecret(m.name) : gatewayLlmName(namespace, m.name);
    [
      secretName,
      backendName,
      routeName,
      ...(m.expose ? [names.llmPublicRoute(m.name)] : []),
    ].forEach((n) => checkName(['models', i, 'name'], n));
    const path = `${ROUTE_PREFIX.llm}/${namespace}/${m.name}`;
    return {
      name: m.name,
      provider: m.provider,
      modelId: m.model,
      credential:
        m.credential.source === 'platform'
          ? {
              store: env.spec.secrets.platformStore,
              key: `${env.spec.secrets.platformKeyPrefix}/${m.provider}`,
              byok: false,
            }
          : {
              store: env.spec.secrets.tenantStore,
              key: m.credential.key,
              ...(m.credential.property ? { property: m.credential.property } : {}),
              byok: true,
            },
      secretName,
      backendName,
      backendNamespace: byok ? namespace : env.gateway.namespace,
      modelConfigName: names.modelConfig(m.name),
      route: { path, name: routeName },
      ...(m.expose ? { publicRoute: { path, name: names.llmPublicRoute(m.name) } } : {}),
      baseUrl: `http://${env.gateway.internalHost}${path}`,
    };
  });

  const mcpServers: ResolvedMcpServer[] = t.mcpServers.map((s, i) => {
    const sa = names.mcpServiceAccount(s.name);
    checkName(['mcpServers', i, 'name'], sa);
    checkName(['mcpServers', i, 'name'], names.mcpRoute(s.name));
    return {
      name: s.name,
      description: s.description,
      image: s.image,
      port: s.port,
      path: s.path,
      tools: s.tools,
      serviceAccountName: sa,
      ...(s.expose
        ? {
            route: {
              path: `${ROUTE_PREFIX.mcp}/${namespace}/${s.name}`,
              name: names.mcpRoute(s.name),
            },
          }
        : {}),
    };
  });

  const serverTools = new Map(t.mcpServers.map((s) => [s.name, s.tools]));
  const agents: ResolvedAgent[] = t.agents.map((a, i) => {
    const sa = names.agentServiceAccount(a.name);
    checkName(['agents', i, 'name'], sa);
    checkName(['agents', i, 'name'], names.a2aRoute(a.name));
    return {
      name: a.name,
      description: a.description,
      model: a.model,
      modelConfigName: names.modelConfig(a.model),
      systemMessage: a.systemMessage,
      tools: a.tools.map((ref) => ({
        server: ref.server,
        toolNames: ref.tools ?? serverTools.get(ref.server) ?? [],
      })),
      skills: a.skills,
      serviceAccountName: sa,
      ...(a.alias ? { alias: a.alias } : {}),
      ...(a.expose
        ? {
            route: {
              path: `${ROUTE_PREFIX.a2a}/${routeSegment(a.alias)}/${a.name}`,
              name: names.a2aRoute(a.name),
            },
          }
        : {}),
    };
  });

  // HTTPRoute names share the namespace: model `x` exposed makes `llm-x-public`, which is
  // also model `x-public`'s in-cluster route.
  const routeOwners = new Map<string, PropertyKey[]>();
  const claimRoute = (name: string | undefined, p: PropertyKey[]) => {
    if (name === undefined) return;
    const first = routeOwners.get(name);
    if (first)
      report(
        p,
        `derives the HTTPRoute "${name}", as ${formatPath(first)} does; rename one of them`,
      );
    else routeOwners.set(name, p);
  };
  models.forEach((m, i) => {
    claimRoute(m.route.name, ['models', i, 'name']);
    claimRoute(m.publicRoute?.name, ['models', i, 'name']);
  });
  mcpServers.forEach((s, i) => claimRoute(s.route?.name, ['mcpServers', i, 'name']));
  agents.forEach((a, i) => claimRoute(a.route?.name, ['agents', i, 'name']));

  return {
    name: t.name,
    displayName: t.displayName,
    environment: env.name,
    sourceFile: located.file,
    namespace,
    owners: t.owners,
    groups: tenantGroups(t.name, t.owners),
    isolation,
    quota,
    egress,
    labels: {
      [LABELS.tenant]: t.name,
      [LABELS.environment]: env.name,
      [LABELS.isolation]: isolation,
      [LABELS.managedBy]: MANAGED_BY,
      [LABELS.partOf]: 'agentic-platform',
    },
    waypointName: names.waypoint(),
    routeAliases: [
      ...new Set(agents.flatMap((a) => (a.alias && a.alias !== namespace ? [a.alias] : []))),
    ].sort(),
    scheduling,
    models,
    mcpServers,
    agents,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
