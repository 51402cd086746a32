/**
 * The platform's naming and labelling contract, in one place. Constructs, policies, the
 * cluster stack and the registry read these; nothing spells a label key or taint twice.
 */

/** Labels and annotations the platform owns (prefix `platform.agentic.io/`). */
export const LABELS = {
  tenant: 'platform.agentic.io/tenant',
  isolation: 'platform.agentic.io/isolation',
  environment: 'platform.agentic.io/environment',
  managedBy: 'app.kubernetes.io/managed-by',
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  name: 'app.kubernetes.io/name',
  /**
   * On a Namespace: `"true"` lets its HTTPRoutes attach to the central gateway's tenant
   * listeners (tenant namespaces and the registry's). Platform-owned, like the Namespace.
   */
  gatewayRoutes: 'platform.agentic.io/gateway-routes',
  /**
   * On an HTTPRoute: how the gateway authenticates callers. `api-key` routes (everything a
   * tenant publishes) are selected by the tenant's ext-authz AgentgatewayPolicy, so a route
   * generated later by the auto-expose convention is covered without naming it anywhere.
   */
  routeAuth: 'platform.agentic.io/route-auth',
  /** On a ConfigMap in Keycloak's namespace: a part of the realm (`tenant`) the convergence Job applies. */
  realmPart: 'platform.agentic.io/realm-part',
} as const;

/** Values of LABELS.routeAuth. */
export const ROUTE_AUTH = {
  /** Checked by the agent registry's ext-authz endpoint (API key or owner token). */
  apiKey: 'api-key',
} as const;

export const ANNOTATIONS = {
  /** Set on an Agent/MCP server Service to publish it on the central gateway. */
  expose: 'platform.agentic.io/expose',
  /** Replaces the namespace segment of the published route. */
  exposeAlias: 'platform.agentic.io/expose-alias',
  /** The spec file a generated object came from. */
  source: 'platform.agentic.io/source',
  /** On a tenant Namespace: route aliases the tenant owns (comma-separated), for the route guardrail. */
  routeAliases: 'platform.agentic.io/route-aliases',
} as const;

export const MANAGED_BY = 'agentic-platform';

/**
 * Name of a platform-key model's backend and Secret in the gateway namespace. The tenant is
 * part of the name because every tenant's platform-key backends share that namespace; the
 * spec's derived-name check refuses the rare pair of tenants and models that would collide.
 */
export const gatewayLlmName = (tenant: string, model: string): string => `${tenant}-llm-${model}`;

/**
 * Gateway API's label for the pods a controller runs for a Gateway, with the Gateway's name:
 * agentgateway's deployer puts it on the proxy pods, istiod on a waypoint's.
 */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * The central gateway's data plane as agentgateway 1.4.1's deployer renders it for a Gateway
 * (controller/pkg/helm/agentgateway/templates: _helpers.tpl, service.yaml; values_helpers.go).
 */
export const AGENTGATEWAY_PROXY = {
  /**
   * Label on the proxy pods (selectorLabels), with the Gateway's name; the controller's own pods
   * do not carry it.
   */
  gatewayNameLabel: GATEWAY_NAME_LABEL,
  /**
   * Listener ports. The deployer makes each Service port's targetPort the listener port itself
   * (AppendPortValue), and the proxy binds it (net.ipv4.ip_unprivileged_port_start 0), so the
   * pods receive traffic on these numbers.
   */
  publicPort: 443,
  internalPort: 80,
} as const;

/** Istio ambient enrolment labels (istio/api label/labels.yaml, 1.30). */
export const ISTIO = {
  dataplaneMode: 'istio.io/dataplane-mode',
  useWaypoint: 'istio.io/use-waypoint',
  waypointFor: 'istio.io/waypoint-for',
  /** Istio's own Envoy waypoint class; agentgateway waypoints need Istio >= 1.31. */
  waypointClass: 'istio-waypoint',
  /** HBONE: the ambient mesh tunnel port between ztunnels and waypoints. */
  hbonePort: 15008,
  /** Where the istio add-on installs istiod (IstioAddon's default namespace). */
  namespace: 'istio-system',
  /** istiod's pods (istiod chart templates/deployment.yaml, pod label `app`). */
  istiodPods: { app: 'istiod' },
  /**
   * istiod's XDS and CA port (container port tls-xds; the Service maps 15012 to it). Waypoints
   * dial it for configuration and certificates (files/waypoint.yaml CA_ADDR, configmap.yaml
   * discoveryAddress).
   */
  xdsPort: 15012,
  /**
   * Label istiod puts on the pods of the Deployment it creates for a Gateway, a waypoint's
   * included, with the Gateway's name (istiod chart files/waypoint.yaml, pod template labels).
   */
  gatewayNameLabel: GATEWAY_NAME_LABEL,
} as const;

