import { sourceAncestors, sourceRoot, type Metadata, type Metric, type StoredRecord } from '@tenantvec/core';
import type { Schemas } from '@qdrant/js-client-rest';

/**
 * Payload keys tenantvec writes on every point. User metadata lives under `metadata`, so no user
 * key can ever shadow one of these, and filters address it as `metadata.<key>`.
 */
export const payloadKeys = {
  id: 'id',
  recordId: 'record_id',
  tenant: 'tenant',
  source: 'source',
  sourceAncestors: 'source_ancestors',
  sourceRoot: 'source_root',
  text: 'text',
  metadata: 'metadata',
  /** The keys present in `metadata`: Qdrant's `is_empty` cannot tell a missing key from `[]`. */
  metadataKeys: 'metadata_keys',
  /** Qdrant normalises vectors of cosine collections; the norm lets a read return what was written. */
  vectorNorm: 'vector_norm',
} as const;

function norm(vector: readonly number[]): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

export function toPoint(record: StoredRecord, pointId: string, metric: Metric): Schemas['PointStruct'] {
  const payload: Record<string, unknown> = {
    [payloadKeys.id]: record.id,
    [payloadKeys.recordId]: record.recordId,
    [payloadKeys.metadata]: record.metadata,
    [payloadKeys.metadataKeys]: Object.keys(record.metadata),
  };
  if (record.tenant !== undefined) payload[payloadKeys.tenant] = record.tenant;
  if (record.text !== undefined) payload[payloadKeys.text] = record.text;
  if (record.source !== undefined) {
    payload[payloadKeys.source] = record.source;
    payload[payloadKeys.sourceAncestors] = sourceAncestors(record.source);
    payload[payloadKeys.sourceRoot] = sourceRoot(record.source);
  }
  if (metric === 'cosine') payload[payloadKeys.vectorNorm] = norm(record.vector);
  return { id: pointId, vector: [...record.vector], payload };
}

/** A stored record back from a point; `undefined` for points tenantvec did not write. */
export function fromPoint(point: { payload?: Record<string, unknown> | null; vector?: unknown }): StoredRecord | undefined {
  const payload = point.payload ?? {};
  const id = payload[payloadKeys.id];
  const recordId = payload[payloadKeys.recordId];
  if (typeof id !== 'string' || typeof recordId !== 'string') return undefined;
  const scale = typeof payload[payloadKeys.vectorNorm] === 'number' ? (payload[payloadKeys.vectorNorm] as number) : 1;
  const vector = Array.isArray(point.vector) ? (point.vector as number[]).map((value) => value * scale) : [];
  const record: StoredRecord = { id, recordId, vector, metadata: (payload[payloadKeys.metadata] ?? {}) as Metadata };
  const { tenant, source, text } = payload;
  if (typeof tenant === 'string') record.tenant = tenant;
  if (typeof source === 'string') record.source = source;
  if (typeof text === 'string') record.text = text;
  return record;
}
