import { memoryBackend, type VectorBackend } from '@tenantvec/core';
import { createEmbeddedDatabase, pgvector } from '@tenantvec/pgvector';
import pg from 'pg';

/**
 * The backends the conformance suite runs against. Each backend issue adds its entry here; the
 * suite runs every entry × every strategy. Narrow a run with
 * `TENANTVEC_BACKENDS=memory,pglite` and `TENANTVEC_STRATEGIES=metadata-filter`.
 */
export interface BackendUnderTest {
  name: string;
  /**
   * Why this backend cannot run here (a live service without its env var); undefined when it
   * can. Only live suites may be unavailable: emulated and embedded backends always run.
   */
  unavailable?: () => string | undefined;
  /**
   * A backend handle for one test store. Handles may share one connection or engine; closing a
   * handle must not close what it shares. Tests keep apart through unique store names.
   */
  create(settings?: { maxBatchSize?: number }): Promise<VectorBackend>;
  /** Releases what the handles shared, once the suite is done. */
  teardown?(): Promise<void>;
}

/** One embedded engine for every pglite handle: starting one takes 1–3 s. */
let embedded: ReturnType<typeof createEmbeddedDatabase> | undefined;

/** One pool and one throw-away schema for every native handle; the schema is dropped at the end. */
let native: { pool: pg.Pool; schema: string } | undefined;
function nativeServer(): { pool: pg.Pool; schema: string } {
  native ??= {
    pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 }),
    schema: `tenantvec_test_${process.pid}_${Date.now().toString(36)}`,
  };
  return native;
}

export const backendsUnderTest: BackendUnderTest[] = [
  {
    name: 'memory',
    async create(settings = {}) {
      return memoryBackend(settings);
    },
  },
  {
    name: 'pglite',
    async create(settings = {}) {
      embedded ??= createEmbeddedDatabase();
      return pgvector({ pglite: await embedded, ...settings });
    },
    async teardown() {
      if (embedded !== undefined) await (await embedded).close();
      embedded = undefined;
    },
  },
  {
    name: 'pgvector',
    unavailable: () => (process.env.DATABASE_URL === undefined ? 'DATABASE_URL is not set' : undefined),
    async create(settings = {}) {
      const { pool, schema } = nativeServer();
      return pgvector({ pool, schema, ...settings });
    },
    async teardown() {
      if (native === undefined) return;
      const { pool, schema } = native;
      native = undefined;
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  },
];
