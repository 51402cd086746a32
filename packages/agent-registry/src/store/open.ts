import type { RegistryConfig } from '../config.js';
import { openPglite, openPostgres, type SqlDatabase } from './database.js';
import { migrate, MIGRATIONS, pendingMigrations } from './migrations.js';
import { SqlRegistryStore } from './sql-registry-store.js';

/**
 * Opens the configured database and returns the store. With `migrations: 'apply'` it applies
 * the pending migrations (under the lock); with `require` (the service as a role that owns
 * nothing) it refuses to start while any is pending.
 */
export async function openStore(
  config: Pick<
    RegistryConfig,
    'database' | 'statementTimeoutMs' | 'migrationTimeoutMs' | 'migrations'
  >,
): Promise<{ store: SqlRegistryStore; db: SqlDatabase; applied: string[] }> {
  const db =
    config.database.kind === 'postgres'
      ? openPostgres({
          url: config.database.url,
          poolMax: config.database.poolMax,
          statementTimeoutMs: config.statementTimeoutMs,
        })
      : await openPglite(config.database.dataDir);
  if (config.migrations === 'require') {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      await db.close();
      throw new Error(
        `the database lacks migrations ${pending.join(', ')}; run packages/agent-registry/dist/migrate.js as the schema owner first (REGISTRY_DATABASE_MIGRATIONS=require)`,
      );
    }
    return { store: new SqlRegistryStore(db), db, applied: [] };
  }
  const applied = await migrate(db, MIGRATIONS, config.migrationTimeoutMs);
  return { store: new SqlRegistryStore(db), db, applied };
}
