import { type IsolationStrategy } from '@tenantvec/core';

/**
 * The "hand-written SQL, same plan" baseline: what a developer who knows pgvector would send for
 * the same tenant, table and plan, as one parameterised statement with no transaction. Written
 * here by hand on purpose — never through the backend's statement builders, or the baseline
 * would inherit whatever it is meant to expose.
 */

/** One Postgres session: a dedicated `pg` client, or the single session of a PGlite instance. */
/** What a Postgres bench backend hands the baseline (its descriptor's bench hook): the schema, the settings that choose plans, sessions. */
import { type BenchSqlSession as SqlSession, type HandWrittenSqlAccess as HandWrittenAccess, sourceRoot, type StrategyContext } from '@tenantvec/core/backend';

export type { HandWrittenAccess, SqlSession };

export type BaselinePlan = 'exact' | 'index';

/** Where one tenant's records are and how tenantvec would search them, read from the catalogue. */
export interface TenantLayout {
  /** Unquoted table name within the schema. */
  table: string;
  /** Shared tables: the column naming each row's tenant, and this tenant's value of it. */
  keyColumn?: 'tenant' | 'source_root';
  key: string;
  /** Partition tables: the parent's partition key value, written on insert. */
  partition?: string;
  /** The source prefix confining a source-prefix tenant. */
  sourcePrefix?: string;
  /** The tenant column's value on insert (metadata-filter). */
  tenantField?: string;
  plan: BaselinePlan;
  /** Rows the size catalogue records for the key. */
  records: number;
}

export const quoteName = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const quoteText = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function tableOf(schema: string, layout: TenantLayout): string {
  return `${quoteName(schema)}.${quoteName(layout.table)}`;
}

/**
 * A Postgres array literal of texts, every element quoted: drivers differ in how they send a
 * JavaScript array (PGlite leaves `[1,2]` unquoted, and its commas split it), a string is sent as is.
 */
export function arrayLiteral(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)).join(',')}}`;
}

/** pgvector's text form of a vector, as the driver would send it. */
export function vectorText(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/**
 * Reads, once and before any timing, each tenant's table and the plan tenantvec chooses for it:
 * the index plan when the size catalogue says the key has its own index and holds at least
 * `exactScanBelow` records, the exact plan otherwise.
 */
export async function readTenantLayouts(params: {
  session: SqlSession;
  access: HandWrittenAccess;
  strategy: IsolationStrategy;
  strategyContext: StrategyContext;
  tenantIds: readonly string[];
}): Promise<Map<string, TenantLayout>> {
  const { session, access, strategy, strategyContext } = params;
  const catalogue = (name: string) => `${quoteName(access.schema)}.${quoteName(name)}`;
  const kinds = new Map<string, string>();
  const layouts = new Map<string, TenantLayout>();
  for (const tenantId of params.tenantIds) {
    const { location, scope, tenantField } = strategy.place(strategyContext, tenantId);
    let kind = kinds.get(location.collection);
    if (kind === undefined) {
      const { rows } = await session.query(`SELECT kind FROM ${catalogue('_collections')} WHERE name = $1`, [location.collection]);
      kind = String(rows[0]?.['kind'] ?? 'missing');
      kinds.set(location.collection, kind);
    }
    if (kind === 'missing') throw new Error(`The catalogue has no collection ${location.collection} for the hand-written baseline.`);
    let table = location.collection;
    if (location.partition !== undefined) {
      const { rows } = await session.query(`SELECT table_name FROM ${catalogue('_partitions')} WHERE collection = $1 AND name = $2`, [location.collection, location.partition]);
      if (rows[0] === undefined) throw new Error(`The catalogue has no partition for tenant ${tenantId}.`);
      table = String(rows[0]['table_name']);
    }
    const keyColumn = kind === 'tenant' ? 'tenant' : kind === 'paths' ? 'source_root' : undefined;
    const key = keyColumn === 'tenant' ? scope.tenant ?? '' : keyColumn === 'source_root' ? sourceRoot(scope.sourcePrefix) ?? '' : '';
    const { rows } = await session.query(`SELECT records, indexed FROM ${catalogue('_vector_indexes')} WHERE table_name = $1 AND key = $2`, [table, key]);
    const records = Number(rows[0]?.['records'] ?? 0);
    const indexed = rows[0]?.['indexed'] === true;
    layouts.set(tenantId, {
      table,
      key,
      records,
      plan: indexed && records >= access.exactScanBelow ? 'index' : 'exact',
      ...(keyColumn === undefined ? {} : { keyColumn }),
      ...(location.partition === undefined ? {} : { partition: location.partition }),
      ...(scope.sourcePrefix === undefined ? {} : { sourcePrefix: scope.sourcePrefix }),
      ...(tenantField === undefined ? {} : { tenantField }),
    });
  }
  return layouts;
}

/** The tenant's walls as the WHERE clause, parameters numbered from `first`. */
function tenantConditions(layout: TenantLayout, parameters: unknown[]): string[] {
  const next = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const conditions: string[] = [];
  if (layout.keyColumn === 'tenant') conditions.push(`tenant = ${next(layout.key)}`);
  if (layout.sourcePrefix !== undefined) {
    const prefix = layout.sourcePrefix;
    if (layout.keyColumn === 'source_root') conditions.push(`source_root = ${next(layout.key)}`);
    conditions.push(`(source = ${next(prefix)} OR (source >= ${next(`${prefix}/`)} AND source < ${next(`${prefix}0`)}))`);
  }
  return conditions;
}

const where = (conditions: readonly string[]) => (conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`);

