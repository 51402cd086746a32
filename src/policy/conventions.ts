/**
 * What the Kyverno conventions match on and write, beside src/model/conventions.ts (labels,
 * node groups, route prefixes). Each value names the upstream source it was read from, so a
 * version bump of kagent, kmcp or agentgateway says which line to re-check.
 */

/**
 * How kagent marks the objects it renders for an Agent (kagent v0.9.12,
 * go/core/internal/controller/translator/agent/manifest_builder.go): Deployment, pod template
 * and Service all carry the selector labels `app: kagent` and `kagent: <agent name>`
 * (newManifestContext), the Service copies the Agent's annotations (objectMeta), the agent
 * runtime container is named `kagent` and the Service port `http` (buildWorkloadObjects).
 * kagent's own Helm-installed pods use `app.kubernetes.io/*` labels only (helm/kagent
 * templates/_helpers.tpl), so they never match.
 */
export const KAGENT_AGENT = {
  appLabel: 'app',
  appValue: 'kagent',
  /** Label key whose value is the Agent's name. */
  agentLabel: 'kagent',
  container: 'kagent',
  servicePort: 'http',
} as const;

/**
 * Service `appProtocol` values agentgateway reads (agentgateway v1.4.1).
 *
 * - A2A: `agentgateway.dev/a2a`, with `kgateway.dev/a2a` still accepted as legacy
 *   (controller/pkg/agentgateway/plugins/a2a_plugin.go:19-20). kagent v0.9.12 writes the
 *   legacy value, and only for Agents with `a2aConfig` (manifest_builder.go, buildWorkloadObjects).
 * - MCP: `agentgateway.dev/mcp`, legacy `kgateway.dev/mcp`
 *   (controller/pkg/syncer/backend/mcp.go:23,29). kmcp v0.3.0 writes the legacy value on every
 *   MCPServer Service (pkg/controller/transportadapter/transportadapter_translator.go:29).
 */
export const APP_PROTOCOL = {
  a2a: 'agentgateway.dev/a2a',
  a2aLegacy: 'kgateway.dev/a2a',
  mcp: 'agentgateway.dev/mcp',
  mcpLegacy: 'kgateway.dev/mcp',
} as const;

/**
 * Path the generated MCP route rewrites to: kmcp's transport adapter serves streamable HTTP on
 * `/mcp` (kmcp v0.3.0 transportadapter_translator.go:624), the tenant spec's default path too.
 */
export const MCP_SERVICE_PATH = '/mcp';

/** Environment the trace-propagation convention gives agent runtimes. */
export const TRACE_ENV = {
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  propagators: 'OTEL_PROPAGATORS',
  /** W3C trace context plus baggage. */
  propagatorsValue: 'tracecontext,baggage',
  /**
   * kagent's ADK runtime talks to models through aiohttp, which the OpenTelemetry httpx
   * instrumentation does not see; switching it off keeps the trace context on outgoing calls.
   */
  disableAiohttp: 'DISABLE_AIOHTTP_TRANSPORT',
  disableAiohttpValue: 'True',
} as const;

/** The convention policies by name: one Kyverno CLI suite a name under test/kyverno/. */
export const CONVENTION_POLICIES = {
  platformScheduling: 'platform-scheduling',
  tenantScheduling: 'tenant-scheduling',
  tenantSchedulingDedicated: 'tenant-scheduling-dedicated',
  autoExpose: 'auto-expose',
  tracePropagation: 'traceprop',
  a2aAppProtocol: 'appprotocol',
} as const;

/** Prefix of HTTPRoutes the auto-expose convention generates (`expose-a2a-<service>`). */
export const EXPOSED_ROUTE_PREFIX = 'expose';
