import pg from 'pg';
import { describe, it } from 'vitest';
import { createEmbeddedDatabase } from './index.js';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings, type PgvectorSettings } from './pgvector-settings.js';
import { pgliteClient, poolClient, type SqlClient, type SqlTransaction } from './sql-client.js';

/**
 * Test support, not shipped: the two engines the package's own tests run on. PGlite always;
 * the native server only when DATABASE_URL is set. Each test uses its own schema.
 */
export interface TestEngine {
  name: 'pglite' | 'native';
  /** A client on the shared engine; closing it leaves the engine running. */
  client(): SqlClient;
  /** A second, independent client — another "process" as far as locks are concerned. */
  secondClient(): SqlClient;
  /** Raw SQL through the same pool or PGlite, in one transaction, bypassing the backend. */
  raw<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

let schemaCounter = 0;
export function uniqueSchema(): string {
  schemaCounter += 1;
  return `tv_${process.pid}_${Date.now().toString(36)}_${schemaCounter}`;
}

/** Hands out fresh schemas and drops every one it handed out, so a suite leaves nothing behind. */
export function schemaTracker() {
  const schemas: string[] = [];
  return {
    fresh(): string {
      const schema = uniqueSchema();
      schemas.push(schema);
      return schema;
    },
    async dropAll(engine: TestEngine): Promise<void> {
      for (const schema of schemas.splice(0)) await dropSchema(engine, schema);
    },
  };
}

export function backendOn(engine: TestEngine, settings: Omit<PgvectorSettings, 'pool' | 'pglite' | 'dataDir' | 'connectionString'> & { schema: string }) {
  return new PgvectorBackend(engine.client(), resolveSettings(settings));
}

export async function pgliteEngine(): Promise<TestEngine> {
  const database = await createEmbeddedDatabase();
  return {
    name: 'pglite',
    client: () => pgliteClient(database, false),
    secondClient: () => pgliteClient(database, false),
    raw: (work) => pgliteClient(database, false).transaction(work),
    close: () => database.close(),
  };
}

export function nativeEngine(): TestEngine {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const others: pg.Pool[] = [];
  return {
    name: 'native',
    client: () => poolClient(pool, false),
    secondClient: () => {
      const other = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      others.push(other);
      return poolClient(other, false);
    },
    raw: (work) => poolClient(pool, false).transaction(work),
    close: async () => {
      await Promise.all(others.map((other) => other.end()));
      await pool.end();
    },
  };
}

export async function dropSchema(engine: TestEngine, schema: string): Promise<void> {
  await engine.raw((transaction) => transaction.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** Why a native-server suite does not run: the native server is reached through DATABASE_URL only. */
export const NO_NATIVE_SERVER = 'set DATABASE_URL to a Postgres with pgvector (scripts/setup-postgres.sh builds it) to run';

/**
 * Registers a suite that needs the native server. Without DATABASE_URL it shows as skipped with
 * the reason in its title; in CI, where `.ci/run` builds pgvector and sets DATABASE_URL, a missing
 * one fails instead, so the native half can never pass by being skipped.
 */
export function describeOnNativeServer(title: string, tests: () => void): void {
  if (process.env.DATABASE_URL) {
    describe(title, tests);
  } else if (process.env.CI) {
    describe(title, () => {
      it('has a native server to run on', () => {
        throw new Error(`DATABASE_URL is not set in CI: ${NO_NATIVE_SERVER}.`);
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${NO_NATIVE_SERVER})`, tests);
  }
}
