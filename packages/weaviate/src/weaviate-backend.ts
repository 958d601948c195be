import { BackendError, UnsupportedError, type BackendDescription, type VectorBackend } from '@tenantvec/core';
import { bestHits, CatalogueBackend, similarityFromDistance, type ScoreConvention, filterOperators, VECTOR_BACKEND_CONTRACT_VERSION, type BackendCapabilities, type BackendCountParams, type BackendDeleteParams, type BackendGetParams, type BackendKeywordQueryParams, type BackendQueryParams, type BackendScanParams, type ListTenantKeysParams, type Location, type ScanPage, type ScopeConstraint, type ScoredRecord, type StoredRecord, type FilterNode } from '@tenantvec/core/backend';
import weaviate, { type FilterValue, type WeaviateClient } from 'weaviate-client';
import { CollectionCatalogue } from './collection-catalogue.js';
import { metadataPropertyConfig, type CollectionFacts } from './collection-schema.js';
import { and, propertiesRead, scopeFilter, translateFilter, type Translated } from './filter-to-weaviate.js';
import { insertObjects } from './insert-objects.js';
import { objectUuid } from './point-ids.js';
import { keywordText, recordFromProperties, recordProperties, returnedProperties } from './record-properties.js';
import { failureKind } from './weaviate-errors.js';
import { collectionNameRules, kindOf, metadataProperty, partitionNameRules, systemProperties, toWeaviateCollection } from './weaviate-names.js';
import { WeaviateRequests } from './weaviate-requests.js';
import { checkSettings, describeWeaviate, QUERY_MAXIMUM_RESULTS, type WeaviateBackendSettings } from './weaviate-settings.js';

/** Weaviate answers distances: `cosine` and `dot` as pgvector does, `l2-squared` squared. */
const scoreConvention: ScoreConvention = { cosine: 'distance', dot: 'distance', euclidean: 'squared-distance' };

const byProperty = (name: string) => weaviate.filter.byProperty(name);

/**
 * VectorBackend v2 over Weaviate through weaviate-client v3 (REST for schema and tenants, gRPC
 * for search, batch writes, deletes and counts). A collection is a Weaviate collection; a
 * partition is a native Weaviate tenant (one shard each); the tenant field and source ancestors
 * are filterable text properties matched exactly (`tokenization: field`). Keyword search is
 * Weaviate's own BM25 over `tv_terms` (see collection-schema.ts).
 */
