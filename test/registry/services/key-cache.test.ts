import { afterEach, describe, expect, it } from 'vitest';
import { KeyCache } from '@agentic-platform/agent-registry/services/key-cache';
import type { SqlDatabase } from '@agentic-platform/agent-registry/store/database';
import { migrate } from '@agentic-platform/agent-registry/store/migrations';
import type { ApiKeyRecord } from '@agentic-platform/agent-registry/store/registry-store';
import { SqlRegistryStore } from '@agentic-platform/agent-registry/store/sql-registry-store';
import { DATABASES, freshDatabase } from '../helpers';

const key = (id: string): ApiKeyRecord => ({
  id,
  tenant: 'acme',
  name: id,
  secretHash: 'a'.repeat(64),
  scopes: ['agent:*'],
  createdBy: 'test',
  createdAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
});
const audit = (id: string) => ({
  actor: 'test',
  action: 'api_key.create',
  tenant: 'acme',
  subject: id,
  details: {},
});

/** Polls until `cond` holds; returns how long it took, or throws after `limitMs`. */
async function within(limitMs: number, cond: () => boolean): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - t0;
}

describe.each(DATABASES)('the in-memory key cache on %s', (kind) => {
  let db: SqlDatabase;
  const caches: KeyCache[] = [];
  afterEach(async () => {
    for (const c of caches.splice(0)) await c.stop();
    await db.close();
  });
  const replica = async (store: SqlRegistryStore, refreshMs: number) => {
    const c = new KeyCache(store, {
      refreshMs,
      overlapMs: 1_000,
      onError: (err) => {
        throw err;
      },
    });
    await c.start();
    caches.push(c);
    return c;
  };

  it('loads every key at start', async () => {
    db = await freshDatabase(kind);
    await migrate(db);
    const store = new SqlRegistryStore(db);
    for (const id of ['k00000000001', 'k00000000002']) await store.createKey(key(id), audit(id));
    const cache = await replica(store, 60_000);
    expect(cache.size).toBe(2);
    expect(cache.get('k00000000002')?.tenant).toBe('acme');
  });

  it('loads every key at start across pages, visiting each once', async () => {
    db = await freshDatabase(kind);
    await migrate(db);
    // Past the 5,000-key page: the last page is a partial one.
    await db.query(
      `INSERT INTO api_keys (id, tenant, name, secret_hash, scopes, created_by, created_at, expires_at)
       SELECT lpad(to_hex(i), 12, '0'), 'acme', 'k' || i, repeat('a', 64), '["agent:*"]'::jsonb,
              'test', now(), now() + interval '1 day'
       FROM generate_series(1, 12001) AS i`,
    );
    const store = new SqlRegistryStore(db);
    const seen = new Set<string>();
    let visits = 0;
    await store.listKeysChangedSince(undefined, (k) => {
      visits++;
      seen.add(k.id);
    });
    expect([visits, seen.size]).toEqual([12_001, 12_001]);
    const cache = await replica(store, 60_000);
    expect(cache.size).toBe(12_001);
    expect(cache.get((12_001).toString(16).padStart(12, '0'))?.tenant).toBe('acme');
  });

  it('sees a key revoked by another replica through the notification, well before its refresh', async () => {
    db = await freshDatabase(kind);
    await migrate(db);
    const writer = new SqlRegistryStore(db);
    // A refresh far in the future: only the notification can bring the change in time.
    const other = await replica(new SqlRegistryStore(db), 600_000);
    await writer.createKey(key('k00000000003'), audit('k00000000003'));
    await within(5_000, () => other.get('k00000000003') !== undefined);
    await writer.revokeKey(
      { tenant: 'acme', id: 'k00000000003', at: new Date().toISOString(), by: 'test' },
      { ...audit('k00000000003'), action: 'api_key.revoke' },
    );
    await within(5_000, () => other.get('k00000000003')?.revoked === true);
  });

  it('stops a revoked key within the refresh interval when notifications are lost', async () => {
    db = await freshDatabase(kind);
    await migrate(db);
    const writer = new SqlRegistryStore(db);
    await writer.createKey(key('k00000000004'), audit('k00000000004'));
    // This replica's listener never delivers: the refresh is the only way in.
    const deaf = new SqlRegistryStore(db);
    deaf.listenKeyChanges = async () => async () => undefined;
    const refreshMs = 300;
    const cache = await replica(deaf, refreshMs);
    expect(cache.get('k00000000004')?.revoked).toBe(false);
    await writer.revokeKey(
      { tenant: 'acme', id: 'k00000000004', at: new Date().toISOString(), by: 'test' },
      { ...audit('k00000000004'), action: 'api_key.revoke' },
    );
    // The stated bound: REGISTRY_KEY_CACHE_REFRESH_MS (+ the query's own time).
    const took = await within(refreshMs + 2_000, () => cache.get('k00000000004')?.revoked === true);
    expect(took).toBeLessThan(refreshMs + 2_000);
  });
});
