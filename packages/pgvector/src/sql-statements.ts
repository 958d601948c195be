import { sourceRoot, type FilterNode, type ScopeConstraint, type StoredRecord } from '@tenantvec/core/backend';
import { filterToSql } from './filter-to-sql.js';
import type { ResolvedSettings } from './pgvector-settings.js';
import type { SearchPlan } from './query-planner.js';
import { vectorLiteral } from './record-rows.js';
import { SqlParameters, type ParameterSink } from './sql-parameters.js';
import { renderLiteral } from './sql-literals.js';
import { qualified } from './sql-names.js';
import { metricSql, type Target } from './table-layout.js';
import { encodeVectorArray } from './vector-binary.js';

/**
 * Every data statement the pgvector backend sends, each built whole by one pure function, for
 * review in one place. DDL lives with the layout (`table-layout.ts`, `createVectorIndexStatement`).
 *
 * Values go through a `ParameterSink`: bound `$n` by default, or literals rendered by
 * `renderLiteral` when several statements travel in one simple-protocol round trip. Identifiers
 * (schema, table) come from the catalogue and are quoted; every caller value is a parameter,
 * except the tenant key of the index plan (see `selectNearest`).
 */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** The setting every tenant policy compares with; it lives for one transaction only. */
export const TENANT_SETTING = 'tenantvec.tenant';

export interface TableParams {
  schema: string;
  target: Target;
  parameters?: ParameterSink;
}

export interface ScopedTableParams extends TableParams {
  scope: ScopeConstraint;
}

function finish(text: string, parameters: ParameterSink): SqlStatement {
  return { text, values: parameters.values };
}

export function tableOf(schema: string, target: Target): string {
  return qualified(schema, target.table);
}

/** The tenant key a scope confines a shared table to; '' for tables that are not shared. */
export function scopeKey(target: Target, scope: ScopeConstraint): string | undefined {
  if (target.keyColumn === 'tenant') return scope.tenant;
  if (target.keyColumn === 'source_root') return scope.sourcePrefix === undefined ? undefined : sourceRoot(scope.sourcePrefix);
  return '';
}

/** The walls of the scope ANDed with the caller's filter — never merged into it. */
export function scopeConditions(target: Target, scope: ScopeConstraint, filter: FilterNode | undefined, parameters: ParameterSink): string[] {
  const conditions = ['true'];
  if (scope.tenant !== undefined) {
    // A table without a tenant column holds no record of any tenant field value.
    conditions.push(target.keyColumn === 'tenant' ? `tenant = ${parameters.add(scope.tenant)}` : 'false');
  }
  if (scope.sourcePrefix !== undefined) {
    const prefix = scope.sourcePrefix;
    if (target.keyColumn === 'source_root') conditions.push(`source_root = ${parameters.add(sourceRoot(prefix))}`);
    // Segment-wise and exact: the folder itself, or anything in the byte range of 'prefix/',
    // which under COLLATE "C" is exactly [prefix + '/', prefix + '0'). No wildcard exists.
    conditions.push(`(source = ${parameters.add(prefix)} OR (source >= ${parameters.add(`${prefix}/`)} AND source < ${parameters.add(`${prefix}0`)}))`);
  }
  if (filter !== undefined) conditions.push(filterToSql(filter, parameters));
  return conditions;
}

export function selectColumns(hasTenant: boolean, withVectors: boolean): string {
  return ['id', 'record_id', 'text', 'metadata', 'source', ...(hasTenant ? ['tenant'] : []), ...(withVectors ? ['embedding::text AS embedding'] : [])].join(', ');
}

/**
 * Opens the walls for one transaction: the app role (no BYPASSRLS, so forced policies apply
 * even to a superuser login) and the tenant key the policies admit, both transaction-local so a
 * pooled connection never carries them to the next caller. An empty key admits no row. `extra`
 * carries other transaction-local settings (search tuning). It must be a statement of its own,
 * run before the statements it guards: row-level security is applied when a statement is
 * planned, under the role current then.
 */
export function tenantSetting(params: { settings: ResolvedSettings; key: string | undefined; extra?: Record<string, string>; parameters?: ParameterSink }): SqlStatement {
  const values: Record<string, string> = { [TENANT_SETTING]: params.key ?? '', ...params.extra };
  if (params.settings.rowLevelSecurity) values.role = params.settings.appRole;
  return setLocal(values, params.parameters ?? new SqlParameters());
}

/** The deliberate path across tenants (listing tenant keys): the admin role, which reads and never writes. */
export function adminSetting(params: { settings: ResolvedSettings; parameters?: ParameterSink }): SqlStatement | undefined {
  return params.settings.rowLevelSecurity ? setLocal({ role: params.settings.adminRole }, params.parameters ?? new SqlParameters()) : undefined;
}