/** Pod Security Admission labels, all at `restricted`. */
export const POD_SECURITY = {
  enforce: 'pod-security.kubernetes.io/enforce',
  audit: 'pod-security.kubernetes.io/audit',
  warn: 'pod-security.kubernetes.io/warn',
  level: 'restricted',
} as const;

/** Namespace labels that enforce, audit and warn on Pod Security `restricted`. */
export const RESTRICTED_POD_SECURITY_LABELS: Readonly<Record<string, string>> = {
  [POD_SECURITY.enforce]: POD_SECURITY.level,
  [POD_SECURITY.audit]: POD_SECURITY.level,
  [POD_SECURITY.warn]: POD_SECURITY.level,
};

export type NodeGroupName = 'platform' | 'agents' | 'gateway' | 'dedicated';

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule';
}

/**
 * The node groups and how a pod lands on one: the EKS node group gets `labels` and `taint`,
 * a pod gets `labels` as nodeSelector and a toleration of `taint`. One definition for both
 * sides, so the cluster stack and the manifests cannot disagree.
 */
export const NODE_GROUPS: Readonly<
  Record<NodeGroupName, { labels: Readonly<Record<string, string>>; taint: NodeTaint }>
> = {
  platform: {
    labels: { workload: 'platform' },
    taint: { key: 'workload', value: 'platform', effect: 'NoSchedule' },
  },
  agents: {
    labels: { workload: 'agents' },
    taint: { key: 'workload', value: 'agents', effect: 'NoSchedule' },
  },
  gateway: {
    labels: { workload: 'gateway' },
    taint: { key: 'workload', value: 'gateway', effect: 'NoSchedule' },
  },
  dedicated: {
    labels: { workload: 'dedicated' },
    taint: { key: 'workload', value: 'dedicated', effect: 'NoSchedule' },
  },
};

/** RuntimeClass of the gVisor sandbox the dedicated tier runs agent pods in. */
export const SANDBOX_RUNTIME_CLASS = 'gvisor';
/** CRI runtime handler of that RuntimeClass: gVisor's runsc, installed on SANDBOX_NODE_GROUP. */
export const SANDBOX_RUNTIME_HANDLER = 'runsc';
/** The node group whose nodes install the sandbox handler and that the RuntimeClass selects. */
export const SANDBOX_NODE_GROUP: NodeGroupName = 'dedicated';

/** The ClusterRole the platform layer defines; tenant owners are bound to it per namespace. */
export const TENANT_DEVELOPER_ROLE = 'tenant-agent-developer';

/**
 * The cluster's Service IP range, set explicitly on EKS (one of the two EKS picks by default)
 * so that tenant egress rules and the VPC range can be checked against it.
 */
export const KUBERNETES_SERVICE_CIDR = '172.20.0.0/16';

/** Instance metadata endpoint: tenant pods must never reach node credentials. */
export const CLOUD_METADATA_CIDR = '169.254.169.254/32';

/** How kagent 0.9.12's pods are labelled, for policies that admit exactly them. */
export const KAGENT_PODS = {
  /** On every agent pod kagent runs (translator/agent/manifest_builder.go selectorLabels). */
  agent: { app: 'kagent' },
  /** Agent pods also carry `kagent: <Agent name>`. */
  agentNameLabel: 'kagent',
  /** The chart's controller pods (templates/_helpers.tpl kagent.controller.selectorLabels). */
  controller: { 'app.kubernetes.io/name': 'kagent', 'app.kubernetes.io/component': 'controller' },
} as const;

/**
 * The header kagent 0.9.12's agent runtime takes as the user it acts for (kagent-core
 * a2a/_requests.py KAgentRequestContextBuilder, then sent on to the controller as X-User-Id).
 */
export const KAGENT_USER_HEADER = 'x-user-id';

