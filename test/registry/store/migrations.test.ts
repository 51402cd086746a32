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
