import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { BackendError, UnsupportedError, type BackendDescription, type VectorBackend } from '@tenantvec/core';
import { bestHits, CatalogueBackend, similarityFromDistance, type ScoreConvention, filterOperators, VECTOR_BACKEND_CONTRACT_VERSION, type BackendCapabilities, type BackendCountParams, type BackendDeleteParams, type BackendGetParams, type BackendKeywordQueryParams, type BackendQueryParams, type BackendScanParams, type ListTenantKeysParams, type Location, type Metric, type ScanPage, type ScopedParams, type ScopeStats, type ScoredRecord, type StoredRecord } from '@tenantvec/core/backend';
import { CollectionCatalogue, type CollectionFacts } from './collection-catalogue.js';
import { scopedFilter } from './filter-to-qdrant.js';
import { keywordCapability, keywordVectorName, queryTermVector } from './keyword-vectors.js';
import { pointIdOf } from './point-ids.js';
import { describeQdrant, parseQdrantSettings, type QdrantBackendSettings } from './qdrant-settings.js';
import { fromPoint, payloadKeys, toPoint } from './record-payload.js';
import { QdrantRequests } from './qdrant-requests.js';
import { assertIdfCorpusSupported } from './server-version.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Qdrant answers Cosine and Dot with the similarity, Euclid with the distance. */
const scoreConvention: ScoreConvention = { cosine: 'similarity', dot: 'similarity', euclidean: 'distance' };

/**
 * The vectors a read asks back: none, or only the unnamed dense one (`""`), so the sparse term
 * weights of keyword search never travel with exports and queries. Cosine reads take the vector
 * as written from the payload instead.
 */
function denseVectorOnly(includeVectors: boolean | undefined, metric: Metric): false | string[] {
  return includeVectors === true && metric !== 'cosine' ? [''] : false;
}

/**
 * Qdrant through the official REST client. See the package README for how each strategy maps
 * onto Qdrant: payload partitioning with `is_tenant` indexes, custom sharding with one shard key
 * per tenant, one collection per tenant, and exact source-prefix matching on an ancestors array.
 * Keyword search is a sparse vector with Qdrant's `idf` modifier (see keyword-vectors.ts).
 */