export class WeaviateBackend extends CatalogueBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'weaviate';
  readonly capabilities: BackendCapabilities;
  private readonly requests: WeaviateRequests;
  protected readonly catalogue: CollectionCatalogue;

  /**
   * The native client, for what tenantvec does not wrap: a promise, because weaviate-client
   * connects asynchronously (`await backend.client` works on every tenantvec backend). It
   * connects on first use; a client handed in is returned as it was.
   */
  get client(): Promise<WeaviateClient> {
    return this.requests.connect();
  }

  constructor(private readonly settings: WeaviateBackendSettings) {
    super();
    checkSettings(settings);
    this.requests = new WeaviateRequests(settings);
    this.catalogue = new CollectionCatalogue(settings, this.requests);
    this.capabilities = {
      collections: true,
      partitions: true,
      maxBatchSize: settings.maxBatchSize ?? 1000,
      maxTopK: Math.min(settings.maxTopK ?? QUERY_MAXIMUM_RESULTS, QUERY_MAXIMUM_RESULTS),
      filterOperators,
      collectionNames: collectionNameRules,
      partitionNames: partitionNameRules,
      readYourWrites: true,
      // Weaviate keeps BM25 statistics per shard (Shard.ObjectSearch builds its BM25Searcher over
      // the shard's own store, adapters/repos/db/shard_read.go), and each native tenant is a shard.
      // N counts every object of the shard, text or not (the objects bucket); the average length only those with tokens.
      keyword: { statistics: 'partition', ranking: 'bm25 (Weaviate, per-shard statistics; scores are BM25 / (k1 + 1))', formula: { documentCount: 'every-record' } },
    };
  }

  /** The scope ANDed with the translated filter, against the collection's current properties. */
  private async whereOf(collection: string, scope: ScopeConstraint, filter: FilterNode | undefined, facts: CollectionFacts): Promise<Translated> {
    let known = facts;
    if ([...propertiesRead(filter)].some((name) => !known.properties.has(name))) {
      // Another writer may have added the property since the schema was cached.
      known = (await this.catalogue.factsOf(collection, true)) ?? facts;
    }
    return and(scopeFilter(scope), filter === undefined ? true : translateFilter(filter, (name) => known.properties.has(name)));
  }

  async rawUpsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    if (records.length > this.capabilities.maxBatchSize) throw new BackendError(`More than ${this.capabilities.maxBatchSize} records in one request.`);
    const facts = await this.catalogue.factsOf(location.collection);
    if (facts === undefined) throw new BackendError('The location to write to does not exist.');
    if (facts.dimension !== undefined && records.some((record) => record.vector.length !== facts.dimension)) {
      throw new BackendError('A vector has the wrong dimension.');
    }
    const unsafe = records.find((record) => Object.values(record.metadata).some((value) => typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)));
    if (unsafe !== undefined) {
      throw new BackendError(`Record ${unsafe.recordId}: Weaviate's int properties and weaviate-client's filters hold integers only up to ±(2^53 - 1).`);
    }
    await this.ensureMetadataProperties(location.collection, facts, records);
    const keywordTerms = facts.properties.has(systemProperties.terms);
    const objects = records.map((record) => ({ id: objectUuid(record.id), properties: recordProperties({ record, keywordTerms }), vectors: [...record.vector] }));
    await this.requests.onLocation('batch write', location, undefined, async (handle) => {
      const failures = await insertObjects(handle, objects);
      if (failures.length === 0) return;
      const first = failures[0]![1].message;
      // Every object failing the same way is a failure of the request, not of its objects.
      if (failures.length === objects.length && failureKind(first) !== 'other') throw new BackendError(first);
      const listed = failures.slice(0, 5).map(([index, failure]) => `#${index} (${records[index]!.recordId}): ${failure.message}`).join('; ');
      throw new BackendError(`Weaviate refused ${failures.length} of ${objects.length} objects (the others were written): ${listed}`);
    });
  }

  /** Adds the typed metadata properties a batch needs; Weaviate runs without auto-schema here. */
  private async ensureMetadataProperties(collection: string, facts: CollectionFacts, records: readonly StoredRecord[]): Promise<void> {
    const needed = new Map<string, ReturnType<typeof kindOf>>();
    for (const record of records) {
      for (const [key, value] of Object.entries(record.metadata)) {
        const kind = kindOf(value);
        const name = metadataProperty(key, kind);
        if (!facts.properties.has(name)) needed.set(name, kind);
      }
    }
    for (const [name, kind] of needed) {
      try {
        await this.requests.call('property creation', (client) => client.collections.use(toWeaviateCollection(collection)).config.addProperty(metadataPropertyConfig(name, kind)));
      } catch (error) {
        if (failureKind(error) !== 'exists') throw error;
      }
      facts.properties.add(name);
    }
  }

  async rawQuery(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return [];
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return [];
    const result = await this.requests.onLocation('search', params.location, null, (handle) =>
      handle.query.nearVector([...params.vector], {
        limit: params.topK,
        returnMetadata: ['distance'],
        returnProperties: returnedProperties,
        includeVector: params.includeVectors === true,
        ...(where === true ? {} : { filters: where }),
      }));
    const hits = (result?.objects ?? []).map((object) =>
      hitOf(object, params.includeVectors, similarityFromDistance({ metric: facts.metric, value: object.metadata?.distance ?? 0, convention: scoreConvention })));
    return bestHits(hits, params.topK);
  }

  /** Weaviate's BM25 on `tv_terms`, within the same walls and filter as every other read. */
  async rawKeywordQuery(params: BackendKeywordQueryParams): Promise<ScoredRecord[]> {
    let facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return [];
    // The collection may have been re-created since its schema was cached.
    if (!facts.keywordReady) facts = await this.catalogue.factsOf(params.location.collection, true);
    if (facts === undefined) return [];
    if (!facts.keywordReady) {
      throw new UnsupportedError(
        'This Weaviate collection was created before @tenantvec/weaviate had keyword search: it has no tv_terms property '
        + '(word tokenization, indexSearchable) with BM25 k1 1.2, b 0.75 and the stopwords preset none, so keyword and hybrid queries cannot run on it. '
        + 'Copy the records into a collection this version creates (for example `tenantvec migrate` to a store with another name), '
        + 'or drop the collection and write the records again.',
      );
    }
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return [];
    const result = await this.requests.onLocation('keyword search', params.location, null, (handle) =>
      handle.query.bm25(keywordText(params.terms), {
        queryProperties: [systemProperties.terms],
        limit: params.topK,
        returnMetadata: ['score'],
        returnProperties: returnedProperties,
        includeVector: params.includeVectors === true,
        ...(where === true ? {} : { filters: where }),
      }));
    const hits = (result?.objects ?? []).map((object) => hitOf(object, params.includeVectors, object.metadata?.score ?? 0));
    return bestHits(hits, params.topK);
  }

  async rawGet({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    const facts = await this.catalogue.factsOf(location.collection);
    if (facts === undefined) return [];
    const found: StoredRecord[] = [];
    // One search reaches at most QUERY_MAXIMUM_RESULTS objects.
    for (let start = 0; start < ids.length; start += QUERY_MAXIMUM_RESULTS) {
      const chunk = ids.slice(start, start + QUERY_MAXIMUM_RESULTS);
      found.push(...await this.fetch(location, and(scopeFilter(scope), byProperty(systemProperties.id).containsAny([...chunk])), chunk.length));
    }
    return found;
  }

  private async fetch(location: Location, where: Translated, limit: number, after?: string): Promise<StoredRecord[]> {
    const filters = and(where, after === undefined ? true : byProperty(systemProperties.id).greaterThan(after as never));
    if (filters === false) return [];
    const result = await this.requests.onLocation('fetch', location, null, (handle) =>
      handle.query.fetchObjects({
        limit,
        returnProperties: returnedProperties,
        includeVector: true,
        sort: handle.sort.byProperty(systemProperties.id as never, true),
        ...(filters === true ? {} : { filters }),
      }));
    return (result?.objects ?? []).map((object) =>
      recordFromProperties(object.properties, (object.vectors as Record<string, number[]>).default ?? []) as StoredRecord);
  }

  async rawDelete(params: BackendDeleteParams): Promise<void> {
    const facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return;
    const where = params.ids !== undefined
      ? and(scopeFilter(params.scope), params.ids.length === 0 ? false : byProperty(systemProperties.id).containsAny([...params.ids]))
      : await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return;
    // Batch delete needs a filter: every object has a physical id, so this one matches all.
    const filter: FilterValue = where === true ? byProperty(systemProperties.id).like('*') : where;
    for (;;) {
      const result = await this.requests.onLocation('batch delete', params.location, null, (handle) => handle.data.deleteMany(filter));
      if (result === null) return;
      if (result.failed > 0) throw new BackendError(`Weaviate failed to delete ${result.failed} of ${result.matches} objects.`, { retryable: true });
      if (result.matches < QUERY_MAXIMUM_RESULTS) return;
    }
  }

  async rawCount(params: BackendCountParams): Promise<number> {
    const facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return 0;
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    if (where === false) return 0;
    const result = await this.requests.onLocation('count', params.location, null, (handle) =>
      handle.aggregate.overAll(where === true ? {} : { filters: where }));
    return result?.totalCount ?? 0;
  }

  async rawScan(params: BackendScanParams): Promise<ScanPage> {
    const facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return { records: [] };
    const where = await this.whereOf(params.location.collection, params.scope, params.filter, facts);
    const page = await this.fetch(params.location, where, Math.min(params.limit + 1, QUERY_MAXIMUM_RESULTS), params.after);
    const records = page.slice(0, params.limit);
    return page.length > params.limit ? { records, next: records.at(-1)!.id } : { records };
  }

  /** Distinct keys by skip-scan: one sorted, filtered fetch of one object per key. */
  async rawListTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    const facts = await this.catalogue.factsOf(collection);
    if (facts === undefined || facts.multiTenant) return [];
    const property = key === 'tenant' ? systemProperties.tenant : systemProperties.sourceRoot;
    const keys: string[] = [];
    let last = after;
    while (keys.length < limit) {
      const result = await this.requests.onLocation('key listing', { collection }, null, (handle) =>
        handle.query.fetchObjects({
          limit: 1,
          returnProperties: [property],
          sort: handle.sort.byProperty(property as never, true),
          filters: last === undefined ? byProperty(property).like('*') : byProperty(property).greaterThan(last as never),
        }));
      const value = result?.objects[0]?.properties[property];
      if (typeof value !== 'string') break;
      keys.push(value);
      last = value;
    }
    return keys;
  }

  describe(): BackendDescription {
    return describeWeaviate(this.settings);
  }

  async close(): Promise<void> {
    this.catalogue.clear();
    await this.requests.close();
  }
}

/** A search result as a scored record, the same for every kind of search. */
function hitOf(object: { properties: Record<string, unknown>; vectors: unknown }, includeVectors: boolean | undefined, score: number): ScoredRecord {
  const vector = includeVectors === true ? (object.vectors as Record<string, number[]>).default : undefined;
  return { ...recordFromProperties(object.properties, vector), score };
}

/** A Weaviate backend; see {@link WeaviateBackend} and the settings' JSDoc. */
export function createWeaviateBackend(settings: WeaviateBackendSettings = {}): WeaviateBackend {
  return new WeaviateBackend(settings);
}
