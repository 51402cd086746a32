import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor } from '../catalog/catalog-index.js';
import type { Catalog } from '../catalog/schema.js';
import { canonicalJson } from '../canonical-json.js';
import { NotFoundError } from '../errors.js';
import type { RegistryStore } from '../store/registry-store.js';
import { serverJson, type ServerJson } from './server-json.js';

export const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';

// A type alias, not an interface: the route's loose response schema needs an index signature.
export type ServerResponse = {
  readonly server: ServerJson;
  readonly _meta: {
    readonly [OFFICIAL_META]: {
      readonly status: 'active' | 'deleted';
      readonly publishedAt: string;
      readonly updatedAt: string;
      readonly isLatest: boolean;
    };
  };
};

export interface ServerListOptions {
  readonly cursor?: string;
  readonly limit: number;
  readonly search?: string;
  readonly updatedSince?: string;
  readonly version?: string;
  readonly includeDeleted?: boolean;
}

/**
 * The MCP sub-registry: every published server version ever seen in a catalog, with the
 * time it was first seen. The current catalog's version of a server is its latest; a server
 * gone from the catalog is `deleted`.
 */
export class McpRegistry {
  private entries: (ServerResponse & { key: string })[] = [];

  constructor(
    private readonly store: RegistryStore,
    private readonly now: () => Date,
  ) {}

  async sync(catalog: Catalog): Promise<void> {
    const current = new Map<string, string>();
    const docs = catalog.mcpServers
      .filter((s) => s.route)
      .map((s) => {
        const document = canonicalJson(serverJson(catalog, s));
        current.set(s.registryName, s.version);
        return {
          name: s.registryName,
          version: s.version,
          document,
          contentHash: createHash('sha256').update(document).digest('hex'),
        };
      });
    await this.store.syncServerVersions(docs, this.now().toISOString());
    const rows = await this.store.listServerVersions();
    this.entries = rows
      .map((r) => ({
        key: `${r.name}\u0000${r.publishedAt}\u0000${r.version}`,
        server: JSON.parse(r.document) as ServerJson,
        _meta: {
          [OFFICIAL_META]: {
            status: current.has(r.name) ? ('active' as const) : ('deleted' as const),
            publishedAt: r.publishedAt,
            updatedAt: r.updatedAt,
            isLatest: current.get(r.name) === r.version,
          },
        },
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get size(): number {
    return this.entries.length;
  }

  list(opts: ServerListOptions): { servers: ServerResponse[]; nextCursor?: string } {
    const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
    const since = opts.updatedSince ? Date.parse(opts.updatedSince) : undefined;
    // As upstream: updated_since implies deleted entries, so mirrors learn about removals.
    const includeDeleted = opts.includeDeleted || since !== undefined;
    const search = opts.search?.toLowerCase();
    const out: (ServerResponse & { key: string })[] = [];
    let more = false;
    for (const e of this.entries) {
      if (after !== undefined && e.key <= after) continue;
      const meta = e._meta[OFFICIAL_META];
      if (!includeDeleted && meta.status === 'deleted') continue;
      if (search && !e.server.name.toLowerCase().includes(search)) continue;
      if (since !== undefined && Date.parse(meta.updatedAt) <= since) continue;
      if (
        opts.version === 'latest'
          ? !meta.isLatest
          : opts.version !== undefined && e.server.version !== opts.version
      )
        continue;
      if (out.length === opts.limit) {
        more = true;
        break;
      }
      out.push(e);
    }
    const last = out[out.length - 1];
    return {
      servers: out.map(({ key: _k, ...r }) => r),
      ...(more && last ? { nextCursor: encodeCursor(last.key) } : {}),
    };
  }

  versions(name: string, includeDeleted = false): ServerResponse[] {
    const found = this.entries.filter((e) => e.server.name === name);
    const visible = found.filter(
      (e) => includeDeleted || e._meta[OFFICIAL_META].status !== 'deleted',
    );
    if (visible.length === 0) throw new NotFoundError(`server ${name} is not in this registry`);
    return visible.map(({ key: _k, ...r }) => r);
  }

  version(name: string, version: string, includeDeleted = false): ServerResponse {
    const all = this.versions(name, includeDeleted);
    const hit =
      version === 'latest'
        ? all.find((e) => e._meta[OFFICIAL_META].isLatest)
        : all.find((e) => e.server.version === version);
    if (!hit) throw new NotFoundError(`server ${name} has no version ${version}`);
    return hit;
  }
}
