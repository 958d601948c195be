import type { Metadata, MetadataValue } from './filter/filter-types.js';

/**
 * Names the store uses for itself on every backend. A metadata key or filter field may not take
 * one: a filter on `tenant` could otherwise try to reach another tenant's records.
 */
export const reservedFieldNames: ReadonlySet<string> = new Set([
  'id', 'record_id', 'tenant', 'source', 'source_ancestors', 'text', 'vector', 'embedding', 'score', 'metadata',
]);

/** Letters, digits and '_', starting with a letter: safe as a JSON key, a payload key and a property name. */
const metadataKeyPattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Why a key cannot be used, or undefined when it can. */
export function metadataKeyProblem(key: string): string | undefined {
  if (!metadataKeyPattern.test(key)) {
    return `metadata key ${JSON.stringify(key)} must be 1 to 64 letters, digits or '_', starting with a letter`;
  }
  if (reservedFieldNames.has(key.toLowerCase())) {
    return `metadata key ${JSON.stringify(key)} is reserved by tenantvec`;
  }
  return undefined;
}

/** Default cap on one record's metadata, as JSON: Pinecone's per-vector limit, the strictest backend. */
export const DEFAULT_MAX_METADATA_BYTES = 40_960;

/**
 * Metadata keys with this prefix are the fields `ingest` writes (document, version, chunk
 * position). A document's own metadata may not use them; an upsert may, so that an export
 * imported elsewhere (a migration, a tier move) keeps its documents whole.
 */
export const DOCUMENT_FIELD_PREFIX = 'tenantvec_';

/** Why a metadata object cannot be stored, or undefined when it can. */
export function metadataProblem(metadata: unknown, maxBytes: number): string | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return 'metadata must be a plain object';
  }
  for (const [key, value] of Object.entries(metadata)) {
    const keyProblem = metadataKeyProblem(key);
    if (keyProblem !== undefined) return keyProblem;
    const valueProblem = metadataValueProblem(value);
    if (valueProblem !== undefined) return `metadata.${key}: ${valueProblem}`;
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > maxBytes) return `metadata is ${bytes} bytes as JSON, over the limit of ${maxBytes}`;
  return undefined;
}

function metadataValueProblem(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'numbers must be finite';
  if (Array.isArray(value)) {
    return value.every((item) => typeof item === 'string') ? undefined : 'lists may hold only strings';
  }
  return 'values must be strings, finite numbers, booleans or lists of strings';
}

/** A frozen copy, so a caller mutating its object later cannot change what was validated. */
export function freezeMetadata(metadata: Metadata | undefined): Metadata {
  const copy: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    copy[key] = Array.isArray(value) ? Object.freeze([...(value as string[])]) : value;
  }
  return Object.freeze(copy);
}
