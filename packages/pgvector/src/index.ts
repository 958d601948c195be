import { InvalidSettingsError, parseSettings, type BackendDescription } from '@tenantvec/core/backend';
import { describeConnectionOptions, describeServer, isReadableConnectionString, type ConnectionTarget } from './connection-target.js';
import { createEmbeddedDatabase, loadPg } from './database-drivers.js';
import { describeEmbedded } from './database-location.js';
import { PgvectorBackend } from './pgvector-backend.js';
import {
  pgliteOnlySettings,
  pgliteSettingsSchema,
  pgvectorSettingsSchema,
  resolveSettings,
  serverOnlySettings,
  type PgliteSettings,
  type PgliteStorage,
  type PgvectorConnection,
  type PgvectorOptions,
  type PgvectorSettings,
} from './pgvector-settings.js';
import { readOnlyClient, ReadOnlyPgvectorBackend } from './read-only-backend.js';
import { parametersFor, pgliteClient, poolClient, type SqlClient } from './sql-client.js';

export { PgvectorBackend } from './pgvector-backend.js';
export { pgliteSettingsSchema, pgvectorSettingsSchema, resolveSettings } from './pgvector-settings.js';
export type { HnswSettings, PgliteSettings, PgliteStorage, PgvectorConnection, PgvectorOptions, PgvectorSettings, ResolvedSettings } from './pgvector-settings.js';
export { ReadOnlyPgvectorBackend } from './read-only-backend.js';
export { pgliteClient, poolClient } from './sql-client.js';
export { migrations, runMigrations } from './migrations.js';
export { TENANT_SETTING } from './row-level-security.js';
export { printSetupSql, type SetupSqlParams } from './setup-sql.js';
export type { ConnectionTarget } from './connection-target.js';
export type { SqlClient, SqlTransaction } from './sql-client.js';
export { createEmbeddedDatabase, type PGliteDatabase } from './database-drivers.js';

/** A client whose driver is loaded and started by the first statement, not at construction. */
function lazyClient(target: ConnectionTarget, start: () => Promise<SqlClient>): SqlClient {
  let started: Promise<SqlClient> | undefined;
  const client = () => (started ??= start());
  return {
    // The engine is known from the settings before anything starts.
    engine: target.engine,
    target,
    async transaction(work) {
      return (await client()).transaction(work);
    },
    async run(statements) {
      return (await client()).run(statements);
    },
    parameters: () => parametersFor(target.engine),
    async native() {
      return (await client()).native();
    },
    async session(work) {
      return (await client()).session(work);
    },
    async close() {
      if (started !== undefined) await (await started).close();
    },
  };
}

function serverClient(settings: PgvectorConnection, connectionString: string | undefined): SqlClient {
  if (settings.pool !== undefined) return poolClient(settings.pool, false);
  // pg is an optional peer dependency: imported when the first statement runs.
  return lazyClient(describeConnectionOptions({ connectionString }), async () => poolClient(new (await loadPg()).Pool({ connectionString }), true));
}

function embeddedClient(settings: PgliteStorage): SqlClient {
  if (settings.pglite !== undefined) return pgliteClient(settings.pglite, false);
  // Start-up takes a second or two, so it happens on first use, not at construction.
  const dataDir = settings.dataDir;
  return lazyClient({ engine: 'pglite', ...(dataDir === undefined ? {} : { dataDir }) }, async () => pgliteClient(await createEmbeddedDatabase(dataDir), true, dataDir));
}

function backendOn(client: SqlClient, settings: PgvectorOptions, description: BackendDescription): PgvectorBackend {
  const resolved = resolveSettings(settings);
  return resolved.readOnly ? new ReadOnlyPgvectorBackend(readOnlyClient(client), resolved, description) : new PgvectorBackend(client, resolved, description);
}

/**
 * A `VectorBackend` on a Postgres + pgvector server, through `pg`: `connectionString` or `pool`,
 * else `DATABASE_URL` from the environment. With none of them it refuses to start rather than
 * fall back to an embedded database; embedded Postgres is {@link pglite}.
 */
export function pgvector(settings: PgvectorSettings): PgvectorBackend {
  const given = parseSettings({ schema: pgvectorSettingsSchema, settings, root: 'pgvector', elsewhere: pgliteOnlySettings }) as PgvectorSettings;
  const fromEnvironment = process.env['DATABASE_URL'] || undefined;
  const connectionString = given.connectionString ?? (given.pool === undefined ? fromEnvironment : undefined);
  if (given.pool === undefined && connectionString === undefined) {
    throw new InvalidSettingsError('pgvector', [{
      path: [],
      message: 'needs a server: give connectionString or pool, or set DATABASE_URL; for embedded Postgres with no server use pglite() (in a config, type: pglite)',
    }]);
  }
  if (connectionString !== undefined && !isReadableConnectionString(connectionString)) {
    // pg would resolve it against postgres://base and connect to a host named "base".
    throw new InvalidSettingsError('pgvector', [{
      path: given.connectionString === undefined ? [] : ['connectionString'],
      message: `${given.connectionString === undefined ? 'DATABASE_URL ' : ''}must be a URL (postgres://user@host:port/database): pg does not read the keyword/value form`,
    }]);
  }
  const client = serverClient(given, connectionString);
  const detail = given.pool !== undefined ? 'a pool handed in' : given.connectionString === undefined ? 'from DATABASE_URL' : undefined;
  // Built from the client's target, the one parser: what it prints is where pg connects.
  return backendOn(client, given, describeServer(client.target, detail));
}

/**
 * A `VectorBackend` on embedded Postgres (PGlite + pgvector), no server: in memory, persisted in
 * `dataDir`, or on a PGlite instance you made. Server settings are refused, not ignored.
 */
export function pglite(settings: PgliteSettings = {}): PgvectorBackend {
  const given = parseSettings({ schema: pgliteSettingsSchema, settings, root: 'pglite', elsewhere: serverOnlySettings }) as PgliteSettings;
  return backendOn(embeddedClient(given), given, describeEmbedded(given));
}

export { backendDescriptors, pgliteBackendDescriptor, pgliteDecision, pgvectorBackendDescriptor, pgvectorDecision } from './backend-descriptor.js';
export { embeddedRecordLimit } from './embedded-limit.js';