/** A nearest-neighbour query with the plan tenantvec uses for the tenant. */
export function searchStatement(schema: string, layout: TenantLayout, vector: Float32Array, topK: number): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [vectorText(vector)];
  const conditions = tenantConditions(layout, parameters);
  // The partial index is only provably usable when its own literal is in the query text.
  if (layout.plan === 'index' && layout.keyColumn !== undefined) conditions.push(`${layout.keyColumn} = ${quoteText(layout.key)}`);
  parameters.push(topK);
  const order = layout.plan === 'index' ? 'embedding <=> $1::vector' : 'embedding <=> $1::vector, id';
  return {
    sql: `SELECT id, record_id, text, metadata, source, embedding <=> $1::vector AS distance FROM ${tableOf(schema, layout)}${where(conditions)} ORDER BY ${order} LIMIT $${parameters.length}`,
    parameters,
  };
}

export function getStatement(schema: string, layout: TenantLayout, storedIds: readonly string[]): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const conditions = tenantConditions(layout, parameters);
  parameters.push(arrayLiteral(storedIds));
  conditions.push(`id = ANY($${parameters.length}::text[])`);
  return { sql: `SELECT id, record_id, text, metadata, source, embedding::text AS embedding FROM ${tableOf(schema, layout)}${where(conditions)}`, parameters };
}

export function countStatement(schema: string, layout: TenantLayout): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  return { sql: `SELECT count(*) AS count FROM ${tableOf(schema, layout)}${where(tenantConditions(layout, parameters))}`, parameters };
}

/** Session settings of the index plan, set once per session rather than per query. */
export function indexSessionStatements(access: HandWrittenAccess): string[] {
  return [
    `SET hnsw.ef_search = ${access.efSearch}`,
    `SET hnsw.iterative_scan = strict_order`,
    `SET hnsw.max_scan_tuples = ${access.maxScanTuples}`,
    `SET enable_sort = off`,
  ];
}

export const resetSessionStatements = ['RESET hnsw.ef_search', 'RESET hnsw.iterative_scan', 'RESET hnsw.max_scan_tuples', 'RESET enable_sort'];

/**
 * Partial indexes on the table searched: every one's predicate is tested while planning. A shared
 * table split into hash partitions is pruned to the leaf holding the tenant, so that leaf's count.
 */
export async function partialIndexCount(session: SqlSession, schema: string, layout: TenantLayout): Promise<number> {
  let searched = tableOf(schema, layout);
  const kind = await session.query(`SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass($1)`, [searched]);
  if (kind.rows[0]?.['kind'] === 'p' && layout.keyColumn !== undefined) {
    const leaf = await session.query(`SELECT tableoid::regclass::text AS leaf FROM ${searched} WHERE ${quoteName(layout.keyColumn)} = $1 LIMIT 1`, [layout.key]);
    const name = leaf.rows[0]?.['leaf'];
    if (typeof name !== 'string') return 0;
    searched = name;
  }
  const { rows } = await session.query(`SELECT count(*)::int AS count FROM pg_index WHERE indrelid = to_regclass($1) AND indpred IS NOT NULL`, [searched]);
  return Number(rows[0]?.['count'] ?? 0);
}

/** `EXPLAIN (ANALYZE, SUMMARY)` of a statement: the milliseconds Postgres spent planning it. */
export async function planningMs(session: SqlSession, statement: { sql: string; parameters: unknown[] }): Promise<number> {
  const { rows } = await session.query(`EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ${statement.sql}`, statement.parameters);
  const plan = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { 'Planning Time'?: number }[];
  const time = parsed[0]?.['Planning Time'];
  if (typeof time !== 'number') throw new Error('EXPLAIN (ANALYZE, SUMMARY) reported no planning time.');
  return time;
}
