import { ConfigurationError, type BackendDescriptor, type BenchRun, type BenchSqlSession, type VectorBackend } from '@tenantvec/core/backend';
import { resolveSettings } from './pgvector-settings.js';
import { createEmbeddedDatabase, loadPg } from './database-drivers.js';

/**
 * How the benchmark opens Postgres for one strategy's run: storage bytes and versions for the
 * report, a schema per run, and everything removed again afterwards.
 */

/** What both PGlite and a `pg` pool answer to. */
interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const schemaPattern = /^[a-z][a-z0-9_]{0,47}$/;

function schemaName(value: unknown, fallback: string): string {
  const schema = value ?? fallback;
  if (typeof schema !== 'string' || !schemaPattern.test(schema)) {
    throw new ConfigurationError('backend.schema must be 1 to 48 lowercase letters, digits or _, starting with a letter.');
  }
  return schema;
}

/** Tables with their indexes and TOAST; leaf partitions are tables too, so partitions count. */
async function schemaBytes(sql: SqlRunner, schema: string): Promise<number> {
  const { rows } = await sql.query(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
    [schema],
  );
  return Number(rows[0]?.['bytes'] ?? 0);
}

async function serverVersion(sql: SqlRunner): Promise<string> {
  const { rows } = await sql.query(`SELECT current_setting('server_version') AS server, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`);
  return `PostgreSQL ${String(rows[0]?.['server'])}, pgvector ${String(rows[0]?.['vector'])}`;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Drops a schema a hundred tables at a time, partitions first: one `DROP SCHEMA ... CASCADE`
 * over a thousand tenants' tables takes more locks than one transaction may hold
 * (`max_locks_per_transaction`), and fails.
 */
async function dropSchemaInBatches(sql: SqlRunner, schema: string): Promise<void> {
  for (;;) {
    const { rows } = await sql.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relispartition DESC, c.relname LIMIT 100`,
      [schema],
    );
    if (rows.length === 0) break;
    await sql.query(`DROP TABLE IF EXISTS ${rows.map((row) => `${quote(schema)}.${quote(String(row['relname']))}`).join(', ')} CASCADE`);
  }
  await sql.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`);
}

type Create = (settings: Record<string, unknown>) => VectorBackend;

/**
 * What the bench's "hand-written SQL, same plan" baseline needs: the thresholds this backend
 * plans with (its own resolved settings), the schema, and sessions of the baseline's own.
 */
function handWrittenAccess(settings: Record<string, unknown>, schema: string, openSession: () => Promise<BenchSqlSession>): Pick<BenchRun, 'handWritten' | 'indexThreshold'> {
  const resolved = resolveSettings(settings as Parameters<typeof resolveSettings>[0]);
  return {
    handWritten: { schema, exactScanBelow: resolved.exactScanBelow, efSearch: resolved.hnsw.efSearch, maxScanTuples: resolved.hnsw.maxScanTuples, openSession },
    indexThreshold: resolved.partialIndexAbove,
  };
}
type BenchHooks = NonNullable<BackendDescriptor['bench']>;

/** Embedded Postgres in WebAssembly: a fresh in-memory database per strategy, no server. */
export function pgliteBench(create: Create): BenchHooks {
  return {
    async open({ settings }) {
      const database = await createEmbeddedDatabase();
      const schema = schemaName(settings['schema'], 'tenantvec');
      const backend = create({ ...settings, pglite: database });
      // PGlite has one session: the baseline shares it, and resets what it sets when it is done.
      const session: BenchSqlSession = { query: (sql, parameters) => database.query(sql, parameters), close: async () => {} };
      return {
        backend,
        ...handWrittenAccess(settings, schema, async () => session),
        storageBytes: () => schemaBytes(database, schema),
        version: () => serverVersion(database),
        // The whole database lives in memory: closing it removes everything.
        dispose: () => database.close(),
        disposeRemovesData: true,
      };
    },
  };
}

/**
 * A native Postgres server with pgvector: `connectionString` from the config, else
 * `DATABASE_URL`. Each strategy runs in a schema of its own, dropped before and after the run.
 */
export function pgvectorBench(create: Create): BenchHooks {
  return {
    async open({ settings, run, environment }) {
      const { connectionString = environment['DATABASE_URL'], schema: baseSchema, ...rest } = settings as { connectionString?: string; schema?: string };
      if (typeof connectionString !== 'string' || connectionString === '') {
        throw new ConfigurationError('The pgvector backend needs a server: set DATABASE_URL, or backend.connectionString in --config.');
      }
      const pg = await loadPg();
      const schema = schemaName(`${schemaName(baseSchema, 'tenantvec_bench')}_${run.replaceAll('-', '_')}`.slice(0, 48), '');
      const pool = new pg.Pool({ connectionString, max: 4 });
      const dropSchema = () => dropSchemaInBatches(pool, schema);
      try {
        await dropSchema();
      } catch (cause) {
        await pool.end();
        throw new ConfigurationError(`Cannot reach the Postgres server: ${(cause as Error).message}`, { cause });
      }
      const backend = create({ ...rest, pool, schema });
      // The baseline's sessions are connections of their own, as the login, outside the backend's pool.
      const openSession = async (): Promise<BenchSqlSession> => {
        const client = new pg.Client({ connectionString });
        await client.connect();
        return { query: (sql, parameters) => client.query(sql, parameters), close: () => client.end() };
      };
      return {
        backend,
        ...handWrittenAccess({ ...rest, schema }, schema, openSession),
        storageBytes: () => schemaBytes(pool, schema),
        version: () => serverVersion(pool),
        async dispose() {
          try {
            await dropSchema();
          } finally {
            await pool.end();
          }
        },
        disposeRemovesData: true,
      };
    },
  };
}
