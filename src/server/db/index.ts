import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type DataDirLock, lockDataDir } from './lock.ts';

/**
 * One PostgreSQL dialect, two engines: PGlite embedded in the process (no `DATABASE_URL`), or a
 * real PostgreSQL server. Code above this file only sees `Db`: parameterised SQL and
 * transactions. Write SQL that PostgreSQL 15 accepts.
 */
export type Engine = 'pglite' | 'postgres';

export interface QueryOptions {
  /**
   * Send it as a named prepared statement (PostgreSQL parses and plans it once per connection).
   * For the fixed statements of hot paths only: every distinct text stays prepared on every
   * connection of the pool, so never for SQL built with a varying shape.
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    opts?: QueryOptions,
  ): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: Engine;
  /** Runs `fn` in one transaction: all of it is committed, or none of it. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The PGlite instance, for backup; undefined on PostgreSQL. */
  readonly pglite?: PGlite;
  /** The lock held on the embedded database's folder (none in memory or on PostgreSQL). */
  readonly lock?: DataDirLock;
}

// Return int8/numeric as JS numbers where they fit; counts and populations are well below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// Dates stay 'YYYY-MM-DD' strings: a date has no time zone.
pg.types.setTypeParser(1082, (v) => v);

const pgliteParsers = {
  20: (v: string) => Number(v),
  1700: (v: string) => Number(v),
  1082: (v: string) => v,
};

const inTransaction = new AsyncLocalStorage<boolean>();

export interface PgliteOptions {
  /** A lock the caller already holds on the folder (restore takes it before moving folders). */
  lock?: DataDirLock;
  /** What the lock says holds the folder; the CLI command by default. */
  command?: string;
}

export async function openPglite(
  dataDir?: string,
  loadDataDir?: Blob,
  opts: PgliteOptions = {},
): Promise<Db> {
  let lock = opts.lock;
  // A folder on disk (not memory:// or idb://): make its parents, e.g. ./var on a fresh clone,
  // and hold its lock: a second process on the same folder would corrupt it (DataDirBusy).
  if (dataDir && !dataDir.includes('://')) {
    await mkdir(dataDir, { recursive: true });
    lock ??= lockDataDir(dataDir, opts.command ?? (process.argv[2] || 'node'));
  }
  let lite: PGlite;
  try {
    lite = await PGlite.create({
      dataDir,
      parsers: pgliteParsers,
      ...(loadDataDir ? { loadDataDir } : {}),
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await q.query<T>(sql, params);
      return r.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(lite);
  // PGlite has one connection: a query sent through the database while a transaction of the
  // same call chain is open would wait for that transaction forever. Say so instead of hanging.
  const outside = (): void => {
    if (inTransaction.getStore())
      throw new Error(
        'db.query inside db.tx: use the transaction handle (the embedded database would wait forever)',
      );
  };
  return {
    engine: 'pglite',
    pglite: lite,
    query: (sql, params, opts) => (outside(), base.query(sql, params, opts)),
    exec: (sql) => (outside(), base.exec(sql)),
    tx: (fn) => lite.transaction((t) => inTransaction.run(true, () => fn(wrap(t)))),
    lock,
    close: async () => {
      try {
        await lite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {
    /* idle client errors are reported on the next query */
  });
  const client = await pool.connect(); // fail fast if the server is not there
  client.release();
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (!name) {
      name = 'eg_' + createHash('sha1').update(sql).digest('hex').slice(0, 24);
      names.set(sql, name);
    }
    return name;
  };
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions) {
      const r = opts?.prepare
        ? await c.query({ name: nameOf(sql), text: sql, values: params })
        : await c.query(sql, params);
      return r.rows as T[];
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  const base = wrap(pool);
  return {
    engine: 'postgres',
    query: base.query,
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(wrap(c));
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    exec: base.exec,
    close: () => pool.end(),
  };
}

export interface DbConfig {
  databaseUrl?: string;
  dataDir?: string;
}

export function openDb(cfg: DbConfig): Promise<Db> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite(cfg.dataDir);
}
