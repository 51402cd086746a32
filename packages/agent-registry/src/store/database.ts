import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What the store needs from a PostgreSQL connection: parameterised queries. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

/**
 * PostgreSQL, embedded (PGlite) or a server (pg). The same SQL runs on both; only
 * connection handling differs.
 */
export interface SqlDatabase extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs `fn` on one connection (session-level advisory locks need that). */
  session<T>(fn: (s: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPglite(dataDir?: string): Promise<SqlDatabase> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): SqlExecutor => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await q.query<T>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  const self = wrap(db);
  // PGlite is one connection, so a "session" is the whole database: callers that need one
  // (advisory locks are re-entrant within a session) take turns instead.
  let turn: Promise<unknown> = Promise.resolve();
  const session = <T>(fn: (s: SqlExecutor) => Promise<T>): Promise<T> => {
    const run = turn.then(() => fn(self));
    turn = run.catch(() => undefined);
    return run;
  };
  return {
    kind: 'pglite',
    ...self,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    session,
    close: () => db.close(),
  };
}

export function openPostgres(opts: {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
}): SqlDatabase {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax,
    statement_timeout: opts.statementTimeoutMs,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const wrap = (c: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await c.query(text, params as unknown[])).rows as T[];
    },
    async exec(text: string) {
      await c.query(text);
    },
  });
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    ...wrap(pool),
    transaction: (fn) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(wrap(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }),
    session: (fn) => withClient((client) => fn(wrap(client))),
    close: () => pool.end(),
  };
}
