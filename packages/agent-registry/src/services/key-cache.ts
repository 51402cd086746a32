import type { ApiKeyRecord, RegistryStore } from '../store/registry-store.js';

/**
 * What the check needs of a key, and no more: at 100,000 keys the full records (names,
 * creators, ISO timestamps) would cost tens of MiB more. Scope lists are interned, since
 * most keys share one of a few.
 */
export interface CachedKey {
  readonly tenant: string;
  /** SHA-256 of the whole key. */
  readonly secretHash: Buffer;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
  readonly revoked: boolean;
}

export interface KeyCacheOptions {
  /**
   * How often the cache re-reads the keys changed lately, whatever notifications arrived:
   * the bound on staleness when a notification is lost (listener reconnecting, a replica
   * partitioned from the database's notification stream).
   */
  readonly refreshMs: number;
  /**
   * How far back each refresh looks beyond the previous one: a write's `changed_at` is taken
   * inside its transaction, which may commit up to the statement timeout later.
   */
  readonly overlapMs: number;
  readonly onError: (err: unknown) => void;
  /** @default - the system clock */
  readonly now?: () => Date;
}

/**
 * Every API key (id, tenant, hash, scopes, expiry, revocation) in memory, so the gateway's
 * check needs no database round trip. Loaded whole at start; kept current by the database's
 * notification on every key write (`LISTEN registry_api_keys`, sent at commit) and, as the
 * bound when notifications are lost, by a refresh every `refreshMs` of the keys whose
 * `changed_at` falls in the window since the previous refresh. A revoked key therefore
 * stops working on every replica within a notification round trip, and at worst within
 * `refreshMs + overlapMs`.
 */
export class KeyCache {
  private readonly keys = new Map<string, CachedKey>();
  private readonly scopeSets = new Map<string, readonly string[]>();
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private lastRefresh: Date | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly now: () => Date;

  constructor(
    private readonly store: RegistryStore,
    private readonly opts: KeyCacheOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  get size(): number {
    return this.keys.size;
  }

  get(id: string): CachedKey | undefined {
    return this.keys.get(id);
  }

  private put(k: ApiKeyRecord): void {
    const scopesKey = k.scopes.join(' ');
    let scopes = this.scopeSets.get(scopesKey);
    if (!scopes) {
      scopes = Object.freeze([...k.scopes]);
      this.scopeSets.set(scopesKey, scopes);
    }
    this.keys.set(k.id, {
      tenant: k.tenant,
      secretHash: Buffer.from(k.secretHash, 'hex'),
      scopes,
      expiresAtMs: Date.parse(k.expiresAt),
      revoked: k.revokedAt !== undefined,
    });
  }

  /** Listens first, then loads everything, so no write between the two is missed. */
  async start(): Promise<void> {
    this.unlisten = await this.store.listenKeyChanges(
      (id) => void this.reloadKey(id).catch(this.opts.onError),
      // A reconnected listener may have missed notifications: catch up at once.
      () => void this.refresh().catch(this.opts.onError),
    );
    const started = this.now();
    await this.store.listKeysChangedSince(undefined, (k) => this.put(k));
    this.lastRefresh = started;
    this.timer = setInterval(
      () => void this.refresh().catch(this.opts.onError),
      this.opts.refreshMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Re-reads one key (after a notification). */
  async reloadKey(id: string): Promise<void> {
    const key = await this.store.getKey({ id });
    if (key) this.put(key);
    else this.keys.delete(id);
  }

  /** Re-reads the keys changed since the previous refresh (minus the overlap). */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const started = this.now();
        const since = new Date((this.lastRefresh ?? started).getTime() - this.opts.overlapMs);
        await this.store.listKeysChangedSince(since, (k) => this.put(k));
        this.lastRefresh = started;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