function setLocal(values: Record<string, string>, parameters: ParameterSink): SqlStatement {
  const calls = Object.entries(values).map(([name, value]) => `set_config(${parameters.add(name)}, ${parameters.add(value)}, true)`);
  return finish(`SELECT ${calls.join(', ')}`, parameters);
}

/** One key's size in the catalogue (forced RLS: readable only under that key's setting). */
export function keySize(params: { schema: string; table: string; key: string; parameters?: ParameterSink }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  return finish(
    `SELECT records, indexed, to_jsonb(sizes) ->> 'built_records' AS built_records FROM ${qualified(params.schema, '_vector_indexes')} AS sizes WHERE table_name = ${parameters.add(params.table)} AND key = ${parameters.add(params.key)}`,
    parameters,
  );
}

/**
 * The nearest records. `exact` orders by (distance, id), which no vector index can serve, so
 * it always reads and sorts every row in scope. `index` orders by distance alone and names the
 * key as a literal, as its partial index's predicate does, and runs under `indexSearchSettings`.
 */
export function selectNearest(
  params: ScopedTableParams & { filter?: FilterNode; vector: readonly number[]; topK: number; includeVectors: boolean; plan: SearchPlan },
): SqlStatement {
  const { target, plan } = params;
  // The key is a literal even among bound values: the planner then proves the partial index's
  // predicate from the text itself, for a generic plan as much as a custom one.
  const parameters = params.parameters ?? new SqlParameters();
  const distance = `(embedding ${metricSql[target.metric].operator} ${parameters.add(vectorLiteral(params.vector))}::vector)`;
  const conditions = scopeConditions(target, params.scope, params.filter, parameters);
  const key = scopeKey(target, params.scope);
  if (plan === 'index' && target.keyColumn !== undefined && key !== undefined) conditions.push(`${target.keyColumn} = ${renderLiteral(key)}`);
  // By the output column's name: the query vector is written (and, inlined, parsed) once.
  const order = plan === 'index' ? 'distance' : 'distance, id';
  return finish(
    `SELECT ${selectColumns(target.keyColumn === 'tenant', params.includeVectors)}, ${distance} AS distance FROM ${tableOf(params.schema, target)} ` +
      `WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${parameters.add(params.topK)}`,
    parameters,
  );
}

/** Records by physical id, within the scope. */
export function selectByIds(params: ScopedTableParams & { ids: readonly string[] }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const conditions = [...scopeConditions(params.target, params.scope, undefined, parameters), `id = ANY(${parameters.add([...new Set(params.ids)])}::text[])`];
  return finish(`SELECT ${selectColumns(params.target.keyColumn === 'tenant', true)} FROM ${tableOf(params.schema, params.target)} WHERE ${conditions.join(' AND ')}`, parameters);
}

export function countRecords(params: ScopedTableParams & { filter?: FilterNode }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const conditions = scopeConditions(params.target, params.scope, params.filter, parameters);
  return finish(`SELECT count(*) AS count FROM ${tableOf(params.schema, params.target)} WHERE ${conditions.join(' AND ')}`, parameters);
}

/** One page in id order; one row more than the page, to tell whether another follows. */
export function scanPage(params: ScopedTableParams & { filter?: FilterNode; after?: string; limit: number }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const conditions = scopeConditions(params.target, params.scope, params.filter, parameters);
  if (params.after !== undefined) conditions.push(`id > ${parameters.add(params.after)}`);
  return finish(
    `SELECT ${selectColumns(params.target.keyColumn === 'tenant', true)} FROM ${tableOf(params.schema, params.target)} ` +
      `WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${parameters.add(params.limit + 1)}`,
    parameters,
  );
}

/** Bytes as Postgres stores the rows in scope, and the latest write among them. */
export function scopeStats(params: ScopedTableParams): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const conditions = scopeConditions(params.target, params.scope, undefined, parameters);
  return finish(
    `SELECT sum(pg_column_size(stored.*)) AS bytes, max(written_at) AS last FROM ${tableOf(params.schema, params.target)} AS stored WHERE ${conditions.join(' AND ')}`,
    parameters,
  );
}

/** The delete and the key's catalogue count in one statement; returns the key's new size. */
export function deleteRecords(params: ScopedTableParams & { filter?: FilterNode; ids?: readonly string[] }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const conditions = scopeConditions(params.target, params.scope, params.filter, parameters);
  if (params.ids !== undefined) conditions.push(`id = ANY(${parameters.add([...params.ids])}::text[])`);
  const key = scopeKey(params.target, params.scope) ?? '';
  return finish(
    `WITH gone AS (DELETE FROM ${tableOf(params.schema, params.target)} WHERE ${conditions.join(' AND ')} RETURNING 1) ` +
      `UPDATE ${qualified(params.schema, '_vector_indexes')} SET records = greatest(records - (SELECT count(*) FROM gone), 0) ` +
      `WHERE table_name = ${parameters.add(params.target.table)} AND key = ${parameters.add(key)} RETURNING records, indexed, built_records`,
    parameters,
  );
}

