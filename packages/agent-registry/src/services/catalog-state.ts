import { CatalogIndex } from '../catalog/catalog-index.js';
import type { Catalog } from '../catalog/schema.js';
import { NotReadyError } from '../errors.js';
import type { McpRegistry } from './mcp-registry.js';

/**
 * The catalog currently served. A load builds the new index and syncs the MCP registry
 * before swapping it in, so requests see the old catalog or the new one, never a mix; a
 * failed reload keeps the old one.
 */
export class CatalogState {
  private current: CatalogIndex | undefined;
  private loading: Promise<CatalogIndex> | undefined;

  constructor(
    private readonly source: () => Promise<Catalog>,
    private readonly mcp: McpRegistry,
  ) {}

  get loaded(): boolean {
    return this.current !== undefined;
  }

  /** The served catalog; 503 until the first load has succeeded. */
  get index(): CatalogIndex {
    if (!this.current) throw new NotReadyError('the catalog has not been loaded yet');
    return this.current;
  }

  private again: Promise<CatalogIndex> | undefined;

  /**
   * Reloads after a change: joins no load already running (it may have read the source
   * before the change) but queues one more after it; changes during that wait share it.
   */
  refresh(): Promise<CatalogIndex> {
    if (!this.loading) return this.load();
    this.again ??= this.loading
      .catch(() => undefined)
      .then(() => {
        this.again = undefined;
        return this.load();
      });
    return this.again;
  }

  /** Loads (or reloads) the catalog; concurrent calls share one load. */
  load(): Promise<CatalogIndex> {
    this.loading ??= (async () => {
      try {
        const catalog = await this.source();
        const next = new CatalogIndex(catalog);
        await this.mcp.sync(catalog);
        this.current = next;
        return next;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
