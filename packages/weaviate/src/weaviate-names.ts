import { ConfigurationError, hashOf, type NameRules } from '@tenantvec/core/backend';
import type { MetadataValue } from '@tenantvec/core/backend';

/**
 * How tenantvec names become Weaviate names.
 *
 * Collections: Weaviate wants `/^[A-Z][_0-9A-Za-z]*$/` and capitalises the first letter itself.
 * Every name the strategies make starts with the store's lowercase base name, so upper-casing
 * that one letter is a bijection; names that already start upper case are refused rather than
 * folded onto another name. Different tenants' names also differ in their lowercase hash, so
 * they stay apart even where Weaviate compares class names case-insensitively.
 */
export const collectionNameRules: NameRules = { maxLength: 255, letterCase: 'any', separator: '_' };
/** Weaviate tenant names: `[A-Za-z0-9_-]`, 1 to 64 characters. */
export const partitionNameRules: NameRules = { maxLength: 64, letterCase: 'any', separator: '_' };

export function toWeaviateCollection(name: string): string {
  if (!/^[a-z][A-Za-z0-9_]*$/.test(name) || name.length > collectionNameRules.maxLength) {
    throw new ConfigurationError(`Collection name ${JSON.stringify(name)} cannot be mapped to a Weaviate collection name.`);
  }
  return name[0]!.toUpperCase() + name.slice(1);
}

export function fromWeaviateCollection(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

/** Weaviate tenant holding the labels of a partitioned collection's tenants (`t_...` names never meet it). */
export const CATALOG_TENANT = 'tv_catalog';

/**
 * Properties tenantvec keeps on every object. Metadata properties all start with `m_`, so no
 * user key can reach these, nor Weaviate's reserved `id`, `_id`, `_additional`, `vector`.
 */
export const systemProperties = {
  id: 'tv_id',
  recordId: 'tv_record_id',
  text: 'tv_text',
  tenant: 'tv_tenant',
  source: 'tv_source',
  sourceRoot: 'tv_source_root',
  sourceAncestors: 'tv_source_ancestors',
  metadata: 'tv_metadata',
  keys: 'tv_keys',
  /** The record's text as core's analyser splits it, one space between terms: what BM25 reads. */
  terms: 'tv_terms',
} as const;

export type MetadataKind = 'text' | 'integer' | 'number' | 'boolean' | 'list';

const kindLetters: Record<MetadataKind, string> = { text: 's', integer: 'i', number: 'n', boolean: 'b', list: 'l' };

/**
 * Integers and other numbers live apart (`int` and `number` properties): weaviate-client sends
 * an integer filter value as `valueInt`, which Weaviate refuses on a `number` property, so a
 * `number` property must only ever be compared with non-integers (see filter-to-weaviate.ts).
 */
export function kindOf(value: MetadataValue): MetadataKind {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'string' ? 'text' : 'boolean';
}

/**
 * The typed property holding one metadata key's values of one kind. A key can hold a number in
 * one record and a string in another (filters are type-strict), so each kind gets its own
 * property: `year` → `m_year__i`, `m_year__n` and `m_year__s`. Keys with capitals get a hash of the exact key,
 * so `Year` and `year` never share a property even where Weaviate folds case.
 */
export function metadataProperty(key: string, kind: MetadataKind): string {
  const base = `m_${key.toLowerCase()}__${kindLetters[kind]}`;
  return key === key.toLowerCase() ? base : `${base}_${hashOf(key).slice(0, 8)}`;
}
