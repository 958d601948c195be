import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings, type PgvectorSettings } from './pgvector-settings.js';
import { pgliteClient, poolClient, type SqlClient } from './sql-client.js';

export { PgvectorBackend } from './pgvector-backend.js';
export { resolveSettings, type HnswSettings, type PgvectorConnection, type PgvectorSettings, type ResolvedSettings } from './pgvector-settings.js';
export { pgliteClient, poolClient } from './sql-client.js';
export { migrations, runMigrations } from './migrations.js';
export { TENANT_SETTING } from './row-level-security.js';
export { printSetupSql, type SetupSqlParams } from './setup-sql.js';
export type { ConnectionTarget } from './connection-target.js';
export type { SqlClient, SqlTransaction } from './sql-client.js';

/** Starts an embedded Postgres with pgvector loaded: in memory, or persisted in `dataDir`. */
export async function createEmbeddedDatabase(dataDir?: string): Promise<PGlite> {
  const options = { extensions: { vector } };
  return dataDir === undefined ? PGlite.create(options) : PGlite.create(dataDir, options);
}

function lazyClient(dataDir: string | undefined, start: () => Promise<SqlClient>): SqlClient {
  let started: Promise<SqlClient> | undefined;
  const client = () => (started ??= start());
  return {
    // The engine is known from the settings before anything starts.
    engine: 'pglite',
    target: { engine: 'pglite', ...(dataDir === undefined ? {} : { dataDir }) },
    async transaction(work) {
      return (await client()).transaction(work);
    },
    async session(work) {
      return (await client()).session(work);
    },
    async close() {
      if (started !== undefined) await (await started).close();
    },
  };
}

function clientFor(settings: PgvectorSettings): SqlClient {
  if (settings.pool !== undefined) return poolClient(settings.pool, false);
  if (settings.connectionString !== undefined) return poolClient(new pg.Pool({ connectionString: settings.connectionString }), true);
  if (settings.pglite !== undefined) return pgliteClient(settings.pglite, false);
  // Embedded: start-up takes a second or two, so it happens on first use, not at construction.
  const dataDir = settings.dataDir;
  return lazyClient(dataDir, async () => pgliteClient(await createEmbeddedDatabase(dataDir), true, dataDir));
}

/**
 * A `VectorBackend` on Postgres + pgvector. With `connectionString` or `pool` it talks to a
 * server through `pg`; with `pglite`, `dataDir` or nothing it runs embedded on PGlite, so
 * `pgvector()` alone works with no server at all (in memory).
 */
export function pgvector(settings: PgvectorSettings = {}): PgvectorBackend {
  const resolved = resolveSettings(settings);
  return new PgvectorBackend(clientFor(settings), resolved);
}
