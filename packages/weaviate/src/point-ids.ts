import { generateUuid5 } from 'weaviate-client';

/** Namespace of tenantvec's object UUIDs (a fixed random v4 UUID). */
export const OBJECT_ID_NAMESPACE = '6f2b8f0e-93a4-4c55-9d1e-2a7c41b0d3e8';

/**
 * Weaviate object ids are UUIDs: a physical id maps to a UUID v5, the same on every call and
 * every machine. The physical id and the record id are kept in properties, so nothing depends
 * on inverting it.
 */
export function objectUuid(physicalId: string): string {
  return generateUuid5(physicalId, OBJECT_ID_NAMESPACE);
}