export class QdrantBackend extends CatalogueBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'qdrant';
  readonly capabilities: BackendCapabilities;
  readonly client: QdrantClient;
  private readonly settings: QdrantBackendSettings;
  private readonly requests: QdrantRequests;
  protected readonly catalogue: CollectionCatalogue;
  private serverVersion: Promise<string> | undefined;

  constructor(settings: QdrantBackendSettings = {}) {
    super();
    this.settings = parseQdrantSettings(settings);
    this.client = settings.client ?? new QdrantClient({
      url: settings.url ?? process.env.QDRANT_URL ?? 'http://localhost:6333',
      ...(settings.apiKey ?? process.env.QDRANT_API_KEY ? { apiKey: settings.apiKey ?? process.env.QDRANT_API_KEY } : {}),
      timeout: settings.timeoutMs ?? 30_000,
      checkCompatibility: settings.checkCompatibility ?? true,
    });
    this.requests = new QdrantRequests(this.settings.retry);
    this.catalogue = new CollectionCatalogue(this.client, this.settings, this.requests);
    const names = { maxLength: 255, letterCase: 'lower', separator: '-' } as const;
    this.capabilities = {
      collections: true,
      partitions: true,
      maxBatchSize: settings.maxBatchSize ?? 256,
      maxTopK: settings.maxTopK ?? 1000,
      filterOperators,
      collectionNames: names,
      partitionNames: names,
      readYourWrites: true,
      keyword: keywordCapability,
    };
  }

  async rawUpsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    const { maxBatchSize } = this.capabilities;
    if (records.length > maxBatchSize) throw new BackendError(`More than ${maxBatchSize} records in one request.`);
    const facts = await this.catalogue.factsOf(location.collection);
    if (facts === undefined) throw new BackendError('The location to write to does not exist.');
    if (records.some((record) => record.vector.length !== facts.dimension)) throw new BackendError('A vector has the wrong dimension.');
    const writtenAt = Date.now();
    const points = records.map((record) => toPoint({
      record, pointId: pointIdOf(record.id, location.partition), metric: facts.metric, writtenAt, keywordTerms: facts.keywordReady,
    }));
    const bytes = Buffer.byteLength(JSON.stringify(points), 'utf8');
    const limit = this.settings.maxRequestBytes ?? 32 * 1024 * 1024;
    if (bytes > limit) {
      throw new BackendError(`The batch is ${bytes} bytes as JSON, over Qdrant's request limit of ${limit}; lower maxBatchSize.`);
    }
    await this.requests.call('upsert', () => this.client.upsert(location.collection, { wait: true, points, ...shardKey(location) }));
  }

  async rawQuery(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return [];
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.requests.orEmpty('query', () => this.client.query(params.location.collection, {
      query: [...params.vector],
      limit: params.topK,
      // The vector as written rides in the payload of Cosine collections: fetch it only when asked.
      with_payload: params.includeVectors === true ? true : { exclude: [payloadKeys.vectorAsWritten] },
      with_vector: denseVectorOnly(params.includeVectors, facts.metric),
      ...(filter === undefined ? {} : { filter }),
      ...(this.settings.exactSearch === true ? { params: { exact: true } } : {}),
      ...shardKey(params.location),
    }), undefined);
    const score = (value: number) => similarityFromDistance({ metric: facts.metric, value, convention: scoreConvention });
    return bestHits(hitsOf(result?.points ?? [], params.includeVectors, score), params.topK);
  }

  /**
   * BM25 through the `tv_terms` sparse vector, within the same walls and filter as every other
   * read. The walls alone are also the IDF corpus, so the statistics count the scope's records
   * and nothing the caller's filter or another tenant changes.
   */
  async rawKeywordQuery(params: BackendKeywordQueryParams): Promise<ScoredRecord[]> {
    const facts = await this.keywordFacts(params.location.collection);
    if (facts === undefined) return [];
    const corpus = scopedFilter(params.scope);
    if (corpus !== undefined) assertIdfCorpusSupported(await this.versionOfServer());
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.requests.orEmpty('keyword query', () => this.client.query(params.location.collection, {
      query: queryTermVector(params.terms),
      using: keywordVectorName,
      limit: params.topK,
      with_payload: params.includeVectors === true ? true : { exclude: [payloadKeys.vectorAsWritten] },
      with_vector: denseVectorOnly(params.includeVectors, facts.metric),
      ...(filter === undefined ? {} : { filter }),
      ...(corpus === undefined ? {} : { params: { idf: { corpus } } }),
      ...shardKey(params.location),
    }), undefined);
    return bestHits(hitsOf(result?.points ?? [], params.includeVectors, (value) => value), params.topK);
  }

  /**
   * The facts of a collection keyword search can run on, or undefined when it does not exist.
   * A collection cached without `tv_terms` is read again first: it may have been made again since.
   */
  private async keywordFacts(collection: string): Promise<CollectionFacts | undefined> {
    let facts = await this.catalogue.factsOf(collection);
    if (facts !== undefined && !facts.keywordReady) facts = await this.catalogue.refreshFacts(collection);
    if (facts === undefined || facts.keywordReady) return facts;
    throw new UnsupportedError(
      `This Qdrant collection was created before @tenantvec/qdrant had keyword search: it has no ${keywordVectorName} sparse vector with the idf modifier, `
      + 'so keyword and hybrid queries cannot run on it (vector search, reads and writes still do). '
      + 'Copy the records into a collection this version creates (for example `tenantvec migrate` to a store with another name), '
      + 'or drop the collection and write the records again.',
    );
  }

  /** The server's version, asked once (`GET /`); a failed ask is asked again next time. */
  private versionOfServer(): Promise<string> {
    this.serverVersion ??= this.requests.call('version', () => this.client.versionInfo()).then(({ version }) => version, (error: unknown) => {
      this.serverVersion = undefined;
      throw error;
    });
    return this.serverVersion;
  }

  async rawGet({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    const facts = await this.catalogue.factsOf(location.collection);
    if (facts === undefined) return [];
    const with_vector = denseVectorOnly(true, facts.metric);
    const pointIds = ids.map((id) => pointIdOf(id, location.partition));
    const unscoped = scope.tenant === undefined && scope.sourcePrefix === undefined;
    // Retrieve by id is the cheapest read, but it takes no filter: a scoped read goes through
    // scroll so that the walls are applied by Qdrant itself.
    const points = unscoped
      ? await this.requests.orEmpty('retrieve', () => this.client.retrieve(location.collection, {
        ids: pointIds, with_payload: true, with_vector, ...shardKey(location),
      }), [])
      : (await this.requests.orEmpty('scroll', () => this.client.scroll(location.collection, {
        filter: scopedFilter(scope, undefined, [{ has_id: pointIds }])!,
        limit: pointIds.length, with_payload: true, with_vector, ...shardKey(location),
      }), undefined))?.points ?? [];
    const byId = new Map<string, StoredRecord>();
    for (const point of points) {
      const record = fromPoint(point);
      if (record !== undefined) byId.set(record.id, record);
    }
    return ids.map((id) => byId.get(id)).filter((record): record is StoredRecord => record !== undefined);
  }

  async rawDelete(params: BackendDeleteParams): Promise<void> {
    const { location, scope } = params;
    const extra = params.ids === undefined ? [] : [{ has_id: params.ids.map((id) => pointIdOf(id, location.partition)) }];
    const filter = scopedFilter(scope, params.filter, extra) ?? {};
    await this.requests.orEmpty('delete points', () => this.client.delete(location.collection, { wait: true, filter, ...shardKey(location) }), undefined);
  }

  async rawCount(params: BackendCountParams): Promise<number> {
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.requests.orEmpty('count', () => this.client.count(params.location.collection, {
      exact: true, ...(filter === undefined ? {} : { filter }), ...shardKey(params.location),
    }), undefined);
    return result?.count ?? 0;
  }

  async rawScan(params: BackendScanParams): Promise<ScanPage> {
    if (params.after !== undefined && !uuidPattern.test(params.after)) throw new BackendError('The scan cursor is not one this backend made.');
    const facts = await this.catalogue.factsOf(params.location.collection);
    if (facts === undefined) return { records: [] };
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.requests.orEmpty('scroll', () => this.client.scroll(params.location.collection, {
      limit: params.limit,
      with_payload: true,
      with_vector: denseVectorOnly(true, facts.metric),
      ...(filter === undefined ? {} : { filter }),
      ...(params.after === undefined ? {} : { offset: params.after }),
      ...shardKey(params.location),
    }), undefined);
    if (result === undefined) return { records: [] };
    const records = result.points.map(fromPoint).filter((record): record is StoredRecord => record !== undefined);
    const next = result.next_page_offset;
    return typeof next === 'string' ? { records, next } : { records };
  }

  async rawListTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    const field = key === 'tenant' ? payloadKeys.tenant : payloadKeys.sourceRoot;
    const pageSize = this.settings.facetPageSize ?? 10_000;
    const seen: string[] = [];
    // A facet answers the most frequent values first and cannot page by value, so each round
    // excludes what earlier rounds saw until a round comes back short.
    for (;;) {
      const filter: Schemas['Filter'] | undefined = seen.length === 0 ? undefined : { must_not: [{ key: field, match: { any: seen } }] };
      const result = await this.requests.orEmpty('facet', () => this.client.facet(collection, {
        key: field, limit: pageSize, exact: true, ...(filter === undefined ? {} : { filter }),
      }), undefined);
      const values = (result?.hits ?? []).map((hit) => hit.value).filter((value): value is string => typeof value === 'string');
      seen.push(...values);
      if (values.length < pageSize) break;
    }
    return [...new Set(seen)].filter((value) => after === undefined || value > after).sort().slice(0, limit);
  }

  /**
   * When the scope was last written: the newest `written_at`, found by ordering on its integer
   * index. Qdrant reports no per-tenant byte counts, so `bytes` is not given.
   */
  async rawScopeStats({ location, scope }: ScopedParams): Promise<ScopeStats> {
    const filter = scopedFilter(scope);
    const result = await this.requests.orEmpty('scroll', () => this.client.scroll(location.collection, {
      limit: 1,
      order_by: { key: payloadKeys.writtenAt, direction: 'desc' },
      with_payload: [payloadKeys.writtenAt],
      with_vector: false,
      ...(filter === undefined ? {} : { filter }),
      ...shardKey(location),
    }), undefined);
    const newest = result?.points[0]?.payload?.[payloadKeys.writtenAt];
    return typeof newest === 'number' ? { lastWriteAt: new Date(newest) } : {};
  }

  describe(): BackendDescription {
    return describeQdrant(this.settings);
  }

  async close(): Promise<void> {
    this.catalogue.clear();
  }
}

/** Query answers as scored records, with the vector only when asked for. */
function hitsOf(points: readonly Schemas['ScoredPoint'][], includeVectors: boolean | undefined, score: (value: number) => number): ScoredRecord[] {
  const hits: ScoredRecord[] = [];
  for (const point of points) {
    const record = fromPoint(point);
    if (record === undefined) continue;
    const { vector, ...rest } = record;
    hits.push(includeVectors === true ? { ...rest, vector, score: score(point.score) } : { ...rest, score: score(point.score) });
  }
  return hits;
}

function shardKey(location: Location): { shard_key?: string } {
  return location.partition === undefined ? {} : { shard_key: location.partition };
}

/** A Qdrant backend; see {@link QdrantBackend} and {@link QdrantBackendSettings}. */
export function qdrant(settings: QdrantBackendSettings = {}): QdrantBackend {
  return new QdrantBackend(settings);
}
