import type { PGlite } from '@electric-sql/pglite';
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
  /**
   * Subscribes to NOTIFY on `channel`. `onReconnect` is called when the listening connection
   * was lost and re-established (notifications sent meanwhile are gone). Returns unsubscribe.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Embedded PostgreSQL for `npm run registry` and the tests. A development dependency: the
 * image carries the PostgreSQL client only, so there this fails with what to set instead.
 */
export async function openPglite(dataDir?: string): Promise<SqlDatabase> {
  let PGliteClass: typeof PGlite;
  try {
    ({ PGlite: PGliteClass } = await import('@electric-sql/pglite'));
  } catch {
    throw new Error(
      'REGISTRY_DATABASE=pglite needs @electric-sql/pglite, a development dependency that the image does not carry; set REGISTRY_DATABASE=postgres and REGISTRY_DATABASE_URL',
    );
  }
  const db = dataDir ? await PGliteClass.create(dataDir) : await PGliteClass.create();
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
    // One embedded connection: it cannot drop, so there is nothing to reconnect.
    listen: async (channel, onMessage) => {
      const unsubscribe = await db.listen(channel, onMessage);
      return () => unsubscribe();
    },
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
    listen: (channel, onMessage, onReconnect) =>
      listenPostgres(opts.url, channel, onMessage, onReconnect),
    close: () => pool.end(),
  };
}

/**
 * A dedicated connection (not from the pool: LISTEN is per session) that re-connects after
 * an error with a growing delay and reports each re-connection.
 */
async function listenPostgres(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onReconnect: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let delayMs = 500;
  let retry: NodeJS.Timeout | undefined;
  const quoted = `"${channel.replace(/"/g, '""')}"`;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on('notification', (n) => {
      if (n.channel === channel) onMessage(n.payload ?? '');
    });
    c.on('error', () => undefined);
    c.on('end', () => {
      if (stopped || client !== c) return;
      client = undefined;
      schedule();
    });
    await c.connect();
    await c.query(`LISTEN ${quoted}`);
    client = c;
  };
  const schedule = () => {
    retry = setTimeout(() => {
      connect().then(
        () => {
          delayMs = 500;
          onReconnect();
        },
        () => {
          delayMs = Math.min(delayMs * 2, 10_000);
          schedule();
        },
      );
    }, delayMs);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
