import { BackendError, DimensionMismatchError, sourceRoot, type StoredRecord } from '@tenantvec/core/backend';
import type { ResolvedSettings } from './pgvector-settings.js';
import { keySizeOf, type KeySize, type KeySizeRow } from './query-planner.js';
import type { SqlClient } from './sql-client.js';
import { qualified } from './sql-names.js';
import { tenantSetting, upsertRecords } from './sql-statements.js';
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

/**
 * The whole batch as one transaction: per key, its tenant setting and then its upsert, so the
 * row-level security check applies to every row under its own key. With `vectorType` (the oid
 * of the server's vector type) vectors travel in binary, which needs bound parameters — so this
 * is a transaction of a few round trips rather than one, a small cost beside a batch's rows.
 * Returns each key's size as the catalogue now counts it.
 */
export async function writeRecords(
  client: SqlClient,
  settings: ResolvedSettings,
  target: Target,
  records: readonly StoredRecord[],
  vectorType: number | undefined,
): Promise<{ key: string; size: KeySize | undefined }[]> {
  const groups = groupByKey(target, records);
  return client.transaction(async (transaction) => {
    const written: { key: string; size: KeySize | undefined }[] = [];
    for (const [key, group] of groups) {
      const setting = tenantSetting({ settings, key });
      await transaction.query(setting.text, setting.values);
      const upsert = upsertRecords({ schema: settings.schema, target, key, records: group, ...(vectorType === undefined ? {} : { vectorType }) });
      written.push({ key, size: keySizeOf((await transaction.query<KeySizeRow>(upsert.text, upsert.values)).rows[0]) });
    }
    return written;
  });
}

/** The oid of the vector type of a table's `embedding` column, for binary vectors. */
export async function readVectorType(client: SqlClient, schema: string, table: string): Promise<number | undefined> {
  const { rows } = await client.transaction((transaction) =>
    transaction.query<{ oid: number | string }>(`SELECT atttypid::int AS oid FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'embedding'`, [qualified(schema, table)]),
  );
  return rows[0] === undefined ? undefined : Number(rows[0].oid);
}
