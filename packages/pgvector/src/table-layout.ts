import type { CollectionSpec, Metric } from '@tenantvec/core/backend';
import type { ResolvedSettings } from './pgvector-settings.js';
import { adminOnly } from './row-level-security.js';
import { keyIndexName, qualified, quoteIdentifier, quoteLiteral } from './sql-names.js';

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

function columns(dimension: number): string {
  // COLLATE "C": ids and paths order and compare byte-wise, as JavaScript compares ASCII, and
  // the path prefix range (`>= 'p/' AND < 'p0'`) is exact.
  return `id text COLLATE "C" NOT NULL,
    record_id text NOT NULL,
    embedding vector(${dimension}) NOT NULL,
    text text,
    metadata jsonb NOT NULL DEFAULT '{}',
    source text COLLATE "C",
    written_at timestamptz NOT NULL DEFAULT now()`;
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

/** DDL creating a collection's table. */
export function createCollectionStatements(spec: CollectionSpec, settings: ResolvedSettings): string[] {
  const table = qualified(settings.schema, spec.name);
  const keyIndex = quoteIdentifier(keyIndexName(spec.name));
  switch (kindOf(spec)) {
    case 'tenant':
      // The primary key's btree leads with tenant: it is the tenant index exact scans use.
      return [
        `CREATE TABLE ${table} (${columns(spec.dimension)}, tenant text COLLATE "C" NOT NULL, PRIMARY KEY (tenant, id))`,
        ...grants(table, settings),
        ...rowLevelSecurity(table, 'tenant', settings),
      ];
    case 'paths':
      return [
        `CREATE TABLE ${table} (${columns(spec.dimension)},
          source_root text COLLATE "C" GENERATED ALWAYS AS (split_part(source, '/', 1)) STORED,
          PRIMARY KEY (id))`,
        `CREATE INDEX ${keyIndex} ON ${table} (source_root, source)`,
        ...grants(table, settings),
        ...rowLevelSecurity(table, 'source_root', settings),
      ];
    case 'partitioned':
      return [
        `CREATE TABLE ${table} (${columns(spec.dimension)}, partition_name text COLLATE "C" NOT NULL,
          PRIMARY KEY (partition_name, id)) PARTITION BY LIST (partition_name)`,
        ...grants(table, settings),
      ];
    case 'single':
      return [`CREATE TABLE ${table} (${columns(spec.dimension)}, PRIMARY KEY (id))`, ...grants(table, settings)];
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
}
