import { assertSameCollection, BackendError, ConfigurationError, type CollectionInfo, type CollectionSpec, type Metric, type PartitionInfo } from '@tenantvec/core/backend';
import type { ResolvedSettings } from './pgvector-settings.js';
import { enterAdmin } from './row-level-security.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { assertCollectionName, lockKeyOf, partitionTableName, qualified } from './sql-names.js';
import { createCollectionStatements, createPartitionStatements, hashPartitionsFor, kindOf, type TableKind } from './table-layout.js';

export interface CollectionEntry {
  name: string;
  dimension: number;
  metric: Metric;
  kind: TableKind;
  tenant?: string;
  /** Shared tables: hash partitions on the tenant key, 1 for one plain table (every other kind too). */
  hashPartitions: number;
  /** What its stored `words` column was built with; absent for tables created before migration 6. */
  textSearchConfiguration?: string;
}

/** Tables from before migration 6 have no stored words; keyword search analyses them with this, per query. */
export const LEGACY_TEXT_SEARCH_CONFIGURATION = 'pg_catalog.simple';

/**
 * Collections and partitions: the DDL that creates and drops them and the catalogue rows that
 * remember what each is. DDL runs as the connecting user under an advisory lock per
 * collection, so concurrent callers in any number of processes create each table once.
 */
export class CollectionCatalogue {
  private readonly known = new Map<string, CollectionEntry>();
  /** `settings.textSearchConfiguration`, schema-qualified, once resolved. */
  private configuration: string | undefined;

  constructor(private readonly client: SqlClient, private readonly settings: ResolvedSettings) {}

  private table(name: string): string {
    return qualified(this.settings.schema, name);
  }

