import { BackendError } from '@tenantvec/core';
import type { ResolvedSettings } from './pgvector-settings.js';
import { createVectorIndexStatement, needsIndex, readKeySize } from './query-planner.js';
import { enterTenant } from './row-level-security.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { hashPartitionTableName, lockKeyOf, qualified, vectorIndexName } from './sql-names.js';
import type { Target } from './table-layout.js';

/** What one build did: built (or rebuilt) the index, or found nothing to do (another process holds it, or it is current). */
export type BuildOutcome = 'built' | 'skipped';

/**
 * Gives a table, or one tenant key of a shared table, its own HNSW index once it has grown
 * past `partialIndexAbove`, and rebuilds it each time the key outgrows it `hnsw.rebuildFactor`
 * times; the write call that crossed builds it, after its write committed.
 * On a server the build is `CREATE INDEX CONCURRENTLY` on a connection of its own, outside
 * any transaction: it takes no lock that holds back other tenants' writes to the table, and
 * the catalogue says `indexed` only once the index is valid. A per-key advisory lock, tried
 * and never waited on, keeps concurrent writers from building it twice. PGlite has one session
 * that runs one statement at a time, so there the build is a plain `CREATE INDEX` and every
 * caller of that engine waits for it whatever lock it takes.
 */
export async function buildVectorIndex(client: SqlClient, settings: ResolvedSettings, target: Target, key: string): Promise<BuildOutcome> {
  const base = {
    settings,
    table: target.table,
    metric: target.metric,
    key,
    ...(target.keyColumn === undefined ? {} : { keyColumn: target.keyColumn }),
  };
  const lock = lockKeyOf(settings.schema, `${target.table}/${key}`);
  const markIndexed = `UPDATE ${qualified(settings.schema, '_vector_indexes')} SET indexed = true, built_records = records WHERE table_name = $1 AND key = $2`;
  const name = qualified(settings.schema, vectorIndexName(target.table, key));
  // The graph must fit in maintenance_work_mem or the build spills and crawls; for this build only.
  const buildMemory = ['maintenance_work_mem', `${settings.hnsw.buildMemoryMegabytes}MB`];
  if (client.engine === 'pglite') {
    await client.transaction(async (transaction) => {
      await transaction.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
      await transaction.query('SELECT set_config($1, $2, true)', buildMemory);
      // One session, one statement at a time: an index that exists is one the key has outgrown.
      const { rows } = await transaction.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
      const index = { ...base, ...(await leafHolding(transaction, settings, target, key)) };
      await transaction.query(rows[0]?.exists === true ? `REINDEX INDEX ${name}` : createVectorIndexStatement(index));
      // The catalogue is forced: its row is reached as the app role under the key, like a write.
      await enterTenant(transaction, settings, key);
      await transaction.query(markIndexed, [target.table, key]);
    });
    return 'built';
  }
  return client.session(async (session): Promise<BuildOutcome> => {
      const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lock]);
      if (rows[0]?.locked !== true) return 'skipped';
      try {
        const size = await underKey(session, settings, key, (transaction) => readKeySize(transaction, settings.schema, target.table, key));
        // Another writer built or rebuilt it meanwhile.
        if (size?.indexed === true && !needsIndex(size, settings)) return 'skipped';
        // An interrupted concurrent build leaves an invalid index that IF NOT EXISTS would keep.
        const existing = await session.query<{ valid: boolean }>('SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)', [name]);
        if (existing.rows[0]?.valid === false) await session.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
        const index = { ...base, ...(await leafHolding(session, settings, target, key)) };
        // A session setting (CONCURRENTLY runs outside a transaction), reset before the pool reuses the connection.
        await session.query('SELECT set_config($1, $2, false)', buildMemory);
        // A rebuild replaces the graph without a moment with no index: searches keep the old one until the swap.
        const rebuild = size?.indexed === true && existing.rows[0]?.valid === true;
        await session.query(rebuild ? `REINDEX INDEX CONCURRENTLY ${name}` : createVectorIndexStatement({ ...index, concurrently: true }));
        await underKey(session, settings, key, (transaction) => transaction.query(markIndexed, [target.table, key]));
        return 'built';
      } finally {
        await session.query('RESET maintenance_work_mem').catch(() => undefined);
        await session.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
  });
}

/**
 * The leaf of a hash-partitioned shared table that holds the key, where its partial index must be
 * built (CONCURRENTLY works on a leaf, not on a partitioned parent). Found from the partition
 * bounds alone, with no read of the tenant's rows.
 */
async function leafHolding(transaction: SqlTransaction, settings: ResolvedSettings, target: Target, key: string): Promise<{ on?: string }> {
  if (target.hashPartitions === undefined) return {};
  const { rows } = await transaction.query<{ remainder: number }>(
    `SELECT remainder FROM generate_series(0, $2::integer - 1) AS remainder
     WHERE satisfies_hash_partition($1::regclass, $2::integer, remainder, $3::text)`,
    [qualified(settings.schema, target.table), target.hashPartitions, key],
  );
  const remainder = rows[0]?.remainder;
  if (remainder === undefined) throw new BackendError(`No partition of ${target.table} holds the tenant key.`);
  return { on: hashPartitionTableName(target.table, Number(remainder)) };
}

/**
 * One transaction on the build's own session as the app role under the key: the catalogue's
 * policies confine even its owner, and the setting must not outlive the work on a pooled connection.
 */
async function underKey<T>(session: SqlTransaction, settings: ResolvedSettings, key: string, work: (transaction: SqlTransaction) => Promise<T>): Promise<T> {
  await session.query('BEGIN');
  try {
    await enterTenant(session, settings, key);
    const result = await work(session);
    await session.query('COMMIT');
    return result;
  } catch (error) {
    // A lost connection fails the ROLLBACK too; the caller needs the first error.
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
