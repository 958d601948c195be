import { sourceAncestors, sourceRoot, type Metadata, type Metric, type StoredRecord } from '@tenantvec/core/backend';
import type { Schemas } from '@qdrant/js-client-rest';
import { pointVectors, recordTermVector } from './keyword-vectors.js';

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
  /**
   * Qdrant normalises the vectors of Cosine collections on write. The vector as written, as
   * little-endian float32 in base64, lets reads (exports, migrations, checksums) return it
   * exactly as a Dot or Euclid collection would.
   */
  vectorAsWritten: 'vector_f32',
  /** When the point was written (epoch ms, the writer's clock), integer-indexed for `order_by`. */
  writtenAt: 'written_at',
} as const;

export function encodeFloat32(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

export function decodeFloat32(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
}

/**
 * A record as a point. With `keywordTerms` (the collection has the `tv_terms` sparse vector) a
 * record with terms also carries its term weights; collections made before keyword search do
 * not have that vector, and Qdrant refuses a point naming one it does not have.
 */
export function toPoint(params: { record: StoredRecord; pointId: string; metric: Metric; writtenAt: number; keywordTerms: boolean }): Schemas['PointStruct'] {
  const { record, pointId, metric, writtenAt } = params;
  const payload: Record<string, unknown> = {
    [payloadKeys.id]: record.id,
    [payloadKeys.writtenAt]: writtenAt,
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
  if (metric === 'cosine') payload[payloadKeys.vectorAsWritten] = encodeFloat32(record.vector);
  const terms = params.keywordTerms ? recordTermVector(record) : undefined;
  return { id: pointId, vector: pointVectors({ dense: record.vector, terms }), payload };
}

/** The unnamed dense vector of a point read back: a plain array, or the `""` entry of named vectors. */
function denseOf(vector: unknown): number[] | undefined {
  if (Array.isArray(vector)) return vector as number[];
  const unnamed = typeof vector === 'object' && vector !== null ? (vector as Record<string, unknown>)[''] : undefined;
  return Array.isArray(unnamed) ? (unnamed as number[]) : undefined;
}

/** A stored record back from a point; `undefined` for points tenantvec did not write. */
export function fromPoint(point: { payload?: Record<string, unknown> | null; vector?: unknown }): StoredRecord | undefined {
  const payload = point.payload ?? {};
  const id = payload[payloadKeys.id];
  const recordId = payload[payloadKeys.recordId];
  if (typeof id !== 'string' || typeof recordId !== 'string') return undefined;
  const asWritten = payload[payloadKeys.vectorAsWritten];
  const vector = typeof asWritten === 'string' ? decodeFloat32(asWritten) : denseOf(point.vector) ?? [];
  const record: StoredRecord = { id, recordId, vector, metadata: (payload[payloadKeys.metadata] ?? {}) as Metadata };
  const { tenant, source, text } = payload;
  if (typeof tenant === 'string') record.tenant = tenant;
  if (typeof source === 'string') record.source = source;
  if (typeof text === 'string') record.text = text;
  return record;
}
