import type { PGliteDatabase as PGlite } from './database-drivers.js';
import type { Pool, PoolClient } from 'pg';

/** What one statement returns: rows as plain objects keyed by column name. */
export interface SqlResult<Row> {
  rows: Row[];
}

/** The statements one transaction can run; parameters are always bound, never spliced in. */
export interface SqlTransaction {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
}

/**
 * The one thing the backend needs from a database driver: run a function inside a transaction
 * that commits when it resolves and rolls back whole when it throws. A tiny seam over `pg.Pool`
 * and PGlite, so every operation goes through the same transaction-scoped tenant settings.
 */
export interface SqlClient {
  /** `pg` for a server reached through node-postgres, `pglite` for the embedded engine. */
  readonly engine: 'pg' | 'pglite';
  transaction<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T>;
  /** Releases what this client created; a pool or engine the caller handed in stays open. */
  close(): Promise<void>;
}

export function poolClient(pool: Pool, ownsPool: boolean): SqlClient {
  return {
    engine: 'pg',
    async transaction(work) {
      const connection: PoolClient = await pool.connect();
      let broken = false;
      try {
        await connection.query('BEGIN');
        const result = await work({
          query: async (sql, params) => connection.query(sql, params as unknown[]) as never,
        });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch {
          // A connection that cannot even roll back is discarded rather than reused.
          broken = true;
        }
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}

/**
 * PGlite has a single backend session shared by every caller, so transactions must not
 * interleave: one at a time, in arrival order. Settings are only ever made transaction-local.
 */
export function pgliteClient(database: PGlite, ownsDatabase: boolean): SqlClient {
  return {
    engine: 'pglite',
    transaction(work) {
      // One queue per engine, shared by every backend handle on it.
      const tail = queues.get(database) ?? Promise.resolve();
      const run = tail.then(() =>
        database.transaction(async (transaction) =>
          work({ query: async (sql, params) => transaction.query(sql, params as unknown[]) as never }),
        ),
      );
      queues.set(database, run.catch(() => undefined));
      return run;
    },
    async close() {
      await queues.get(database);
      if (ownsDatabase) await database.close();
    },
  };
}

const queues = new WeakMap<PGlite, Promise<unknown>>();