/**
 * The upsert of one key's records and the key's catalogue count, in one statement. Rows go in
 * id order (`COLLATE "C"`), so concurrent batches lock shared rows in the same order.
 */
export function upsertRecords(params: TableParams & { key: string; records: readonly StoredRecord[]; vectorType?: number }): SqlStatement {
  const { target, key, records } = params;
  const parameters = params.parameters ?? new SqlParameters();
  const column = (values: unknown[]) => `${parameters.add(values)}::text[]`;
  const ids = column(records.map((record) => record.id));
  const recordIds = column(records.map((record) => record.recordId));
  // With the vector type's oid, vectors are bound in binary (`encodeVectorArray`); else as text.
  const vectors =
    params.vectorType === undefined
      ? column(records.map((record) => vectorLiteral(record.vector)))
      : `${parameters.add(encodeVectorArray(records.map((record) => record.vector), params.vectorType))}::vector[]`;
  const texts = column(records.map((record) => record.text ?? null));
  const metadata = column(records.map((record) => JSON.stringify(record.metadata ?? {})));
  const sources = column(records.map((record) => record.source ?? null));
  const input =
    `unnest(${ids}, ${recordIds}, ${vectors}, ${texts}, ${metadata}, ${sources}) ` +
    'AS input(id, record_id, embedding, text, metadata, source)';
  // A hash-partitioned source-prefix table names the root itself: a partition key cannot be generated.
  const explicitRoot = target.keyColumn === 'source_root' && target.hashPartitions !== undefined;
  const extraColumn = target.keyColumn === 'tenant' ? 'tenant' : explicitRoot ? 'source_root' : target.partition !== undefined ? 'partition_name' : undefined;
  const extraValue = target.keyColumn === 'tenant' || explicitRoot ? key : target.partition;
  const extra =
    extraColumn === undefined
      ? { columns: '', values: '', conflict: 'id' }
      : { columns: `, ${extraColumn}`, values: `, ${parameters.add(extraValue)}::text`, conflict: `${extraColumn}, id` };
  // Postgres 15 returns no system column (xmax) from an insert routed into a partition: there,
  // new rows are the written ones less those that existed in the statement's snapshot. A
  // concurrent insert of the same new id can count twice; the count only decides when to index.
  const partitioned = target.hashPartitions !== undefined;
  const existing = partitioned
    ? `existing AS (SELECT count(*) AS records FROM ${tableOf(params.schema, target)} WHERE ${target.keyColumn} = ${parameters.add(key)} AND id = ANY(${ids})), `
    : '';
  const inserted = partitioned ? 'count(*) - (SELECT records FROM existing)' : 'count(*) FILTER (WHERE inserted)';
  return finish(
    `WITH ${existing}written AS (INSERT INTO ${tableOf(params.schema, target)} (id, record_id, embedding, text, metadata, source${extra.columns}) ` +
      `SELECT id, record_id, embedding::vector, text, metadata::jsonb, source${extra.values} FROM ${input} ORDER BY id COLLATE "C" ` +
      `ON CONFLICT (${extra.conflict}) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding, ` +
      `text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now() RETURNING ${partitioned ? 'true' : '(xmax = 0)'} AS inserted), ` +
      `counted AS (INSERT INTO ${qualified(params.schema, '_vector_indexes')} AS sizes (table_name, key, records) ` +
      `SELECT ${parameters.add(target.table)}, ${parameters.add(key)}, ${inserted} FROM written ` +
      'ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records RETURNING records, indexed, built_records) ' +
      'SELECT records, indexed, built_records FROM counted',
    parameters,
  );
}

/** The admin path's one read across tenants: distinct keys in order, a page at a time. */
export function listTenantKeys(params: TableParams & { key: 'tenant' | 'source_root' | 'first_segment'; after?: string; limit: number }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const expression = params.key === 'tenant' ? 'tenant' : params.key === 'source_root' ? 'source_root' : `split_part(source, '/', 1)`;
  const conditions = [`${expression} IS NOT NULL`, ...(params.after === undefined ? [] : [`${expression} > ${parameters.add(params.after)}`])];
  return finish(
    `SELECT DISTINCT ${expression} AS key FROM ${tableOf(params.schema, params.target)} WHERE ${conditions.join(' AND ')} ORDER BY key LIMIT ${parameters.add(params.limit)}`,
    parameters,
  );
}
