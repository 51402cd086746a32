import { InputError, NotFoundError } from '../errors.js';
import type {
  Catalog,
  CatalogAgent,
  CatalogMcpServer,
  CatalogModel,
  CatalogTenant,
} from './schema.js';

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

export interface ListOptions {
  readonly tenant?: string;
  /** Case-insensitive substring of name, description or tenant. */
  readonly q?: string;
  readonly cursor?: string;
  readonly limit: number;
}

type Keyed = { readonly key: string; readonly text: string; readonly tenant: string };

/** Opaque cursor: the sort key of the last item returned. */
export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(key) !== cursor) {
    throw new InputError(`cursor "${cursor}" was not issued by this registry; start without one`);
  }
  return key;
}

function paginate<T>(entries: readonly (Keyed & { value: T })[], opts: ListOptions): Page<T> {
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
  const q = opts.q?.toLowerCase();
  const items: (Keyed & { value: T })[] = [];
  // Entries are sorted by key, so a binary search finds the first one after the cursor.
  let lo = 0;
  if (after !== undefined) {
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (entries[mid]!.key <= after) lo = mid + 1;
      else hi = mid;
    }
  }
  let more = false;
  for (let i = lo; i < entries.length; i++) {
    const e = entries[i]!;
    if (opts.tenant !== undefined && e.tenant !== opts.tenant) continue;
    if (q !== undefined && !e.text.includes(q)) continue;
    if (items.length === opts.limit) {
      more = true;
      break;
    }
    items.push(e);
  }
  const last = items[items.length - 1];
  return {
    items: items.map((e) => e.value),
    ...(more && last ? { nextCursor: encodeCursor(last.key) } : {}),
  };
}

const index = <T extends { tenant: string; name: string; description?: string }>(
  values: readonly T[],
) =>
  values
    .map((value) => ({
      key: `${value.tenant}/${value.name}`,
      tenant: value.tenant,
      text: `${value.tenant}/${value.name} ${value.description ?? ''}`.toLowerCase(),
      value,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Read-only lookups over one loaded catalog; built once a load, shared by every request. */
export class CatalogIndex {
  private readonly tenants;
  private readonly agents;
  private readonly servers;
  private readonly models;
  private readonly tenantByName: Map<string, CatalogTenant>;
  private readonly agentByRoute: Map<string, CatalogAgent>;
  private readonly serverByRoute: Map<string, CatalogMcpServer>;
  private readonly exposedModelByRoute: Map<string, CatalogModel>;

  constructor(public readonly catalog: Catalog) {
    this.tenants = index(
      catalog.tenants.map((t) => ({ ...t, tenant: t.name, description: t.displayName })),
    );
    this.agents = index(catalog.agents);
    this.servers = index(catalog.mcpServers);
    this.models = index(catalog.models.map((m) => ({ ...m, description: m.modelId })));
    this.tenantByName = new Map(catalog.tenants.map((t) => [t.name, t]));
    this.agentByRoute = new Map(
      catalog.agents.filter((a) => a.route).map((a) => [a.route!.path, a]),
    );
    this.serverByRoute = new Map(
      catalog.mcpServers.filter((s) => s.route).map((s) => [s.route!.path, s]),
    );
    this.exposedModelByRoute = new Map(
      catalog.models.filter((m) => m.exposed).map((m) => [m.path, m]),
    );
  }

  get size() {
    return {
      tenants: this.catalog.tenants.length,
      agents: this.catalog.agents.length,
      mcpServers: this.catalog.mcpServers.length,
      models: this.catalog.models.length,
    };
  }

  listTenants(opts: ListOptions): Page<CatalogTenant> {
    const page = paginate(this.tenants, opts);
    return { ...page, items: page.items.map((t) => this.tenant(t.name)) };
  }
  listAgents(opts: ListOptions): Page<CatalogAgent> {
    return paginate(this.agents, opts);
  }
  listMcpServers(opts: ListOptions): Page<CatalogMcpServer> {
    return paginate(this.servers, opts);
  }
  listModels(opts: ListOptions): Page<CatalogModel> {
    const page = paginate(this.models, opts);
    return { ...page, items: page.items.map(({ description: _d, ...m }) => m) };
  }

  hasTenant(name: string): boolean {
    return this.tenantByName.has(name);
  }
  tenant(name: string): CatalogTenant {
    const t = this.tenantByName.get(name);
    if (!t) throw new NotFoundError(`tenant "${name}" is not in the catalog`);
    return t;
  }
  agent(tenant: string, name: string): CatalogAgent {
    return this.find(this.agents, tenant, name, 'agent');
  }
  mcpServer(tenant: string, name: string): CatalogMcpServer {
    return this.find(this.servers, tenant, name, 'MCP server');
  }
  model(tenant: string, name: string): CatalogModel {
    const withoutText = ({ description: _d, ...model }: CatalogModel & { description: string }) =>
      model;
    return withoutText(this.find(this.models, tenant, name, 'model'));
  }
  /** The published agent behind `/a2a/{seg}/{agent}` (seg is the namespace or its alias). */
  agentByPath(path: string): CatalogAgent | undefined {
    return this.agentByRoute.get(path);
  }
  mcpServerByPath(path: string): CatalogMcpServer | undefined {
    return this.serverByRoute.get(path);
  }
  /** The exposed model behind `/llm/{ns}/{model}` (in-cluster-only models have no public route). */
  exposedModelByPath(path: string): CatalogModel | undefined {
    return this.exposedModelByRoute.get(path);
  }

  private find<T>(
    values: readonly { key: string; value: T }[],
    tenant: string,
    name: string,
    what: string,
  ): T {
    const key = `${tenant}/${name}`;
    // Sorted by key: binary search keeps a get O(log n) at 10,000 agents.
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    const found = values[lo];
    if (!found || found.key !== key) {
      throw new NotFoundError(`${what} "${key}" is not in the catalog`);
    }
    return found.value;
  }
}
