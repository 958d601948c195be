import type { CollectionSpec, Metric } from '@tenantvec/core/backend';
import type { ResolvedSettings } from './pgvector-settings.js';
import { adminOnly } from './row-level-security.js';
import { hashPartitionTableName, keyIndexName, qualified, quoteIdentifier, quoteLiteral, wordsIndexName } from './sql-names.js';

/**
 * How a collection is laid out:
 * - `single`: a table of its own (collection-per-tenant, or any unshared collection);
 * - `tenant`: a table shared by tenants, keyed by a `tenant` column (metadata-filter);
 * - `paths`: a table shared by tenants whose key is the first segment of `source` (source-prefix);
 * - `partitioned`: a LIST-partitioned parent, one partition table per tenant (namespace-per-tenant).
 */
export type TableKind = 'single' | 'tenant' | 'paths' | 'partitioned';

export function kindOf(spec: CollectionSpec): TableKind {
  if (spec.partitioned) return 'partitioned';
  if (spec.tenantField) return 'tenant';
  return spec.tenant === undefined ? 'paths' : 'single';
}

/** The column that names the tenant of each row in a shared table; RLS and partial indexes key on it. */
export function tenantKeyColumn(kind: TableKind): 'tenant' | 'source_root' | undefined {
  if (kind === 'tenant') return 'tenant';
  if (kind === 'paths') return 'source_root';
  return undefined;
}

/** pgvector's distance operator and operator class per metric; scores are derived from the distance. */
export const metricSql: Record<Metric, { operator: string; operatorClass: string }> = {
  cosine: { operator: '<=>', operatorClass: 'vector_cosine_ops' },
  dot: { operator: '<#>', operatorClass: 'vector_ip_ops' },
  euclidean: { operator: '<->', operatorClass: 'vector_l2_ops' },
};

function columns(dimension: number, settings: ResolvedSettings): string {
  // Generated from the text, so no write path can leave them out of step with it.
  const words = `to_tsvector(${quoteLiteral(settings.textSearchConfiguration)}::regconfig, coalesce(text, ''))`;
  // COLLATE "C": ids and paths order and compare byte-wise, as JavaScript compares ASCII, and
  // the path prefix range (`>= 'p/' AND < 'p0'`) is exact.
  return `id text COLLATE "C" NOT NULL,
    record_id text NOT NULL,
    embedding vector(${dimension}) NOT NULL,
    text text,
    metadata jsonb NOT NULL DEFAULT '{}',
    source text COLLATE "C",
    written_at timestamptz NOT NULL DEFAULT now(),
    words tsvector GENERATED ALWAYS AS (${words}) STORED,
    word_count integer GENERATED ALWAYS AS (${qualified(settings.schema, '_term_count')}(${words})) STORED`;
}

/** The GIN index keyword search finds matching rows with; on a partitioned parent it covers every partition. */
function wordsIndex(name: string, settings: ResolvedSettings): string {
  return `CREATE INDEX ${quoteIdentifier(wordsIndexName(name))} ON ${qualified(settings.schema, name)} USING gin (words)`;
}

function grants(table: string, settings: ResolvedSettings): string[] {
  if (!settings.rowLevelSecurity) return [];
  return [
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${quoteIdentifier(settings.appRole)}`,
    `GRANT SELECT ON ${table} TO ${quoteIdentifier(settings.adminRole)}`,
  ];
}

/** Forced RLS on a shared table: the app role sees and writes only the tenant set for the transaction. */
function rowLevelSecurity(table: string, keyColumn: string, settings: ResolvedSettings): string[] {
  if (!settings.rowLevelSecurity) return [];
  const key = quoteIdentifier(keyColumn);
  const confined = `${key} = current_setting('tenantvec.tenant', true)`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON ${table} TO ${quoteIdentifier(settings.appRole)} USING (${confined}) WITH CHECK (${confined})`,
    // The deliberate path across tenants (listing tenant keys) reads only.
    `CREATE POLICY every_tenant_read ON ${table} FOR SELECT TO ${quoteIdentifier(settings.adminRole)} USING (${adminOnly(settings.adminRole)})`,
  ];
}

/**
 * How many hash partitions a new collection of this kind gets: only shared tables are split,
 * and 1 means one plain table (the layout of every shared table created before partitioning).
 */
export function hashPartitionsFor(kind: TableKind, settings: ResolvedSettings): number {
  return tenantKeyColumn(kind) === undefined ? 1 : settings.sharedTablePartitions;
}

/**
 * The leaves of a hash-partitioned shared table. Each carries the parent's grants and policies
 * itself: the parent's policies hold for queries through the parent only, and a query naming a
 * leaf must meet the same walls. Partial indexes of large tenants are built on their leaf.
 */
