import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '@agentic-platform/agent-registry/store/migrations';
import type { SqlDatabase } from '@agentic-platform/agent-registry/store/database';
import { DATABASES, freshDatabase, PG_URL } from '../helpers';

describe.each(DATABASES)('migrations on %s', (kind) => {
  let db: SqlDatabase;
  afterEach(() => db.close());

  it('apply once, in order, and are a no-op the second time', async () => {
    db = await freshDatabase(kind);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
  });

  it('apply exactly once when replicas start together (advisory lock)', async () => {
    db = await freshDatabase(kind);
    const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    expect(results.flat()).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('roll a failing migration back entirely and release the lock', async () => {
    db = await freshDatabase(kind);
    await expect(
      migrate(db, [{ id: 'bad', sql: 'CREATE TABLE half (id int); SELECT * FROM missing_table;' }]),
    ).rejects.toThrow(/missing_table/);
    expect(await db.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }]);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('refuse a timeout that is not a positive integer of milliseconds', async () => {
    db = await freshDatabase(kind);
    await expect(migrate(db, MIGRATIONS, 0)).rejects.toThrow(
      'migrate: timeoutMs must be a positive integer of milliseconds, got 0',
    );
  });
});

// PGlite is one embedded backend without timers, so statement_timeout is a server matter.
describe.skipIf(!PG_URL)('migrations on a PostgreSQL server', () => {
  let db: SqlDatabase;
  afterEach(() => db.close());
  const slow = (id: string) => ({ id, sql: 'SELECT pg_sleep(0.6);' });

  it('run under the migration timeout, not the pool request timeout, and hand the connection back with the pool one', async () => {
    // One connection, so the query after the migration runs on the connection it used.
    db = await freshDatabase('postgres', { poolMax: 1, statementTimeoutMs: 300 });
    expect(await migrate(db, [slow('slow')], 5_000)).toEqual(['slow']);
    await expect(db.query('SELECT pg_sleep(0.6)')).rejects.toThrow(/statement timeout/);
  });

  it('fail a migration that outlasts the migration timeout, roll it back and release the lock', async () => {
    db = await freshDatabase('postgres', { poolMax: 1, statementTimeoutMs: 10_000 });
    await expect(
      migrate(db, [{ id: 'stuck', sql: 'CREATE TABLE half (id int); SELECT pg_sleep(0.6);' }], 200),
    ).rejects.toThrow(/statement timeout/);
    expect(await db.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }]);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
  });
});

describe('PostgreSQL integration', () => {
  // Locally without a server this is skipped; CI sets REGISTRY_TEST_PG_URL, and then every
  // suite above runs on both databases (see packages/agent-registry/README.md).
  it.skipIf(!PG_URL)(
    'runs the suites on a real PostgreSQL server when REGISTRY_TEST_PG_URL is set',
    () => {
      expect(DATABASES).toEqual(['pglite', 'postgres']);
    },
  );
});
