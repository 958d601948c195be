import { runConformance } from '@tenantvec/conformance';
import pg from 'pg';
import { pgvector } from './index.js';

/**
 * One pool and one throw-away schema for every handle, dropped at the end. The schema carries the
 * process id and a time stamp, so packages testing on the same server at once never meet.
 */
let native: { pool: pg.Pool; schema: string } | undefined;
function nativeServer(): { pool: pg.Pool; schema: string } {
  native ??= {
    pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 }),
    schema: `tenantvec_test_${process.pid}_${Date.now().toString(36)}`,
  };
  return native;
}

runConformance({
  name: 'pgvector',
  unavailable: () => (process.env.DATABASE_URL === undefined ? 'DATABASE_URL is not set' : undefined),
  async create(settings = {}) {
    const { pool, schema } = nativeServer();
    return pgvector({ pool, schema, ...settings });
  },
  async teardown() {
    // Teardown runs available or not; nothing was made if no handle was.
    if (native === undefined) return;
    const { pool, schema } = native;
    native = undefined;
    // Shared tables are split into hash partitions (64 by default): one DROP SCHEMA taking every
    // collection of the run in one transaction needs more locks than the server's lock table holds.
    const parents = await pool.query<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relnamespace = to_regnamespace($1) AND relkind = 'p'", [schema]);
    for (const { name } of parents.rows) await pool.query(`DROP TABLE IF EXISTS "${schema}"."${name.replaceAll('"', '""')}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  },
});
