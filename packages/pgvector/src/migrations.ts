import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { checkPrerequisites } from './prerequisites.js';
import { adminOnly } from './row-level-security.js';
import { qualified, quoteIdentifier, quoteLiteral } from './sql-names.js';

/** Every process migrating any schema of this database queues on this one advisory lock. */
const MIGRATION_LOCK = 'tenantvec:migrations';

interface Migration {
  version: number;
  name: string;
  /**
   * Whether the migration applies under these settings. One that does not is neither run nor
   * recorded, so it runs the first time the settings call for it (roles once RLS is turned on).
   */
  appliesTo?(settings: ResolvedSettings): boolean;
  statements(settings: ResolvedSettings): string[];
}

const withRowLevelSecurity = (settings: ResolvedSettings) => settings.rowLevelSecurity;

/**
 * The catalogue the backend keeps beside the data. Append only: a released migration never
 * changes, a new one gets the next version.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'catalogue',
    statements: ({ schema, createExtension }) => [
      // With createExtension: false an administrator created it; checkPrerequisites made sure.
      ...(createExtension ? ['CREATE EXTENSION IF NOT EXISTS vector'] : []),
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
    appliesTo: withRowLevelSecurity,
    statements: ({ schema, appRole, adminRole, provisionedRoles }) => {
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
        // Provisioned roles were created and granted by an administrator (checkPrerequisites).
        ...(provisionedRoles ? [] : [`DO $roles$ BEGIN ${createRole(appRole)} ${createRole(adminRole)} END $roles$`]),
        `GRANT USAGE ON SCHEMA ${quoteIdentifier(schema)} TO ${app}, ${admin}`,
        `GRANT SELECT ON ${qualified(schema, '_collections')}, ${qualified(schema, '_partitions')} TO ${app}, ${admin}`,
        // Sizes and index flags per tenant key are bookkeeping the app role keeps as it writes.
        `GRANT SELECT, INSERT, UPDATE ON ${indexes} TO ${app}`,
      ];
    },
  },
  {
    // The login holds the admin role (to SET ROLE to it), so it inherited the admin's
    // `USING (true)` read policy and saw every tenant's rows with no tenant set. The policy now
    // admits only a session whose current role *is* the admin role. And the size catalogue held
    // every tenant's counts open to the app role: each key's row is now confined like its data.
    version: 3,
    name: 'login-confined',
    appliesTo: withRowLevelSecurity,
    statements: ({ schema, appRole, adminRole }) => {
      const indexes = qualified(schema, '_vector_indexes');
      const ownKey = `key = coalesce(current_setting('tenantvec.tenant', true), '')`;
      return [
        `DO $policies$ DECLARE shared record; BEGIN
           FOR shared IN SELECT tablename FROM pg_policies WHERE schemaname = ${quoteLiteral(schema)} AND policyname = 'every_tenant_read' LOOP
             EXECUTE format('ALTER POLICY every_tenant_read ON %I.%I USING (%s)', ${quoteLiteral(schema)}, shared.tablename, ${quoteLiteral(adminOnly(adminRole))});
           END LOOP;
         END $policies$`,
        // ENABLE without FORCE: the login owns the catalogue and keeps it across tenants (drops).
        `ALTER TABLE ${indexes} ENABLE ROW LEVEL SECURITY`,
        `CREATE POLICY own_key ON ${indexes} TO ${quoteIdentifier(appRole)} USING (${ownKey}) WITH CHECK (${ownKey})`,
      ];
    },
  },
  {
    // Version 3 left the catalogue's owner (the login that migrated) outside its policy: it read
    // and rewrote every tenant's counts. Forced, the owner is held to `own_key` as a member of the
    // app role (its tenant's row once set, no shared key's with none), builds of an index mark
    // it under the tenant's key, and a drop removes the rows of every key as the admin role,
    // whose policies admit only a session that has SET ROLE to it.
    version: 4,
    name: 'catalogue-forced',
    appliesTo: withRowLevelSecurity,
    statements: ({ schema, adminRole }) => {
      const indexes = qualified(schema, '_vector_indexes');
      const admin = quoteIdentifier(adminRole);
      return [
        `GRANT SELECT, DELETE ON ${indexes} TO ${admin}`,
        `DROP POLICY IF EXISTS admin_read ON ${indexes}`,
        `CREATE POLICY admin_read ON ${indexes} FOR SELECT TO ${admin} USING (${adminOnly(adminRole)})`,
        `DROP POLICY IF EXISTS admin_drop ON ${indexes}`,
        `CREATE POLICY admin_drop ON ${indexes} FOR DELETE TO ${admin} USING (${adminOnly(adminRole)})`,
        `ALTER TABLE ${indexes} FORCE ROW LEVEL SECURITY`,
      ];
    },
  },
  {
    // Shared tables created from now on are split into hash partitions on the tenant key
    // (`sharedTablePartitions`); the catalogue records each collection's layout. Tables created
    // before read 1, one plain table, and keep it: a user's table is never rewritten silently.
    // And each index remembers how many records it was built on, so that it is rebuilt as its
    // key grows (`hnsw.rebuildFactor`); null for indexes built before, taken as partialIndexAbove.
    version: 5,
    name: 'partitions-and-rebuilds',
    statements: ({ schema }) => [
      `ALTER TABLE ${qualified(schema, '_collections')} ADD COLUMN IF NOT EXISTS hash_partitions integer NOT NULL DEFAULT 1 CHECK (hash_partitions >= 1)`,
      `ALTER TABLE ${qualified(schema, '_vector_indexes')} ADD COLUMN IF NOT EXISTS built_records bigint`,
    ],
  },
  {
    // Collections created from now on store each text's tsvector and its BM25 length, with a GIN
    // index, so a keyword query reads only the matching rows and the scope's lengths instead of
    // parsing every text of the scope. The catalogue names the configuration each was built
    // with; tables created before read null, keep their layout and are analysed per query.
    version: 6,
    name: 'keyword-index',
    statements: ({ schema }) => [
      // Positions per lexeme, summed: the text's length in terms, as BM25 counts it. IMMUTABLE,
      // as a generated column requires; a lexeme without positions (a tsvector cast from text) counts once.
      `CREATE OR REPLACE FUNCTION ${qualified(schema, '_term_count')}(tsvector) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT coalesce(sum(coalesce(array_length(entry.positions, 1), 1)), 0)::integer FROM unnest($1) AS entry $$`,
      `ALTER TABLE ${qualified(schema, '_collections')} ADD COLUMN IF NOT EXISTS text_search_configuration text`,
    ],
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
    await checkPrerequisites(transaction, settings, client.target);
    const applied = await appliedVersions(transaction, settings.schema);
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version) || migration.appliesTo?.(settings) === false) continue;
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