/**
 * Pod label keys tenant NetworkPolicies select pods by to open a path out of the namespace:
 * the waypoint's (istiod sets it on the waypoint pods) and the agents' (kagent sets it on the
 * agent pods). The `tenant-reserved-pod-labels` guardrail refuses them in tenant-written
 * deployment labels, which kmcp and kagent copy onto pods.
 */
export const RESERVED_POD_LABELS: readonly string[] = [
  ISTIO.gatewayNameLabel,
  KAGENT_PODS.agentNameLabel,
];

/**
 * Namespaces Kubernetes (or EKS) owns: the platform deploys a few objects there (CRD-only
 * Applications default to `default`, cert-manager and kube-prometheus-stack put Roles and
 * Services in kube-system) but runs none of its own pods there.
 */
export const KUBERNETES_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/**
 * kube-prometheus-stack's Prometheus: its namespace and the service account the chart gives
 * the Prometheus pods (prometheus-kube-prometheus-stack-prometheus, rendered 88.5.3), whose
 * SPIFFE identity is `cluster.local/ns/<namespace>/sa/<serviceAccount>`.
 */
export const PROMETHEUS = {
  namespace: 'monitoring',
  serviceAccount: 'kube-prometheus-stack-prometheus',
} as const;

/** Ports of the components tenant workloads talk to. */
export const PORTS = {
  dns: 53,
  https: 443,
  /** kagent's agent runtime serves A2A here (Service of each Agent). */
  a2a: 8080,
  /** kagent controller API the agent runtime calls. */
  kagentController: 8083,
} as const;

/** Route prefixes on the central gateway. */
export const ROUTE_PREFIX = { a2a: '/a2a', mcp: '/mcp', llm: '/llm' } as const;

/**
 * The image registries an environment allows when its spec does not list its own
 * (`guardrails.imageRegistries.allowed`), enforced by the `images-allowed-registries`
 * guardrail on every pod of the cluster, add-ons included. Kept here rather than in each
 * environments/*.yaml so a new add-on's registry is added once; an environment narrows the
 * list with `allowed` or extends it with `additional`.
 *
 * Shared registries (Docker Hub, ghcr.io, quay.io, ECR Public) are allowed per organisation,
 * since anyone can publish there; a vendor's own registry is allowed whole. `npm run check`
 * fails on a dist/ image outside the list and `npm run render:addons` on an add-on image.
 */
export const PLATFORM_IMAGE_REGISTRIES = [
  // Platform workloads in dist/: the agent registry; node (Keycloak realm convergence) and
  // postgres (database bootstrap) from Docker Hub's official images.
  'ghcr.io/example-org',
  'docker.io/library',
  // Add-on charts (vendor/charts, as `npm run render:addons` renders them) and the pods their
  // controllers start: agentgateway proxies, kagent agent runtimes and skills-init, Istio
  // waypoints (proxyv2), CloudNativePG's postgresql, ClickHouse server and keeper, Prometheus
  // and Alertmanager with the config reloader.
  'cr.agentgateway.dev',
  'cr.kagent.dev',
  'docker.io/clickhouse',
  'docker.io/grafana',
  'docker.io/istio',
  'docker.langfuse.com',
  'ecr-public.aws.com/docker/library',
  'ghcr.io/clickhouse',
  'ghcr.io/cloudnative-pg',
  'ghcr.io/external-secrets',
  'ghcr.io/jkroepke',
  'ghcr.io/kagent-dev',
  'ghcr.io/kyverno',
  'ghcr.io/open-telemetry',
  'quay.io/argoproj',
  'quay.io/jetstack',
  'quay.io/keycloak',
  'quay.io/kiwigrid',
  'quay.io/prometheus',
  'quay.io/prometheus-operator',
  'reg.kyverno.io',
  'registry.k8s.io',
] as const;

/** Registries of the example tenants' MCP server images (tenants/*.yaml). */
export const EXAMPLE_TENANT_IMAGE_REGISTRIES = [
  'ghcr.io/acme-corp',
  'registry.initech.example',
] as const;

/** Default of `guardrails.imageRegistries.allowed`: the platform's and the examples' registries. */
export const DEFAULT_IMAGE_REGISTRIES: readonly string[] = [
  ...PLATFORM_IMAGE_REGISTRIES,
  ...EXAMPLE_TENANT_IMAGE_REGISTRIES,
];
