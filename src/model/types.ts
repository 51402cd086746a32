import type { TenantGroups } from './identity';
import type { EnvironmentSpec, GuardrailSpec, IsolationTier, ModelProvider, Quota } from '../spec';
import type { NodeTaint } from './conventions';

/** A route on the central gateway, derived once. */
export interface GatewayRoute {
  /** Path prefix, e.g. `/a2a/acme/triage`. */
  readonly path: string;
  /** HTTPRoute name inside the tenant namespace. */
  readonly name: string;
}

export interface Scheduling {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly NodeTaint[];
  /** Set for the dedicated tier only. */
  readonly runtimeClassName?: string;
}

export interface LlmCredential {
  /** ClusterSecretStore the ExternalSecret reads from. */
  readonly store: string;
  /** Secret name in the provider (Secrets Manager). */
  readonly key: string;
  readonly property?: string;
  readonly byok: boolean;
}

export interface ResolvedModel {
  readonly name: string;
  readonly provider: ModelProvider;
  readonly modelId: string;
  readonly credential: LlmCredential;
  /** Secret (written by external-secrets) holding the key; read by the gateway only. */
  readonly secretName: string;
  readonly backendName: string;
  /**
   * Where the backend and its Secret live: the tenant's namespace for a tenant-owned key
   * (BYOK), the gateway's for a platform key, so no tenant workload can mount the platform's
   * key. The tenant's routes reach a gateway-namespace backend through a ReferenceGrant.
   */
  readonly backendNamespace: string;
  readonly modelConfigName: string;
  /** Route on the gateway's in-cluster listener that the tenant's agents call. */
  readonly route: GatewayRoute;
  /**
   * The same path on the public listener, when the model is exposed: a separate route so the
   * in-cluster one keeps its mesh-identity check and the public one gets API-key auth.
   */
  readonly publicRoute?: GatewayRoute;
  /** OpenAI-compatible base URL of the route, in-cluster. */
  readonly baseUrl: string;
}

export interface ResolvedMcpServer {
  readonly name: string;
  readonly description: string;
  readonly image: string;
  readonly port: number;
  readonly path: string;
  readonly tools: readonly string[];
  readonly serviceAccountName: string;
  readonly route?: GatewayRoute;
}

export interface ResolvedAgentTool {
  readonly server: string;
  readonly toolNames: readonly string[];
}

export interface ResolvedSkill {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly examples: readonly string[];
}

export interface ResolvedAgent {
  readonly name: string;
  readonly description: string;
  readonly modelConfigName: string;
  readonly model: string;
  readonly systemMessage: string;
  readonly tools: readonly ResolvedAgentTool[];
  readonly skills: readonly ResolvedSkill[];
  readonly serviceAccountName: string;
  readonly alias?: string;
  readonly route?: GatewayRoute;
}

export interface EgressRule {
  readonly cidr: string;
  readonly description: string;
  /** Addresses carved out of `cidr` (the cloud metadata endpoint when inside it). */
  readonly except: readonly string[];
}

/** One tenant as deployed in one environment: overrides applied, every name derived. */
export interface TenantModel {
  readonly name: string;
  readonly displayName: string;
  readonly environment: string;
  /** The spec file, relative to the repository root. */
  readonly sourceFile: string;
  readonly namespace: string;
  readonly owners: readonly string[];
  /** The tenant's role tree (admins, developers incl. the spec's owners, viewers). */
  readonly groups: TenantGroups;
  readonly isolation: IsolationTier;
  readonly quota: Quota;
  readonly egress: readonly EgressRule[];
  /** Labels every object of the bundle carries. */
  readonly labels: Readonly<Record<string, string>>;
  readonly waypointName: string;
  /** Route segments besides the namespace that this tenant owns (agent aliases), sorted. */
  readonly routeAliases: readonly string[];
  readonly scheduling: Scheduling;
  readonly models: readonly ResolvedModel[];
  readonly mcpServers: readonly ResolvedMcpServer[];
  readonly agents: readonly ResolvedAgent[];
}

