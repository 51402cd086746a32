import { z } from 'zod';

const name = z.string().min(1).max(63);
const publicRoute = z.strictObject({
  /** Path on the central gateway, e.g. `/a2a/acme/triage`. */
  path: z.string().startsWith('/'),
  /** `https://<gateway public host><path>`. */
  url: z.url(),
});

export const catalogTenantSchema = z.strictObject({
  name,
  displayName: z.string(),
  namespace: name,
  /** Keycloak groups that own the tenant and may manage its API keys. */
  owners: z.array(z.string()).min(1),
  isolation: z.enum(['shared', 'dedicated']),
});

export const catalogSkillSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  examples: z.array(z.string()),
});

export const catalogAgentSchema = z.strictObject({
  tenant: name,
  name,
  description: z.string(),
  /** Content digest of this entry: changes exactly when the agent's card changes. */
  version: z.string(),
  model: name,
  skills: z.array(catalogSkillSchema),
  tools: z.array(z.strictObject({ server: name, toolNames: z.array(z.string()) })),
  /** Set when the agent is published on the gateway. */
  route: publicRoute.optional(),
  /** Public URL of the agent's A2A card on the registry, when published. */
  cardUrl: z.url().optional(),
});

export const catalogMcpServerSchema = z.strictObject({
  tenant: name,
  name,
  description: z.string(),
  /** Image tag (or digest) of the server: the server.json `version`. */
  version: z.string(),
  image: z.string(),
  tools: z.array(z.string()),
  /** `<reverse DNS of the gateway host>/<tenant>.<server>`, the MCP registry name. */
  registryName: z.string(),
  route: publicRoute.optional(),
});

export const catalogModelSchema = z.strictObject({
  tenant: name,
  name,
  provider: z.string(),
  modelId: z.string(),
  exposed: z.boolean(),
  path: z.string().startsWith('/'),
  /** OpenAI-compatible base URL inside the cluster (agents of the tenant use it). */
  internalUrl: z.url(),
  /** Public URL, when the model is exposed. */
  url: z.url().optional(),
});

const environmentFields = {
  schemaVersion: z.literal(1),
  environment: name,
  domain: z.string(),
  gateway: z.strictObject({ publicHost: z.string(), baseUrl: z.url() }),
  /** Public base URL of this registry on the gateway. */
  registryUrl: z.url(),
  identity: z.strictObject({ issuer: z.url(), jwksUrl: z.url() }),
};

/**
 * The environment's part of the catalog, with no tenant data: one ConfigMap labelled
 * `platform.agentic.io/registry-catalog: environment`, so it does not grow with tenants.
 */
export const environmentCatalogSchema = z.strictObject(environmentFields);

/**
 * One tenant's part of the catalog: its own ConfigMap labelled
 * `platform.agentic.io/registry-catalog: tenant` and `platform.agentic.io/tenant: <name>`,
 * so a tenant change rewrites only that object. Every entry names this tenant.
 */
export const tenantCatalogSchema = z.strictObject({
  schemaVersion: z.literal(1),
  environment: name,
  tenant: catalogTenantSchema,
  agents: z.array(catalogAgentSchema),
  mcpServers: z.array(catalogMcpServerSchema),
  models: z.array(catalogModelSchema),
});

/**
 * The catalog: what exists in one environment and where. The service assembles it from the
 * environment part and every tenant part (`assembleCatalog`) and serves it from memory.
 */
export const catalogSchema = z.strictObject({
  ...environmentFields,
  tenants: z.array(catalogTenantSchema),
  agents: z.array(catalogAgentSchema),
  mcpServers: z.array(catalogMcpServerSchema),
  models: z.array(catalogModelSchema),
});

export type Catalog = z.infer<typeof catalogSchema>;
export type EnvironmentCatalog = z.infer<typeof environmentCatalogSchema>;
export type TenantCatalog = z.infer<typeof tenantCatalogSchema>;
export type CatalogTenant = z.infer<typeof catalogTenantSchema>;
export type CatalogAgent = z.infer<typeof catalogAgentSchema>;
export type CatalogMcpServer = z.infer<typeof catalogMcpServerSchema>;
export type CatalogModel = z.infer<typeof catalogModelSchema>;
