import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { qualified, quoteIdentifier, quoteLiteral } from './sql-names.js';

/** Every process migrating any schema of this database queues on this one advisory lock. */
const MIGRATION_LOCK = 'tenantvec:migrations';

interface Migration {
  version: number;
  name: string;
  statements(settings: ResolvedSettings): string[];
}

/**
 * The catalogue the backend keeps beside the data. Append only: a released migration never
 * changes, a new one gets the next version.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'catalogue',
    statements: ({ schema }) => [
      'CREATE EXTENSION IF NOT EXISTS vector',
      `CREATE TABLE ${qualified(schema, '_collections')} (
        name text COLLATE "C" PRIMARY KEY,
        dimension integer NOT NULL,
        metric text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('single', 'tenant', 'paths', 'partitioned')),
        tenant text COLLATE "C"
      )`,
      `CREATE TABLE ${qualified(schema, '_partitions')} (
        collection text COLLATE "C" NOT NULL REFERENCES ${qualified(schema, '_collections')} (name) ON DELETE CASCADE,
        name text COLLATE "C" NOT NULL,
        tenant text COLLATE "C" NOT NULL,
        table_name text NOT NULL UNIQUE,
        PRIMARY KEY (collection, name)
      )`,
      // One row per table that is not shared (key '') and per tenant key of a shared table:
      // how many records it held at the last write, and whether it has its own HNSW index.
      `CREATE TABLE ${qualified(schema, '_vector_indexes')} (
        table_name text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        records bigint NOT NULL DEFAULT 0,
        indexed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (table_name, key)
      )`,
    ],
  },
  {
    version: 2,
    name: 'roles',
    statements: ({ schema, appRole, adminRole }) => {
      const app = quoteIdentifier(appRole);
      const admin = quoteIdentifier(adminRole);
      const indexes = qualified(schema, '_vector_indexes');
      const createRole = (role: string) => `
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) THEN
          BEGIN
            CREATE ROLE ${quoteIdentifier(role)} NOLOGIN NOBYPASSRLS;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database of the cluster won the race
          END;
        END IF;
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT %I TO %I', ${quoteLiteral(role)}, current_user);
        END IF;`;
      return [
        `DO $roles$ BEGIN ${createRole(appRole)} ${createRole(adminRole)} END $roles$`,
        `GRANT USAGE ON SCHEMA ${quoteIdentifier(schema)} TO ${app}, ${admin}`,
        `GRANT SELECT ON ${qualified(schema, '_collections')}, ${qualified(schema, '_partitions')} TO ${app}, ${admin}`,
        // Sizes and index flags per tenant key are bookkeeping the app role keeps as it writes.
        `GRANT SELECT, INSERT, UPDATE ON ${indexes} TO ${app}`,
      ];
    },
  },
];

async function appliedVersions(transaction: SqlTransaction, schema: string): Promise<Set<number>> {
  await transaction.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  await transaction.query(`CREATE TABLE IF NOT EXISTS ${qualified(schema, '_migrations')} (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await transaction.query<{ version: number }>(`SELECT version FROM ${qualified(schema, '_migrations')}`);
  return new Set(rows.map((row) => Number(row.version)));
}

/**
 * Brings the schema up to date and returns the versions this call applied (empty when another
 * process got there first). One transaction under one advisory lock: two processes starting
 * at once queue, the second finds everything applied, and a failing migration leaves nothing
 * half done.
 */
export async function runMigrations(client: SqlClient, settings: ResolvedSettings): Promise<number[]> {
  return client.transaction(async (transaction) => {
    await transaction.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
    const applied = await appliedVersions(transaction, settings.schema);
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(settings)) await transaction.query(statement);
      await transaction.query(`INSERT INTO ${qualified(settings.schema, '_migrations')} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}
