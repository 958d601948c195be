import type { Metric } from '@tenantvec/core/backend';
import type { ResolvedSettings } from './pgvector-settings.js';
import type { SqlTransaction } from './sql-client.js';
import { qualified, quoteIdentifier, quoteLiteral, vectorIndexName } from './sql-names.js';
import { keySize } from './sql-statements.js';
import { metricSql } from './table-layout.js';

/** What the catalogue knows about one tenant key of a shared table, or one unshared table (key ''). */
export interface KeySize {
  records: number;
  indexed: boolean;
  /** Records the index was built on; undefined when unknown (built before this was recorded). */
  builtRecords?: number;
}

/**
 * `exact`: scan the tenant's rows through the btree and sort them all — always correct.
 * `index`: walk the tenant's own HNSW index (a partial index on a shared table), with an
 * iterative scan so a metadata filter cannot starve the result.
 */
export type SearchPlan = 'exact' | 'index';

/**
 * Chooses per query. A shared HNSW graph post-filtered by tenant loses small tenants entirely,
 * so there is no shared graph: a key is searched through an index only once it has its own.
 */
export function planSearch(size: KeySize | undefined, settings: ResolvedSettings): SearchPlan {
  if (size === undefined || !size.indexed) return 'exact';
  return size.records < settings.exactScanBelow ? 'exact' : 'index';
}

/**
 * Whether a write has just taken a key across the threshold for an index of its own, or grown
 * an indexed key `rebuildFactor` times past the records its index was built on. A graph grown
 * by inserts far beyond what it was built on strands queries on clustered data: rebuilding as
 * the key doubles costs about one more build in all and keeps the graph a built one.
 */
export function needsIndex(size: KeySize | undefined, settings: ResolvedSettings): boolean {
  if (size === undefined) return false;
  if (!size.indexed) return size.records >= settings.partialIndexAbove;
  const factor = settings.hnsw.rebuildFactor;
  return factor > 0 && size.records >= factor * (size.builtRecords ?? settings.partialIndexAbove);
}

export async function readKeySize(transaction: SqlTransaction, schema: string, table: string, key: string): Promise<KeySize | undefined> {
  const statement = keySize({ schema, table, key });
  return keySizeOf((await transaction.query<KeySizeRow>(statement.text, statement.values)).rows[0]);
}

/** A catalogue row as `keySize`, `upsertRecords` and `deleteRecords` return it. */
export interface KeySizeRow {
  records: string | number;
  indexed: boolean;
  built_records?: string | number | null;
}

export function keySizeOf(row: KeySizeRow | undefined): KeySize | undefined {
  if (row === undefined) return undefined;
  const built = row.built_records ?? null;
  return { records: Number(row.records), indexed: row.indexed, ...(built === null ? {} : { builtRecords: Number(built) }) };
}

/** Transaction-local search settings for the index plan. */
export function indexSearchSettings(settings: ResolvedSettings): Record<string, string> {
  return {
    'hnsw.ef_search': String(settings.hnsw.efSearch),
    // strict_order keeps results in exact distance order while the scan continues past
    // candidates the filter rejects, up to max_scan_tuples.
    'hnsw.iterative_scan': 'strict_order',
    'hnsw.max_scan_tuples': String(settings.hnsw.maxScanTuples),
    // The plan was chosen here, from the key's size: without this, Postgres's cost model often
    // prefers sorting a few thousand btree rows to walking the graph, and latency grows with the tenant.
    enable_sort: 'off',
  };
}

/**
 * DDL for the HNSW index of a whole table (`keyColumn` undefined) or the partial index of one
 * tenant key. The key is a literal: DDL takes no parameters, and queries repeat the same
 * literal so the planner can prove the partial index covers them.
 */
export function createVectorIndexStatement(params: {
  settings: ResolvedSettings;
  table: string;
  metric: Metric;
  keyColumn?: string;
  key: string;
  /** The leaf of a hash-partitioned `table` holding the key; the index is named for `table` still. */
  on?: string;
  /** `CREATE INDEX CONCURRENTLY`: no lock against writes, but only outside a transaction. */
  concurrently?: boolean;
}): string {
  const { settings, table, metric, keyColumn, key } = params;
  const where = keyColumn === undefined ? '' : ` WHERE ${quoteIdentifier(keyColumn)} = ${quoteLiteral(key)}`;
  return `CREATE INDEX ${params.concurrently === true ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${quoteIdentifier(vectorIndexName(table, key))} ON ${qualified(settings.schema, params.on ?? table)}
    USING hnsw (embedding ${metricSql[metric].operatorClass})
    WITH (m = ${settings.hnsw.m}, ef_construction = ${settings.hnsw.efConstruction})${where}`;
}
