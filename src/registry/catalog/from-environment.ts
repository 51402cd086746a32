import { tenantManagerGroups } from '../../model/identity';
import { createHash } from 'node:crypto';
import type { EnvironmentModel } from '../../model/types';
import { canonicalJson } from '@agentic-platform/agent-registry/canonical-json';
import { REGISTRY_GATEWAY_PREFIX } from '@agentic-platform/agent-registry/constants';
import { keycloakIssuer, keycloakJwksUrl } from '@agentic-platform/agent-registry/catalog/identity';
import type {
  Catalog,
  CatalogAgent,
  CatalogMcpServer,
  CatalogModel,
} from '@agentic-platform/agent-registry/catalog/schema';

const byTenantThenName = <T extends { tenant: string; name: string }>(a: T, b: T) =>
  a.tenant === b.tenant ? cmp(a.name, b.name) : cmp(a.tenant, b.tenant);
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

/**
 * The catalog of one environment: every tenant, agent, MCP server and model with its public
 * gateway URL. Pure and deterministic (sorted, no clock), so the ConfigMap it becomes is
 * byte-identical on every synth.
 */
export function catalogFromEnvironment(env: EnvironmentModel): Catalog {
  const host = env.gateway.publicHost;
  const base = `https://${host}`;
  const registryUrl = `${base}${REGISTRY_GATEWAY_PREFIX}`;
  const issuer = keycloakIssuer(env.spec.cluster.domain);
  const tenants = [...env.tenants].sort((a, b) => cmp(a.name, b.name));

  const agents: CatalogAgent[] = [];
  const mcpServers: CatalogMcpServer[] = [];
  const models: CatalogModel[] = [];
  for (const t of tenants) {
    for (const a of t.agents) {
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
      agents.push({ ...entry, version: digest(entry) });
    }
    for (const s of t.mcpServers) {
      mcpServers.push({
        tenant: t.name,
        name: s.name,
        description: s.description,
        version: imageVersion(s.image),
        image: s.image,
        tools: [...s.tools],
        registryName: `${reverseDns(host)}/${t.name}.${s.name}`,
        ...(s.route ? { route: { path: s.route.path, url: `${base}${s.route.path}` } } : {}),
      });
    }
    for (const m of t.models) {
      models.push({
        tenant: t.name,
        name: m.name,
        provider: m.provider,
        modelId: m.modelId,
        exposed: m.publicRoute !== undefined,
        path: m.route.path,
        internalUrl: m.baseUrl,
        ...(m.publicRoute ? { url: `${base}${m.publicRoute.path}` } : {}),
      });
    }
  }
  return {
    schemaVersion: 1,
    environment: env.name,
    domain: env.spec.cluster.domain,
    gateway: { publicHost: host, baseUrl: base },
    registryUrl,
    identity: { issuer, jwksUrl: keycloakJwksUrl(issuer) },
    tenants: tenants.map((t) => ({
      name: t.name,
      displayName: t.displayName,
      namespace: t.namespace,
      // Who may manage the tenant's keys: its admins and developers (the role tree, src/model/identity.ts).
      owners: tenantManagerGroups(t.groups),
      isolation: t.isolation,
    })),
    agents: agents.sort(byTenantThenName),
    mcpServers: mcpServers.sort(byTenantThenName),
    models: models.sort(byTenantThenName),
  };
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 12);
}
