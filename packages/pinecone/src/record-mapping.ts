import { BackendError, sourceAncestors, type Metadata, type MetadataValue, type StoredRecord } from '@tenantvec/core/backend';
import type { PineconeRecord, RecordMetadata } from '@pinecone-database/pinecone';
import { physicalIdOf, pineconeIdOf } from './point-ids.js';
import { isSystemField, systemField } from './system-fields.js';

/** Pinecone's cap on one vector's metadata, as JSON. */
export const MAX_PINECONE_METADATA_BYTES = 40_960;

/**
 * A stored record as a Pinecone vector: user metadata at the top level (Pinecone metadata is
 * flat), tenantvec's own fields beside it under '_' names. Refuses, before any I/O, a record whose
 * metadata with those fields would pass Pinecone's per-vector limit.
 */
export function toPineconeRecord(record: StoredRecord, writeMark?: string): PineconeRecord {
  const { id, lossy } = pineconeIdOf(record.id);
  const metadata: Record<string, MetadataValue> = { ...record.metadata, [systemField.recordId]: record.recordId };
  const numericKeys = Object.keys(record.metadata).filter((key) => typeof record.metadata[key] === 'number');
  if (numericKeys.length > 0) metadata[systemField.numericKeys] = numericKeys;
  if (lossy) metadata[systemField.physicalId] = record.id;
  if (record.tenant !== undefined) metadata[systemField.tenant] = record.tenant;
  if (record.source !== undefined) {
    metadata[systemField.source] = record.source;
    metadata[systemField.sourceAncestors] = sourceAncestors(record.source);
  }
  if (record.text !== undefined) metadata[systemField.text] = record.text;
  if (writeMark !== undefined) metadata[systemField.writeMark] = writeMark;
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > MAX_PINECONE_METADATA_BYTES) {
    throw new BackendError(
      `Record ${JSON.stringify(record.recordId)} needs ${bytes} bytes of Pinecone metadata (its metadata, text and source), ` +
        `over Pinecone's limit of ${MAX_PINECONE_METADATA_BYTES} per vector.`,
    );
  }
  return { id, values: [...record.vector], metadata: metadata as RecordMetadata };
}

function text(metadata: RecordMetadata, key: string): string | undefined {
  const value = metadata[key];
  return typeof value === 'string' ? value : undefined;
}

/** The stored record behind a Pinecone vector; vectors tenantvec did not write are skipped (undefined). */
export function fromPineconeRecord(vector: PineconeRecord): StoredRecord | undefined {
  const stored = vector.metadata ?? {};
  const recordId = text(stored, systemField.recordId);
  if (recordId === undefined) return undefined;
  const metadata: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(stored)) if (!isSystemField(key)) metadata[key] = value;
  const record: StoredRecord = {
    id: text(stored, systemField.physicalId) ?? physicalIdOf(vector.id),
    recordId,
    vector: vector.values ?? [],
    metadata: metadata as Metadata,
  };
  const tenant = text(stored, systemField.tenant);
  const source = text(stored, systemField.source);
  const body = text(stored, systemField.text);
  if (tenant !== undefined) record.tenant = tenant;
  if (source !== undefined) record.source = source;
  if (body !== undefined) record.text = body;
  return record;
}

/** Rough JSON size of one vector in an upsert request, to keep requests under Pinecone's 2 MB. */
export function requestBytesOf(vector: PineconeRecord): number {
  return Buffer.byteLength(JSON.stringify(vector), 'utf8') + 1;
}

/** Splits one batch so no request passes Pinecone's request size (`maxRequestBytes`). */
export function requestBatches(vectors: readonly PineconeRecord[], maxRequestBytes: number): PineconeRecord[][] {
  const requests: PineconeRecord[][] = [];
  let current: PineconeRecord[] = [];
  let bytes = 64;
  for (const vector of vectors) {
    const size = requestBytesOf(vector);
    if (current.length > 0 && bytes + size > maxRequestBytes) {
      requests.push(current);
      current = [];
      bytes = 64;
    }
    current.push(vector);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
