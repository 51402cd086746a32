import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CatalogState } from './services/catalog-state.js';
import type { McpRegistry } from './services/mcp-registry.js';
import type { RegistryStore } from './store/registry-store.js';

/** The service's Prometheus metrics, in a registry of its own (one per app, so tests are isolated). */
export class RegistryMetrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly authDecisions: Counter<'decision' | 'reason'>;

  constructor(opts: {
    store: RegistryStore;
    catalog: CatalogState;
    mcp: McpRegistry;
    now: () => Date;
  }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'agent_registry_' });
    this.requestDuration = new Histogram({
      name: 'agent_registry_http_request_duration_seconds',
      help: 'HTTP request latency by route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.authDecisions = new Counter({
      name: 'agent_registry_auth_decisions_total',
      help: 'Gateway authorization decisions by outcome and reason',
      labelNames: ['decision', 'reason'],
      registers,
    });
    new Gauge({
      name: 'agent_registry_api_keys',
      help: 'API keys by state (active, revoked, expired)',
      labelNames: ['state'],
      registers,
      async collect() {
        const c = await opts.store.countKeys({ now: opts.now().toISOString() });
        this.set({ state: 'active' }, c.active);
        this.set({ state: 'revoked' }, c.revoked);
        this.set({ state: 'expired' }, c.expired);
      },
    });
    new Gauge({
      name: 'agent_registry_catalog_entries',
      help: 'Entries of the loaded catalog by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        if (!opts.catalog.loaded) return;
        for (const [kind, n] of Object.entries(opts.catalog.index.size)) this.set({ kind }, n);
        this.set({ kind: 'mcpRegistryVersions' }, opts.mcp.size);
      },
    });
  }
}
