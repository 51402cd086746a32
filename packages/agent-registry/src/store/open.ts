import type { RegistryConfig } from '../config.js';
import { openPglite, openPostgres, type SqlDatabase } from './database.js';
import { migrate } from './migrations.js';
import { SqlRegistryStore } from './sql-registry-store.js';

/** Opens the configured database, applies migrations (under the lock) and returns the store. */
export async function openStore(
  config: Pick<RegistryConfig, 'database' | 'statementTimeoutMs'>,
): Promise<{ store: SqlRegistryStore; db: SqlDatabase; applied: string[] }> {
  const db =
    config.database.kind === 'postgres'
      ? openPostgres({
          url: config.database.url,
          poolMax: config.database.poolMax,
          statementTimeoutMs: config.statementTimeoutMs,
        })
      : await openPglite(config.database.dataDir);
  const applied = await migrate(db);
  return { store: new SqlRegistryStore(db), db, applied };
}
