import { sourceAncestors, sourceRoot, textTerms, type Metadata, type StoredRecord } from '@tenantvec/core/backend';
import type { WeaviateField } from 'weaviate-client';
import { kindOf, metadataProperty, systemProperties } from './weaviate-names.js';

/**
 * A record as Weaviate object properties, and back. The metadata object itself is kept as
 * JSON (`tv_metadata`, not indexed) so it reads back exactly; its values are also spread into
 * typed, filterable properties for filters, and its keys into `tv_keys` for `$exists`. The
 * text goes both ways: exactly in `tv_text`, and as core's terms in `tv_terms` for BM25, where
 * the collection has that property (collections made before keyword search do not).
 */
export function recordProperties({ record, keywordTerms }: { record: StoredRecord; keywordTerms: boolean }): Record<string, WeaviateField> {
  const properties: Record<string, WeaviateField> = {
    [systemProperties.id]: record.id,
    [systemProperties.recordId]: record.recordId,
    [systemProperties.metadata]: JSON.stringify(record.metadata),
    [systemProperties.keys]: Object.keys(record.metadata),
  };
  if (record.text !== undefined) {
    properties[systemProperties.text] = record.text;
    const terms = textTerms(record.text);
    // A text without terms has nothing to index; Weaviate would track it as no length either.
    if (keywordTerms && terms.length > 0) properties[systemProperties.terms] = keywordText(terms);
  }
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

/**
 * Terms as one string for Weaviate's `word` tokenizer, for documents and queries alike. Core cuts
 * long terms at 64 UTF-16 units, which can halve a surrogate pair; Weaviate's gRPC refuses a
 * string that is not valid UTF-8, so the stray half is dropped (on both sides, so they still meet).
 */
export function keywordText(terms: readonly string[]): string {
  return terms.map((term) => term.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')).join(' ');
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
