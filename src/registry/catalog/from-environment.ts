import { createHash } from 'node:crypto';
import { tenantManagerGroups } from '../../model/identity';
import type { EnvironmentContext, EnvironmentModel, TenantModel } from '../../model/types';
import { assembleCatalog } from '@agentic-platform/agent-registry/catalog/assemble';
import { canonicalJson } from '@agentic-platform/agent-registry/canonical-json';
import { REGISTRY_GATEWAY_PREFIX } from '@agentic-platform/agent-registry/constants';
import { keycloakIssuer, keycloakJwksUrl } from '@agentic-platform/agent-registry/catalog/identity';
import type {
  Catalog,
  CatalogAgent,
  CatalogMcpServer,
  CatalogModel,
  EnvironmentCatalog,
  TenantCatalog,
} from '@agentic-platform/agent-registry/catalog/schema';

const byName = <T extends { name: string }>(a: T, b: T) => cmp(a.name, b.name);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `agents.dev.example.com` → `com.example.dev.agents`: the MCP registry's name namespace. */
export function reverseDns(host: string): string {
  return host.split('.').reverse().join('.');
}

/** The tag of a pinned image, or the first 12 hex digits of its digest. */
export function imageVersion(image: string): string {
  const digest = /@sha256:([a-f0-9]{12})/.exec(image);
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon > 0) return withoutDigest.slice(colon + 1);
  return digest ? `sha256-${digest[1]}` : '0.0.0';
}

/** The catalog of one environment, split the way it is delivered. */
export interface CatalogParts {
  /** No tenant data: its ConfigMap does not change when a tenant does. */
  readonly environment: EnvironmentCatalog;
  /** One a tenant, sorted by name: each becomes that tenant's own ConfigMap. */
  readonly tenants: readonly TenantCatalog[];
}

/**
 * The catalog of one environment: every tenant, agent, MCP server and model with its public
 * gateway URL, as an environment part and one part a tenant. Pure and deterministic (sorted,
 * no clock), so the ConfigMaps are byte-identical on every synth, and a tenant's part depends
 * on that tenant and the environment only.
 */
export function catalogPartsFromEnvironment(env: EnvironmentModel): CatalogParts {
  const tenants = [...env.tenants].sort((a, b) => cmp(a.name, b.name));
  return {
    environment: environmentCatalog(env),
    tenants: tenants.map((t) => tenantCatalog(env, t)),
  };
}

/** The environment's part of the catalog: gateway, registry URL, identity; no tenant data. */
export function environmentCatalog(env: EnvironmentContext): EnvironmentCatalog {
  const host = env.gateway.publicHost;
  const base = `https://${host}`;
  const issuer = keycloakIssuer(env.spec.cluster.domain);
  return {
    schemaVersion: 1,
    environment: env.name,
    domain: env.spec.cluster.domain,
    gateway: { publicHost: host, baseUrl: base },
    registryUrl: `${base}${REGISTRY_GATEWAY_PREFIX}`,
    identity: { issuer, jwksUrl: keycloakJwksUrl(issuer) },
  };
}

/** One tenant's part of the catalog, from that tenant and the environment's context alone. */
export function tenantCatalog(env: EnvironmentContext, t: TenantModel): TenantCatalog {
  const host = env.gateway.publicHost;
  const base = `https://${host}`;
  const registryUrl = `${base}${REGISTRY_GATEWAY_PREFIX}`;
  const agents: CatalogAgent[] = t.agents.map((a) => {
    const entry: Omit<CatalogAgent, 'version'> = {
      tenant: t.name,
      name: a.name,
      description: a.description,
      model: a.model,
      skills: a.skills.map((s) => ({ ...s, tags: [...s.tags], examples: [...s.examples] })),
      tools: a.tools.map((x) => ({ server: x.server, toolNames: [...x.toolNames] })),
      ...(a.route
        ? {
            route: { path: a.route.path, url: `${base}${a.route.path}` },
            cardUrl: `${registryUrl}${a.route.path}/.well-known/agent-card.json`,
          }
        : {}),
    };
    return { ...entry, version: digest(entry) };
  });
  const mcpServers: CatalogMcpServer[] = t.mcpServers.map((s) => ({
    tenant: t.name,
    name: s.name,
    description: s.description,
    version: imageVersion(s.image),
    image: s.image,
    tools: [...s.tools],
    registryName: `${reverseDns(host)}/${t.name}.${s.name}`,
    ...(s.route ? { route: { path: s.route.path, url: `${base}${s.route.path}` } } : {}),
  }));
  const models: CatalogModel[] = t.models.map((m) => ({
    tenant: t.name,
    name: m.name,
    provider: m.provider,
    modelId: m.modelId,
    exposed: m.publicRoute !== undefined,
    path: m.route.path,
    internalUrl: m.baseUrl,
    ...(m.publicRoute ? { url: `${base}${m.publicRoute.path}` } : {}),
  }));
  return {
    schemaVersion: 1,
    environment: env.name,
    tenant: {
      name: t.name,
      displayName: t.displayName,
      namespace: t.namespace,
      // Who may manage the tenant's keys: its admins and developers (the role tree, src/model/identity.ts).
      owners: tenantManagerGroups(t.groups),
      isolation: t.isolation,
    },
    agents: agents.sort(byName),
    mcpServers: mcpServers.sort(byName),
    models: models.sort(byName),
  };
}

/** The whole catalog as the service assembles it from the parts (tests, benchmarks). */
export function catalogFromEnvironment(env: EnvironmentModel): Catalog {
  const parts = catalogPartsFromEnvironment(env);
  return assembleCatalog(
    { value: parts.environment, source: `${env.name} environment` },
    parts.tenants.map((t) => ({ value: t, source: `${env.name}/${t.tenant.name}` })),
  );
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 12);
}
