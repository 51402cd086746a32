import type { RegistryConfig } from '../config';
import { openPglite, openPostgres, type SqlDatabase } from './database';
import { migrate } from './migrations';
import { SqlRegistryStore } from './sql-registry-store';

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
