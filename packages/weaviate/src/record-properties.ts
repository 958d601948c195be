import { sourceAncestors, sourceRoot, type Metadata, type StoredRecord } from '@tenantvec/core/backend';
import type { WeaviateField } from 'weaviate-client';
import { kindOf, metadataProperty, systemProperties } from './weaviate-names.js';

/**
 * A record as Weaviate object properties, and back. The metadata object itself is kept as
 * JSON (`tv_metadata`, not indexed) so it reads back exactly; its values are also spread into
 * typed, filterable properties for filters, and its keys into `tv_keys` for `$exists`.
 */
export function recordProperties(record: StoredRecord): Record<string, WeaviateField> {
  const properties: Record<string, WeaviateField> = {
    [systemProperties.id]: record.id,
    [systemProperties.recordId]: record.recordId,
    [systemProperties.metadata]: JSON.stringify(record.metadata),
    [systemProperties.keys]: Object.keys(record.metadata),
  };
  if (record.text !== undefined) properties[systemProperties.text] = record.text;
  if (record.tenant !== undefined) properties[systemProperties.tenant] = record.tenant;
  if (record.source !== undefined) {
    properties[systemProperties.source] = record.source;
    properties[systemProperties.sourceRoot] = sourceRoot(record.source)!;
    properties[systemProperties.sourceAncestors] = sourceAncestors(record.source);
  }
  for (const [key, value] of Object.entries(record.metadata)) {
    properties[metadataProperty(key, kindOf(value))] = Array.isArray(value) ? [...(value as readonly string[])] : (value as string | number | boolean);
  }
  return properties;
}

/** The properties a read asks back: only what rebuilds a record, never the typed copies. */
export const returnedProperties = [
  systemProperties.id, systemProperties.recordId, systemProperties.text, systemProperties.tenant,
  systemProperties.source, systemProperties.metadata,
];

export function recordFromProperties(properties: Record<string, unknown>, vector: readonly number[] | undefined): Omit<StoredRecord, 'vector'> & { vector?: readonly number[] } {
  const text = properties[systemProperties.text];
  const tenant = properties[systemProperties.tenant];
  const source = properties[systemProperties.source];
  return {
    id: String(properties[systemProperties.id]),
    recordId: String(properties[systemProperties.recordId]),
    metadata: JSON.parse(String(properties[systemProperties.metadata] ?? '{}')) as Metadata,
    ...(typeof text === 'string' ? { text } : {}),
    ...(typeof tenant === 'string' ? { tenant } : {}),
    ...(typeof source === 'string' ? { source } : {}),
    ...(vector === undefined ? {} : { vector }),
  };
}
