import { createEmbeddedDatabase, loadPg } from './database-drivers.js';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings, type PgvectorSettings } from './pgvector-settings.js';
import { pgliteClient, poolClient, type SqlClient } from './sql-client.js';

export { PgvectorBackend } from './pgvector-backend.js';
export { resolveSettings, type HnswSettings, type PgvectorConnection, type PgvectorSettings, type ResolvedSettings } from './pgvector-settings.js';
export { pgliteClient, poolClient } from './sql-client.js';
export { migrations, runMigrations } from './migrations.js';
export { TENANT_SETTING } from './row-level-security.js';
export type { SqlClient, SqlTransaction } from './sql-client.js';
export { createEmbeddedDatabase, type PGliteDatabase } from './database-drivers.js';

function lazyClient(engine: SqlClient['engine'], start: () => Promise<SqlClient>): SqlClient {
  let started: Promise<SqlClient> | undefined;
  const client = () => (started ??= start());
  return {
    // The engine is known from the settings before anything starts.
    engine,
    async transaction(work) {
      return (await client()).transaction(work);
    },
    async close() {
      if (started !== undefined) await (await started).close();
    },
  };
}

function clientFor(settings: PgvectorSettings): SqlClient {
  if (settings.pool !== undefined) return poolClient(settings.pool, false);
  const { connectionString } = settings;
  // pg is an optional peer dependency: imported when the first statement runs.
  if (connectionString !== undefined) return lazyClient('pg', async () => poolClient(new (await loadPg()).Pool({ connectionString }), true));
  if (settings.pglite !== undefined) return pgliteClient(settings.pglite, false);
  // Embedded: start-up takes a second or two, so it happens on first use, not at construction.
  const dataDir = settings.dataDir;
  return lazyClient('pglite', async () => pgliteClient(await createEmbeddedDatabase(dataDir), true));
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