export interface GatewayModel {
  readonly namespace: string;
  readonly name: string;
  /** Listener on the public hostname. */
  readonly publicListener: string;
  /** Listener in-cluster workloads use (plain HTTP inside the mesh; ambient adds mTLS). */
  readonly internalListener: string;
  readonly publicHost: string;
  readonly internalHost: string;
  /** Port of the public listener, on the Service and on the proxy pods. */
  readonly publicPort: number;
  /** Port of the in-cluster listener, on the Service and on the proxy pods. */
  readonly internalPort: number;
  /** Labels of the proxy pods (not the controller's): NetworkPolicies admit only them. */
  readonly proxyPods: Readonly<Record<string, string>>;
}

export interface TelemetryModel {
  readonly namespace: string;
  readonly otlpGrpcEndpoint: string;
  readonly otlpHttpEndpoint: string;
  readonly otlpGrpcPort: number;
  readonly otlpHttpPort: number;
}

/** A guardrail exemption as it applies in one environment. */
export interface ResolvedException {
  readonly policy: string;
  readonly justification: string;
  /** Last day it holds, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
  /** `Kind/name` of the exempted objects; every object in scope when absent. */
  readonly resources?: readonly string[];
  /** Set for a tenant's exception: it covers only that tenant's namespace. */
  readonly tenant?: string;
  /** Spec file that declared it. */
  readonly sourceFile: string;
}

/** Everything one environment synthesizes from. Immutable. */
export interface EnvironmentModel {
  readonly name: string;
  readonly sourceFile: string;
  readonly spec: EnvironmentSpec;
  readonly gateway: GatewayModel;
  readonly telemetry: TelemetryModel;
  readonly kagentNamespace: string;
  readonly tenants: readonly TenantModel[];
  /** Guardrails with this environment's values filled in (`$(gatewayNamespace)` …). */
  readonly guardrails: readonly GuardrailSpec[];
  /**
   * Registries (host with optional path prefix) whose images may run here: the spec's
   * `guardrails.imageRegistries.allowed` (or the default) plus `additional`, in that order.
   */
  readonly imageRegistries: readonly string[];
  /** What the cluster does on a violation (Kyverno validationActions). */
  readonly guardrailAction: 'Audit' | 'Deny';
  readonly exceptions: readonly ResolvedException[];
}

/** The facts about an environment a tenant is resolved against (everything but the lists). */
export type EnvironmentContext = Omit<
  EnvironmentModel,
  'tenants' | 'guardrails' | 'guardrailAction' | 'exceptions' | 'imageRegistries'
>;

/**
 * Everything an environment's own objects (the layers' environment parts: Terraform, add-ons,
 * platform folders, policies) read about its tenants: a few facts, not the list. Any other
 * tenant field cannot reach them (`environmentShared` hands over no list), so a change to a
 * tenant that keeps these facts leaves every environment part's bytes alone, and synth can
 * cache them by exactly these facts (synth-units.ts).
 */
export interface TenantFacts {
  /** Tenants deployed to the environment (Argo CD is sized by it). */
  readonly count: number;
  /** Their namespaces, sorted. */
  readonly namespaces: readonly string[];
  /** Their waypoint names, each once, sorted. */
  readonly waypoints: readonly string[];
  /** Whether any tenant runs agents (kagent's controller API opens to agent pods). */
  readonly anyAgents: boolean;
  /** Whether any tenant runs in the gVisor sandbox (the RuntimeClass exists only then). */
  readonly anySandboxed: boolean;
  /** Whether any tenant is `dedicated` (the dedicated node group exists only then). */
  readonly anyDedicated: boolean;
}

/** An environment as its own objects see it: everything but the tenant list, plus its facts. */
export type EnvironmentShared = Omit<EnvironmentModel, 'tenants'> & {
  readonly tenantFacts: TenantFacts;
};

export interface PlatformModel {
  readonly environments: readonly EnvironmentModel[];
}