function hashPartitionStatements(name: string, keyColumn: 'tenant' | 'source_root', partitions: number, settings: ResolvedSettings): string[] {
  const statements = Array.from({ length: partitions }, (_, remainder) => {
    const leaf = qualified(settings.schema, hashPartitionTableName(name, remainder));
    return [
      `CREATE TABLE ${leaf} PARTITION OF ${qualified(settings.schema, name)} FOR VALUES WITH (MODULUS ${partitions}, REMAINDER ${remainder})`,
      ...grants(leaf, settings),
      ...rowLevelSecurity(leaf, keyColumn, settings),
    ];
  }).flat();
  // One round trip for the lot: a few hundred statements one by one would dominate creating a collection.
  return [`DO $leaves$ BEGIN ${statements.map((statement) => `${statement};`).join(' ')} END $leaves$`];
}

/** DDL creating a collection's table; a shared one split into `partitions` hash partitions when more than 1. */
export function createCollectionStatements(spec: CollectionSpec, settings: ResolvedSettings, partitions = 1): string[] {
  const table = qualified(settings.schema, spec.name);
  const keyIndex = quoteIdentifier(keyIndexName(spec.name));
  const split = partitions > 1;
  const partitionBy = (column: string) => (split ? ` PARTITION BY HASH (${column})` : '');
  switch (kindOf(spec)) {
    case 'tenant':
      // The primary key's btree leads with tenant: it is the tenant index exact scans use.
      return [
        `CREATE TABLE ${table} (${columns(spec.dimension, settings)}, tenant text COLLATE "C" NOT NULL, PRIMARY KEY (tenant, id))${partitionBy('tenant')}`,
        wordsIndex(spec.name, settings),
        ...grants(table, settings),
        ...rowLevelSecurity(table, 'tenant', settings),
        ...(split ? hashPartitionStatements(spec.name, 'tenant', partitions, settings) : []),
      ];
    case 'paths':
      if (split) {
        // A generated column cannot be a partition key: writes name the root themselves, and
        // the check keeps it the first segment of the source ('' for none), as generated would.
        // A unique key of a partitioned table must hold the partition key: ids are unique per root.
        return [
          `CREATE TABLE ${table} (${columns(spec.dimension, settings)},
            source_root text COLLATE "C" NOT NULL CHECK (source_root = coalesce(split_part(source, '/', 1), '')),
            PRIMARY KEY (source_root, id))${partitionBy('source_root')}`,
          `CREATE INDEX ${keyIndex} ON ${table} (source_root, source)`,
          wordsIndex(spec.name, settings),
          ...grants(table, settings),
          ...rowLevelSecurity(table, 'source_root', settings),
          ...hashPartitionStatements(spec.name, 'source_root', partitions, settings),
        ];
      }
      return [
        `CREATE TABLE ${table} (${columns(spec.dimension, settings)},
          source_root text COLLATE "C" GENERATED ALWAYS AS (split_part(source, '/', 1)) STORED,
          PRIMARY KEY (id))`,
        `CREATE INDEX ${keyIndex} ON ${table} (source_root, source)`,
        wordsIndex(spec.name, settings),
        ...grants(table, settings),
        ...rowLevelSecurity(table, 'source_root', settings),
      ];
    case 'partitioned':
      return [
        `CREATE TABLE ${table} (${columns(spec.dimension, settings)}, partition_name text COLLATE "C" NOT NULL,
          PRIMARY KEY (partition_name, id)) PARTITION BY LIST (partition_name)`,
        wordsIndex(spec.name, settings),
        ...grants(table, settings),
      ];
    case 'single':
      return [`CREATE TABLE ${table} (${columns(spec.dimension, settings)}, PRIMARY KEY (id))`, wordsIndex(spec.name, settings), ...grants(table, settings)];
  }
}

/** DDL creating one tenant's partition; its vector index comes later, when it grows. */
export function createPartitionStatements(collection: string, partitionTable: string, partition: string, settings: ResolvedSettings): string[] {
  const table = qualified(settings.schema, partitionTable);
  return [
    `CREATE TABLE ${table} PARTITION OF ${qualified(settings.schema, collection)} FOR VALUES IN (${quoteLiteral(partition)})`,
    ...grants(table, settings),
  ];
}

/** One table records are read from or written to, resolved from a `Location`. */
export interface Target {
  table: string;
  metric: Metric;
  /** Shared tables only: the column naming each row's tenant. */
  keyColumn?: 'tenant' | 'source_root';
  /** Partition tables only: the value of the parent's partition key. */
  partition?: string;
  /** Shared tables split by hash of the key: how many partitions (absent: one plain table). */
  hashPartitions?: number;
  /**
   * The text-search configuration of the table's stored `words` column and its GIN index;
   * absent for tables created before migration 6, whose texts keyword search analyses per query.
   */
  textSearchConfiguration?: string;
}
