import { physicalName } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { objectUuid } from './point-ids.js';
import { collectionNameRules, fromWeaviateCollection, metadataProperty, partitionNameRules, toWeaviateCollection } from './weaviate-names.js';

describe('weaviate names', () => {
  it('capitalises collection names reversibly, and refuses names it could not map back', () => {
    expect(toWeaviateCollection('store_shared')).toBe('Store_shared');
    expect(fromWeaviateCollection('Store_shared')).toBe('store_shared');
    expect(() => toWeaviateCollection('Store_shared')).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    expect(() => toWeaviateCollection('store-shared')).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });

  it('gives tenants that fold together distinct, valid collection and tenant names', () => {
    const ids = ['acme', 'Acme', 'ACME', 'a_c', 'a-c', 'a.c', 't'.repeat(127) + 'a', 't'.repeat(127) + 'b'];
    const collections = ids.map((tenantId) => toWeaviateCollection(physicalName({ prefix: 'store_t', tenantId, rules: collectionNameRules })));
    const partitions = ids.map((tenantId) => physicalName({ prefix: 't', tenantId, rules: partitionNameRules }));
    // Weaviate compares collection names case-insensitively: distinct even lower-cased.
    expect(new Set(collections.map((name) => name.toLowerCase())).size).toBe(ids.length);
    expect(new Set(partitions).size).toBe(ids.length);
    for (const name of collections) expect(name).toMatch(/^[A-Z][_0-9A-Za-z]{0,254}$/);
    for (const name of partitions) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('keeps metadata properties apart by key, kind and case', () => {
    const names = [
      metadataProperty('year', 'number'), metadataProperty('year', 'text'), metadataProperty('Year', 'number'),
      metadataProperty('YEAR', 'number'), metadataProperty('year__n', 'text'), metadataProperty('tags', 'list'), metadataProperty('year', 'integer'),
    ];
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(metadataProperty('year', 'number')).toBe('m_year__n');
    for (const name of names) expect(name).toMatch(/^m_[_0-9a-z]+$/);
  });

  it('derives one stable UUID v5 per physical id', () => {
    expect(objectUuid('acme:doc-1')).toBe(objectUuid('acme:doc-1'));
    expect(objectUuid('acme:doc-1')).not.toBe(objectUuid('acme:doc-2'));
    expect(objectUuid('acme:doc-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
