import { loadConfig } from './config.js';
import { openPostgres } from './store/database.js';
import { grantServiceRole, migrate, MIGRATIONS } from './store/migrations.js';

/**
 * Applies the schema as its owner, then gives the service's role (REGISTRY_DATABASE_SERVICE_ROLE)
 * exactly what it needs and no more: the Deployment runs this in an init container with the
 * owner's credentials, and the service itself connects as that role, which may only insert
 * into and read the audit tables. Exits 0 when the schema is current and the grants are set.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, 'migrate');
  if (config.database.kind !== 'postgres') throw new Error('migrate.js runs on PostgreSQL only');
  const db = openPostgres({
    url: config.database.url,
    poolMax: 1,
    // Nothing here serves a request: the grants, like the DDL, get the migration's bound.
    statementTimeoutMs: config.migrationTimeoutMs,
  });
  try {
    const applied = await migrate(db, MIGRATIONS, config.migrationTimeoutMs);
    if (config.serviceRole) await grantServiceRole(db, config.serviceRole);
    console.log(
      JSON.stringify({ msg: 'migrated', applied, grantedTo: config.serviceRole ?? null }),
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
