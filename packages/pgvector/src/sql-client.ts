import type { PGliteDatabase as PGlite } from './database-drivers.js';
import type { Pool, PoolClient } from 'pg';
import { BackendError } from '@tenantvec/core';
import { describePool, type ConnectionTarget } from './connection-target.js';
import { InlineParameters } from './sql-literals.js';
import { SqlParameters, type ParameterSink } from './sql-parameters.js';
import type { SqlStatement } from './sql-statements.js';

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
  /** Where the database is, for error messages; never holds a password. */
  readonly target: ConnectionTarget;
  transaction<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * Statements built with `parameters()`, run in order as one transaction; one result each.
   * On a server this is one round trip: one simple-protocol Query message, which Postgres runs
   * as one implicit transaction, planning each statement after the previous one ran — so a
   * `set_config(…, true)` statement first confines every statement after it, and ends with them.
   */
  run(statements: readonly SqlStatement[]): Promise<SqlResult<Record<string, unknown>>[]>;
  /** Where `run`'s statements put their values: inlined literals on a server, bound on PGlite. */
  parameters(): ParameterSink;
  /**
   * Statements on one connection outside any transaction block, each committing on its own:
   * for `CREATE INDEX CONCURRENTLY`, which Postgres refuses inside a transaction.
   */
  session<T>(work: (session: SqlTransaction) => Promise<T>): Promise<T>;
  /** The driver's own handle: the `pg` pool, or the PGlite database (started if it was not yet). */
  native(): Promise<Pool | PGlite>;
  /** Releases what this client created; a pool or engine the caller handed in stays open. */
  close(): Promise<void>;
}

/** Inlined literals for a server's one-round-trip `run`, bound parameters for PGlite's transaction. */
export function parametersFor(engine: SqlClient['engine']): ParameterSink {
  return engine === 'pg' ? new InlineParameters() : new SqlParameters();
}

/**
 * A connection the server ends (a restart, a failover, `pg_terminate_backend`,
 * `idle_session_timeout`) makes `pg` emit 'error' on the pool when it is idle and on the client
 * when it is checked out; an 'error' event with no listener ends the Node process. Idle ones the
 * pool discards by itself, so its listener only has to exist; a checked-out one is marked broken
 * and destroyed on release, and the call in flight fails with the driver's error.
 */
function ignoreIdleConnectionLoss(): void {}

/** One listener per pool, however many backends share it; it stays as long as the pool. */
const guardedPools = new WeakSet<Pool>();

export function poolClient(pool: Pool, ownsPool: boolean): SqlClient {
  if (!guardedPools.has(pool)) {
    pool.on('error', ignoreIdleConnectionLoss);
    guardedPools.add(pool);
  }
  async function withConnection<T>(work: (connection: PoolClient, markBroken: () => void) => Promise<T>): Promise<T> {
    const connection: PoolClient = await pool.connect();
    let broken = false;
    const onError = () => {
      broken = true;
    };
    connection.on('error', onError);
    try {
      return await work(connection, () => {
        broken = true;
      });
    } finally {
      // A broken connection keeps its listener: it may still report its end after release.
      if (!broken) connection.off('error', onError);
      connection.release(broken);
    }
  }
  const statements = (connection: PoolClient): SqlTransaction => ({
    query: async (sql, params) => connection.query(sql, params as unknown[]) as never,
  });
  return {
    native: () => Promise.resolve(pool),
    engine: 'pg',
    target: describePool(pool),
    transaction(work) {
      return withConnection(async (connection, markBroken) => {
        await connection.query('BEGIN');
        try {
          const result = await work(statements(connection));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await connection.query('ROLLBACK');
          } catch {
            // A connection that cannot even roll back is discarded rather than reused.
            markBroken();
          }
          throw error;
        }
      });
    },
    async run(statements) {
      // The simple protocol takes no parameters: a bound value here would be sent as text
      // for `$n` to mean nothing, so it is refused rather than guessed at.
      if (statements.some((statement) => statement.values.length > 0)) throw new BackendError('A one-round-trip statement carries bound values.');
      if (statements.length === 0) return [];
      const result = (await pool.query(statements.map((statement) => statement.text).join(';\n'))) as unknown as SqlResult<Record<string, unknown>> | SqlResult<Record<string, unknown>>[];
      return Array.isArray(result) ? result : [result];
    },
    parameters: () => parametersFor('pg'),
    session(work) {
      return withConnection(async (connection, markBroken) => {
        try {
          return await work(statements(connection));
        } catch (error) {
          // Session-level state (advisory locks) may be left behind: never reuse the connection.
          markBroken();
          throw error;
        }
      });
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
export function pgliteClient(database: PGlite, ownsDatabase: boolean, dataDir?: string): SqlClient {
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    // One queue per engine, shared by every backend handle on it.
    const tail = queues.get(database) ?? Promise.resolve();
    const run = tail.then(work);
    queues.set(database, run.catch(() => undefined));
    return run;
  };
  return {
    engine: 'pglite',
    native: () => Promise.resolve(database),
    target: { engine: 'pglite', ...(dataDir === undefined ? {} : { dataDir }) },
    transaction(work) {
      return enqueue(() =>
        database.transaction(async (transaction) =>
          work({ query: async (sql, params) => transaction.query(sql, params as unknown[]) as never }),
        ),
      );
    },
    run(statements) {
      return enqueue(() =>
        database.transaction(async (transaction) => {
          const results: SqlResult<Record<string, unknown>>[] = [];
          for (const statement of statements) results.push((await transaction.query(statement.text, statement.values)) as never);
          return results;
        }),
      );
    },
    parameters: () => parametersFor('pglite'),
    session(work) {
      return enqueue(() => work({ query: async (sql, params) => database.query(sql, params as unknown[]) as never }));
    },
    async close() {
      await queues.get(database);
      if (ownsDatabase) await database.close();
    },
  };
}

const queues = new WeakMap<PGlite, Promise<unknown>>();
