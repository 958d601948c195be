import type { ResolvedSettings } from './pgvector-settings.js';
import { createVectorIndexStatement, readKeySize } from './query-planner.js';
import { enterTenant } from './row-level-security.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { lockKeyOf, qualified, vectorIndexName } from './sql-names.js';
import type { Target } from './table-layout.js';

/**
 * Gives a table, or one tenant key of a shared table, its own HNSW index once it has grown
 * past `partialIndexAbove`; the write call that crossed builds it, after its write committed.
 * On a server the build is `CREATE INDEX CONCURRENTLY` on a connection of its own, outside
 * any transaction: it takes no lock that holds back other tenants' writes to the table, and
 * the catalogue says `indexed` only once the index is valid. A per-key advisory lock, tried
 * and never waited on, keeps concurrent writers from building it twice. PGlite has one session
 * that runs one statement at a time, so there the build is a plain `CREATE INDEX` and every
 * caller of that engine waits for it whatever lock it takes.
 */
export async function buildVectorIndex(client: SqlClient, settings: ResolvedSettings, target: Target, key: string): Promise<void> {
  const index = {
    settings,
    table: target.table,
    metric: target.metric,
    key,
    ...(target.keyColumn === undefined ? {} : { keyColumn: target.keyColumn }),
  };
  const lock = lockKeyOf(settings.schema, `${target.table}/${key}`);
  const markIndexed = `UPDATE ${qualified(settings.schema, '_vector_indexes')} SET indexed = true WHERE table_name = $1 AND key = $2`;
  if (client.engine === 'pglite') {
    await client.transaction(async (transaction) => {
      await transaction.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
      await transaction.query(createVectorIndexStatement(index));
      // The catalogue is forced: its row is reached as the app role under the key, like a write.
      await enterTenant(transaction, settings, key);
      await transaction.query(markIndexed, [target.table, key]);
    });
    return;
  }
  await client.session(async (session) => {
      const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lock]);
      if (rows[0]?.locked !== true) return;
      try {
        if ((await underKey(session, settings, key, (transaction) => readKeySize(transaction, settings.schema, target.table, key)))?.indexed === true) return;
        // An interrupted concurrent build leaves an invalid index that IF NOT EXISTS would keep.
        const name = qualified(settings.schema, vectorIndexName(target.table, key));
        const existing = await session.query<{ valid: boolean }>('SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)', [name]);
        if (existing.rows[0]?.valid === false) await session.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
        await session.query(createVectorIndexStatement({ ...index, concurrently: true }));
        await underKey(session, settings, key, (transaction) => transaction.query(markIndexed, [target.table, key]));
      } finally {
        await session.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
  });
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
