import { BackendError, DimensionMismatchError, sourceRoot, type StoredRecord } from '@tenantvec/core';
import type { ResolvedSettings } from './pgvector-settings.js';
import { toKeySize, type KeySize, type KeySizeRow } from './query-planner.js';
import { vectorLiteral } from './record-rows.js';
import { enterTenant } from './row-level-security.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { qualified } from './sql-names.js';
import { SqlParameters } from './sql-parameters.js';
import type { Target } from './table-layout.js';

/**
 * Splits a batch by tenant key: each key is written under its own tenant setting, so the
 * row-level security check applies to every row. Within a key the last write of an id wins.
 * Keys, and ids within a key, come out sorted.
 */
export function groupByKey(target: Target, records: readonly StoredRecord[]): Map<string, StoredRecord[]> {
  const groups = new Map<string, Map<string, StoredRecord>>();
  for (const record of records) {
    let key = '';
    if (target.keyColumn === 'tenant') {
      if (record.tenant === undefined) throw new BackendError('A record for a shared collection has no tenant.');
      key = record.tenant;
    } else if (target.keyColumn === 'source_root') {
      key = sourceRoot(record.source) ?? '';
    }
    const group = groups.get(key) ?? new Map<string, StoredRecord>();
    // The last write of an id in one batch wins, as it would one write at a time.
    group.delete(record.id);
    group.set(record.id, record);
    groups.set(key, group);
  }
  // Canonical order, keys and ids alike: two transactions writing the same rows lock them in
  // the same order, so concurrent upserts of overlapping batches queue instead of deadlocking.
  return new Map(
    [...groups].sort(([left], [right]) => compareCodeUnits(left, right)).map(([key, group]) => [key, [...group.values()].sort((left, right) => compareCodeUnits(left.id, right.id))]),
  );
}

function compareCodeUnits(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** One statement per key: the upsert, and the key's record count, in a single round trip. */
export async function writeGroup(
  transaction: SqlTransaction,
  schema: string,
  target: Target,
  key: string,
  records: StoredRecord[],
): Promise<KeySize | undefined> {
  const parameters = new SqlParameters();
  const column = (values: unknown[]) => `${parameters.add(values)}::text[]`;
  const ids = column(records.map((record) => record.id));
  const input = `unnest(${ids}, ${column(records.map((record) => record.recordId))},
    ${column(records.map((record) => vectorLiteral(record.vector)))}, ${column(records.map((record) => record.text ?? null))},
    ${column(records.map((record) => JSON.stringify(record.metadata ?? {})))}, ${column(records.map((record) => record.source ?? null))})
    AS input(id, record_id, embedding, text, metadata, source)`;
  // A hash-partitioned source-prefix table names the root itself: a partition key cannot be generated.
  const explicitRoot = target.keyColumn === 'source_root' && target.hashPartitions !== undefined;
  const extraColumn = target.keyColumn === 'tenant' ? 'tenant' : explicitRoot ? 'source_root' : target.partition !== undefined ? 'partition_name' : undefined;
  const extraValue = target.keyColumn === 'tenant' || explicitRoot ? key : target.partition;
  const extra = extraColumn === undefined ? { columns: '', values: '', conflict: 'id' } : {
    columns: `, ${extraColumn}`,
    values: `, ${parameters.add(extraValue)}::text`,
    conflict: `${extraColumn}, id`,
  };
  const indexes = qualified(schema, '_vector_indexes');
  // Postgres 15 returns no system column (xmax) from an insert routed into a partition: there,
  // new rows are the written ones less those that existed in the statement's snapshot. A
  // concurrent insert of the same new id can count twice; the count only decides when to index.
  const partitioned = target.hashPartitions !== undefined;
  const existing = partitioned
    ? `existing AS (SELECT count(*) AS records FROM ${qualified(schema, target.table)} WHERE ${target.keyColumn} = ${parameters.add(key)} AND id = ANY(${ids})), `
    : '';
  const inserted = partitioned ? 'count(*) - (SELECT records FROM existing)' : 'count(*) FILTER (WHERE inserted)';
  const { rows } = await transaction.query<KeySizeRow>(
    `WITH ${existing}written AS (
       INSERT INTO ${qualified(schema, target.table)} (id, record_id, embedding, text, metadata, source${extra.columns})
       SELECT id, record_id, embedding::vector, text, metadata::jsonb, source${extra.values} FROM ${input}
       ORDER BY id COLLATE "C"
       ON CONFLICT (${extra.conflict}) DO UPDATE SET record_id = EXCLUDED.record_id, embedding = EXCLUDED.embedding,
         text = EXCLUDED.text, metadata = EXCLUDED.metadata, source = EXCLUDED.source, written_at = now()
       RETURNING ${partitioned ? 'true' : '(xmax = 0)'} AS inserted
     ), counted AS (
       INSERT INTO ${indexes} AS sizes (table_name, key, records)
       SELECT ${parameters.add(target.table)}, ${parameters.add(key)}, ${inserted} FROM written
       ON CONFLICT (table_name, key) DO UPDATE SET records = sizes.records + EXCLUDED.records
       RETURNING records, indexed, built_records
     )
     SELECT records, indexed, built_records FROM counted`,
    parameters.values,
  );
  return toKeySize(rows[0]);
}

/** Refuses vectors the collection cannot hold, naming both dimensions, before any write. */
export function checkVectors(records: readonly StoredRecord[], collection: string, dimension: number | undefined): void {
  const misfit = records.find((record) => record.vector.length !== dimension);
  if (misfit !== undefined) {
    throw new DimensionMismatchError(
      `A vector has the wrong dimension: ${misfit.vector.length} numbers, but collection ${collection} holds ${dimension ?? 'no'}-dimensional vectors.`,
    );
  }
  if (records.some((record) => !record.vector.every(Number.isFinite))) throw new BackendError('A vector holds NaN or an infinity.');
}

/** One transaction for the whole batch, each key under its own tenant setting; returns each key's size. */
export async function writeRecords(
  client: SqlClient,
  settings: ResolvedSettings,
  target: Target,
  records: readonly StoredRecord[],
): Promise<{ key: string; size: KeySize | undefined }[]> {
  const groups = groupByKey(target, records);
  return client.transaction(async (transaction) => {
    const written: { key: string; size: KeySize | undefined }[] = [];
    for (const [key, group] of groups) {
      await enterTenant(transaction, settings, key);
      written.push({ key, size: await writeGroup(transaction, settings.schema, target, key, group) });
    }
    return written;
  });
}
