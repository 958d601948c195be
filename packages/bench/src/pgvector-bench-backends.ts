import { ConfigurationError, type VectorBackend } from '@tenantvec/core';
import type { BenchBackend } from './bench-backends.js';
import type { HandWrittenAccess, SqlSession } from './hand-written-sql.js';
import { factoryOf, importAdapter } from './import-adapter.js';

const packageName = '@tenantvec/pgvector';

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

type ResolveSettings = (settings: Record<string, unknown>) => { exactScanBelow: number; partialIndexAbove: number; hnsw: { efSearch: number; maxScanTuples: number } };

/** The backend's own resolved settings, so the baseline plans with the thresholds the backend uses. */
function handWrittenAccess(module: Record<string, unknown>, settings: Record<string, unknown>, schema: string, openSession: () => Promise<SqlSession>) {
  const resolved = factoryOf<ResolveSettings>(module, 'resolveSettings', packageName)(settings);
  const access: HandWrittenAccess = { schema, exactScanBelow: resolved.exactScanBelow, efSearch: resolved.hnsw.efSearch, maxScanTuples: resolved.hnsw.maxScanTuples, openSession };
  return { handWritten: access, indexThreshold: resolved.partialIndexAbove };
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

/** Embedded Postgres in WebAssembly: a fresh in-memory database per strategy, no server. */
export const pgliteBenchBackend: BenchBackend = {
  name: 'pglite',
  embedded: true,
  packageName,
  async open({ settings }) {
    const module = await importAdapter(packageName, 'pglite');
    const database = await factoryOf<() => Promise<SqlRunner & { close(): Promise<void> }>>(module, 'createEmbeddedDatabase', packageName)();
    const schema = schemaName(settings['schema'], 'tenantvec');
    const backend = factoryOf<(settings: Record<string, unknown>) => VectorBackend>(module, 'pglite', packageName)({ ...settings, pglite: database });
    // PGlite has one session: the baseline shares it, and resets what it sets when it is done.
    const session: SqlSession = { query: (sql, parameters) => database.query(sql, parameters), close: async () => {} };
    return {
      backend,
      ...handWrittenAccess(module, settings, schema, async () => session),
      storageBytes: () => schemaBytes(database, schema),
      version: () => serverVersion(database),
      // The whole database lives in memory: closing it removes everything.
      dispose: () => database.close(),
      disposeRemovesData: true,
    };
  },
};

/**
 * A native Postgres server with pgvector: `connectionString` from the config, else
 * `DATABASE_URL`. Each strategy runs in a schema of its own, dropped before and after the run.
 */
export const pgvectorBenchBackend: BenchBackend = {
  name: 'pgvector',
  embedded: false,
  packageName,
  async open({ settings, run, environment }) {
    const { connectionString = environment['DATABASE_URL'], schema: baseSchema, ...rest } = settings as { connectionString?: string; schema?: string };
    if (typeof connectionString !== 'string' || connectionString === '') {
      throw new ConfigurationError('The pgvector backend needs a server: set DATABASE_URL, or backend.connectionString in --config.');
    }
    const module = await importAdapter(packageName, 'pgvector');
    const pg = (await importAdapter('pg', 'pgvector')) as {
      default: {
        Pool: new (settings: { connectionString: string; max: number }) => SqlRunner & { end(): Promise<void> };
        Client: new (settings: { connectionString: string }) => SqlRunner & { connect(): Promise<void>; end(): Promise<void> };
      };
    };
    const schema = schemaName(`${schemaName(baseSchema, 'tenantvec_bench')}_${run.replaceAll('-', '_')}`.slice(0, 48), '');
    const pool = new pg.default.Pool({ connectionString, max: 4 });
    const dropSchema = () => dropSchemaInBatches(pool, schema);
    try {
      await dropSchema();
    } catch (cause) {
      await pool.end();
      throw new ConfigurationError(`Cannot reach the Postgres server: ${(cause as Error).message}`, { cause });
    }
    const backend = factoryOf<(settings: Record<string, unknown>) => VectorBackend>(module, 'pgvector', packageName)({ ...rest, pool, schema });
    // The baseline's sessions are connections of their own, as the login, outside the backend's pool.
    const openSession = async (): Promise<SqlSession> => {
      const client = new pg.default.Client({ connectionString });
      await client.connect();
      return { query: (sql, parameters) => client.query(sql, parameters), close: () => client.end() };
    };
    return {
      backend,
      ...handWrittenAccess(module, { ...rest, schema }, schema, openSession),
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
