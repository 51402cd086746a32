import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RouteDurationHistogram } from './route-duration-histogram.js';
import type { DenyReason } from './services/authorization.js';
import type { CatalogState } from './services/catalog-state.js';
import type { McpRegistry } from './services/mcp-registry.js';
import type { RegistryStore } from './store/registry-store.js';

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so tests are
 * isolated). The two that move on every request are counted in plain fields and handed to
 * prom-client when Prometheus scrapes, not at each request (see `decided`,
 * RouteDurationHistogram).
 */
export class RegistryMetrics {
  readonly registry = new Registry();
  readonly requestDuration: RouteDurationHistogram;
  /** Gateway decisions since start, by reason (`ok` for an allow). */
  private readonly decisions = new Map<DenyReason | 'ok', number>();

  constructor(opts: {
    store: RegistryStore;
    catalog: CatalogState;
    mcp: McpRegistry;
    now: () => Date;
  }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'agent_registry_' });
    this.requestDuration = new RouteDurationHistogram(
      'agent_registry_http_request_duration_seconds',
      'HTTP request latency by route template and status code',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      this.registry,
    );
    const decisions = this.decisions;
    new Counter({
      name: 'agent_registry_auth_decisions_total',
      help: 'Gateway authorization decisions by outcome and reason',
      labelNames: ['decision', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of decisions) {
          this.inc({ decision: reason === 'ok' ? 'allow' : 'deny', reason }, n);
        }
      },
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

  /** Counts one gateway decision: `ok` for an allow, else the denial's reason. */
  decided(reason: DenyReason | 'ok'): void {
    this.decisions.set(reason, (this.decisions.get(reason) ?? 0) + 1);
  }
}