  private async lock(transaction: SqlTransaction, name: string): Promise<void> {
    await transaction.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKeyOf(this.settings.schema, name)]);
  }

  private async read(transaction: SqlTransaction, name: string): Promise<CollectionEntry | undefined> {
    // Read through to_jsonb: a read-only backend on a schema from before migration 5 (or 6) has no
    // hash_partitions (or text_search_configuration) column, and every table there is one plain table.
    const { rows } = await transaction.query<{ dimension: number; metric: Metric; kind: TableKind; tenant: string | null; hash_partitions: string | null; text_search_configuration: string | null }>(
      `SELECT dimension, metric, kind, tenant, to_jsonb(collections) ->> 'hash_partitions' AS hash_partitions,
         to_jsonb(collections) ->> 'text_search_configuration' AS text_search_configuration
       FROM ${this.table('_collections')} AS collections WHERE name = $1`,
      [name],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      name,
      dimension: Number(row.dimension),
      metric: row.metric,
      kind: row.kind,
      ...(row.tenant === null ? {} : { tenant: row.tenant }),
      hashPartitions: row.hash_partitions === null ? 1 : Number(row.hash_partitions),
      ...(row.text_search_configuration === null ? {} : { textSearchConfiguration: row.text_search_configuration }),
    };
  }

  /** The collection as the catalogue knows it; cached, since a collection's shape never changes. */
  async find(name: string): Promise<CollectionEntry | undefined> {
    const cached = this.known.get(name);
    if (cached !== undefined) return cached;
    const entry = await this.client.transaction((transaction) => this.read(transaction, name));
    if (entry !== undefined) this.known.set(name, entry);
    return entry;
  }

  /** Forgets a cached entry, when its table turned out to be gone (dropped by another process). */
  forget(name: string): void {
    this.known.delete(name);
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    assertCollectionName(spec.name);
    await this.client.transaction(async (transaction) => {
      await this.lock(transaction, spec.name);
      const existing = await this.read(transaction, spec.name);
      if (existing !== undefined) {
        assertSameCollection({ existing: { dimension: existing.dimension, metric: existing.metric }, wanted: spec });
        const stored = existing.textSearchConfiguration ?? LEGACY_TEXT_SEARCH_CONFIGURATION;
        const wanted = await this.qualifiedConfiguration(transaction);
        // Names are stored qualified; one stored otherwise is resolved before it counts as different.
        const built = stored === wanted ? stored : await this.qualify(transaction, stored);
        if (built !== wanted) {
          throw new ConfigurationError(
            `Collection ${spec.name} was created with the text-search configuration '${built}', and this backend is set to '${this.settings.textSearchConfiguration}' (${wanted}): `
            + 'its stored words would not match queries analysed differently. Set textSearchConfiguration to the collection\'s, or migrate the records into a new store.',
          );
        }
        return;
      }
      // Schema-qualified, so that every later query names the configuration the column was built
      // with, whatever the search_path of the role that runs it.
      const configuration = await this.qualifiedConfiguration(transaction);
      const partitions = hashPartitionsFor(kindOf(spec), this.settings);
      for (const statement of createCollectionStatements(spec, { ...this.settings, textSearchConfiguration: configuration }, partitions)) await transaction.query(statement);
      await transaction.query(
        `INSERT INTO ${this.table('_collections')} (name, dimension, metric, kind, tenant, hash_partitions, text_search_configuration) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [spec.name, spec.dimension, spec.metric, kindOf(spec), spec.tenant ?? null, partitions, configuration],
      );
    });
  }

  /** The setting's configuration as this login resolves it, schema-qualified (`pg_catalog.simple`). */
  private async qualifiedConfiguration(transaction: SqlTransaction): Promise<string> {
    this.configuration ??= await this.qualify(transaction, this.settings.textSearchConfiguration);
    return this.configuration;
  }

  /** A configuration's name, schema-qualified and quoted where it must be, as `::regconfig` resolves it here. */
  private async qualify(transaction: SqlTransaction, name: string): Promise<string> {
    const { rows } = await transaction.query<{ qualified: string }>(
      `SELECT quote_ident(namespace.nspname) || '.' || quote_ident(configuration.cfgname) AS qualified FROM pg_ts_config AS configuration
       JOIN pg_namespace AS namespace ON namespace.oid = configuration.cfgnamespace WHERE configuration.oid = $1::regconfig`,
      [name],
    );
    return rows[0]!.qualified;
  }

  async dropCollection(name: string): Promise<void> {
    this.known.delete(name);
    await this.client.transaction(async (transaction) => {
      await this.lock(transaction, name);
      const { rows } = await transaction.query<{ table_name: string }>(
        `SELECT table_name FROM ${this.table('_partitions')} WHERE collection = $1`,
        [name],
      );
      const tables = [name, ...rows.map((row) => row.table_name)];
      // CASCADE takes the partitions with their parent.
      await transaction.query(`DROP TABLE IF EXISTS ${this.table(name)} CASCADE`);
      await transaction.query(`DELETE FROM ${this.table('_collections')} WHERE name = $1`, [name]);
      // Every tenant key's row goes: only the admin role's policy admits that (the owner is confined).
      await enterAdmin(transaction, this.settings);
      await transaction.query(`DELETE FROM ${this.table('_vector_indexes')} WHERE table_name = ANY($1::text[])`, [tables]);
    });
  }

  async listCollections(prefix: string): Promise<CollectionInfo[]> {
    // starts_with, not LIKE: '_' in a prefix is a character, not a wildcard.
    const { rows } = await this.client.transaction((transaction) =>
      transaction.query<{ name: string; tenant: string | null }>(
        `SELECT name, tenant FROM ${this.table('_collections')} WHERE starts_with(name, $1) ORDER BY name`,
        [prefix],
      ),
    );
    return rows.map((row) => (row.tenant === null ? { name: row.name } : { name: row.name, tenant: row.tenant }));
  }

  async ensurePartition(collection: string, partition: string, tenant: string): Promise<void> {
    await this.client.transaction(async (transaction) => {
      await this.lock(transaction, collection);
      const parent = await this.read(transaction, collection);
      if (parent === undefined) throw new BackendError(`Collection ${collection} does not exist.`);
      if (parent.kind !== 'partitioned') throw new BackendError(`Collection ${collection} is not partitioned.`);
      const { rows } = await transaction.query(
        `SELECT 1 FROM ${this.table('_partitions')} WHERE collection = $1 AND name = $2`,
        [collection, partition],
      );
      if (rows.length > 0) return;
      const tableName = partitionTableName(collection, partition);
      for (const statement of createPartitionStatements(collection, tableName, partition, this.settings)) await transaction.query(statement);
      await transaction.query(
        `INSERT INTO ${this.table('_partitions')} (collection, name, tenant, table_name) VALUES ($1, $2, $3, $4)`,
        [collection, partition, tenant, tableName],
      );
    });
  }

  async dropPartition(collection: string, partition: string): Promise<void> {
    const tableName = partitionTableName(collection, partition);
    await this.client.transaction(async (transaction) => {
      await this.lock(transaction, collection);
      await transaction.query(`DROP TABLE IF EXISTS ${this.table(tableName)}`);
      await transaction.query(`DELETE FROM ${this.table('_partitions')} WHERE collection = $1 AND name = $2`, [collection, partition]);
      await enterAdmin(transaction, this.settings);
      await transaction.query(`DELETE FROM ${this.table('_vector_indexes')} WHERE table_name = $1`, [tableName]);
    });
  }

  async listPartitions(collection: string): Promise<PartitionInfo[]> {
    const { rows } = await this.client.transaction((transaction) =>
      transaction.query<{ name: string; tenant: string }>(
        `SELECT name, tenant FROM ${this.table('_partitions')} WHERE collection = $1 ORDER BY name`,
        [collection],
      ),
    );
    return rows.map((row) => ({ name: row.name, tenant: row.tenant }));
  }
}
