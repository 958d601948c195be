import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { BackendError, filterOperators, VECTOR_BACKEND_CONTRACT_VERSION, type BackendCapabilities, type BackendDescription, type BackendCountParams, type BackendDeleteParams, type BackendGetParams, type BackendQueryParams, type BackendScanParams, type CollectionInfo, type CollectionSpec, type ListTenantKeysParams, type Location, type Metric, type PartitionInfo, type ScanPage, type ScopedParams, type ScopeStats, type ScoredRecord, type StoredRecord, type VectorBackend } from '@tenantvec/core/backend';
import { collectionMetadataKeys, createCollectionBody, metricOfDistance, partitionLabel, payloadIndexesFor } from './collection-setup.js';
import { scopedFilter } from './filter-to-qdrant.js';
import { pointIdOf } from './point-ids.js';
import { classifyQdrantError, httpStatusOf, isMissingLocation, qdrantMessageOf, toBackendError } from './qdrant-errors.js';
import { describeQdrant, parseQdrantSettings, type QdrantBackendSettings } from './qdrant-settings.js';
import { fromPoint, payloadKeys, toPoint } from './record-payload.js';
import { withRetries } from './retry.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CollectionFacts {
  metric: Metric;
  dimension: number;
}

/**
 * Qdrant through the official REST client. See the package README for how each strategy maps
 * onto Qdrant: payload partitioning with `is_tenant` indexes, custom sharding with one shard key
 * per tenant, one collection per tenant, and exact source-prefix matching on an ancestors array.
 */
export class QdrantBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'qdrant';
  readonly capabilities: BackendCapabilities;
  readonly client: QdrantClient;
  private readonly settings: QdrantBackendSettings;
  /** Metric and dimension per collection: they never change once a collection exists. */
  private readonly facts = new Map<string, Promise<CollectionFacts | undefined>>();
  private warnedOfCollections = false;

  constructor(settings: QdrantBackendSettings = {}) {
    this.settings = parseQdrantSettings(settings);
    this.client = settings.client ?? new QdrantClient({
      url: settings.url ?? process.env.QDRANT_URL ?? 'http://localhost:6333',
      ...(settings.apiKey ?? process.env.QDRANT_API_KEY ? { apiKey: settings.apiKey ?? process.env.QDRANT_API_KEY } : {}),
      timeout: settings.timeoutMs ?? 30_000,
      checkCompatibility: settings.checkCompatibility ?? true,
    });
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
    };
  }

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    try {
      const body = createCollectionBody(collection, this.settings.perTenantGraphs === true);
      await this.call('create collection', () => this.client.createCollection(collection.name, body));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      this.facts.delete(collection.name);
      const facts = await this.collectionFacts(collection.name);
      if (facts === undefined || facts.dimension !== collection.dimension || facts.metric !== collection.metric) {
        throw new BackendError(`Collection ${collection.name} exists with another dimension or metric.`);
      }
    }
    if (collection.tenant !== undefined) await this.warnOnCollectionCount().catch(() => undefined);
    // Indexes are created after the collection, and again on every ensure: creating an existing
    // index is a no-op in Qdrant, and this repairs a collection whose first ensure failed midway.
    for (const [field_name, field_schema] of payloadIndexesFor(collection)) {
      await this.call('create payload index', () => this.client.createPayloadIndex(collection.name, { wait: true, field_name, field_schema }));
    }
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    this.facts.delete(collection);
    await this.ignoringMissing('delete collection', () => this.client.deleteCollection(collection), undefined);
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    const { collections } = await this.call('list collections', () => this.client.getCollections());
    const names = collections.map(({ name }) => name).filter((name) => name.startsWith(prefix)).sort();
    const infos = await Promise.all(names.map(async (name) => {
      const info = await this.ignoringMissing('get collection', () => this.client.getCollection(name), undefined);
      if (info === undefined) return undefined;
      const tenant = info.config.metadata?.[collectionMetadataKeys.tenant];
      return typeof tenant === 'string' ? { name, tenant } : { name };
    }));
    return infos.filter((info): info is CollectionInfo => info !== undefined);
  }

  async ensurePartition({ collection, partition, tenant }: { collection: string; partition: string; tenant: string }): Promise<void> {
    try {
      await this.call('create shard key', () => this.client.createShardKey(collection, { shard_key: partition }));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    await this.call('label shard key', () => this.client.updateCollection(collection, { metadata: { [partitionLabel(partition)]: tenant } }));
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    await this.ignoringMissing('delete shard key', () => this.client.deleteShardKey(collection, { shard_key: partition }), undefined);
    await this.ignoringMissing('unlabel shard key', () => this.client.updateCollection(collection, { metadata: { [partitionLabel(partition)]: null } }), undefined);
  }

  async listPartitions({ collection }: { collection: string }): Promise<PartitionInfo[]> {
    const info = await this.ignoringMissing('get collection', () => this.client.getCollection(collection), undefined);
    if (info === undefined || info.config.params.sharding_method !== 'custom') return [];
    const { shard_keys } = await this.call('list shard keys', () => this.client.listShardKeys(collection));
    const labels = info.config.metadata ?? {};
    const partitions: PartitionInfo[] = [];
    for (const { key } of shard_keys ?? []) {
      const tenant = labels[partitionLabel(String(key))];
      // A shard key without a label was not made by ensurePartition (or its labelling failed).
      if (typeof tenant === 'string') partitions.push({ name: String(key), tenant });
    }
    return partitions;
  }

  async upsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    const { maxBatchSize } = this.capabilities;
    if (records.length > maxBatchSize) throw new BackendError(`More than ${maxBatchSize} records in one request.`);
    const facts = await this.collectionFacts(location.collection);
    if (facts === undefined) throw new BackendError('The location to write to does not exist.');
    if (records.some((record) => record.vector.length !== facts.dimension)) throw new BackendError('A vector has the wrong dimension.');
    const writtenAt = Date.now();
    const points = records.map((record) => toPoint(record, pointIdOf(record.id, location.partition), facts.metric, writtenAt));
    const bytes = Buffer.byteLength(JSON.stringify(points), 'utf8');
    const limit = this.settings.maxRequestBytes ?? 32 * 1024 * 1024;
    if (bytes > limit) {
      throw new BackendError(`The batch is ${bytes} bytes as JSON, over Qdrant's request limit of ${limit}; lower maxBatchSize.`);
    }
    await this.call('upsert', () => this.client.upsert(location.collection, { wait: true, points, ...shardKey(location) }));
  }

  async query(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const facts = await this.collectionFacts(params.location.collection);
    if (facts === undefined) return [];
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.ignoringMissing('query', () => this.client.query(params.location.collection, {
      query: [...params.vector],
      limit: params.topK,
      // The vector as written rides in the payload of Cosine collections: fetch it only when asked.
      with_payload: params.includeVectors === true ? true : { exclude: [payloadKeys.vectorAsWritten] },
      with_vector: params.includeVectors === true && facts.metric !== 'cosine',
      ...(filter === undefined ? {} : { filter }),
      ...(this.settings.exactSearch === true ? { params: { exact: true } } : {}),
      ...shardKey(params.location),
    }), undefined);
    const hits: ScoredRecord[] = [];
    for (const point of result?.points ?? []) {
      const record = fromPoint(point);
      if (record === undefined) continue;
      const { vector, ...rest } = record;
      // Qdrant answers Euclid with the distance; core's scores are similarities.
      const score = facts.metric === 'euclidean' ? 1 / (1 + point.score) : point.score;
      hits.push(params.includeVectors === true ? { ...rest, vector, score } : { ...rest, score });
    }
    return hits;
  }

  async get({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    const facts = await this.collectionFacts(location.collection);
    if (facts === undefined) return [];
    const with_vector = facts.metric !== 'cosine';
    const pointIds = ids.map((id) => pointIdOf(id, location.partition));
    const unscoped = scope.tenant === undefined && scope.sourcePrefix === undefined;
    // Retrieve by id is the cheapest read, but it takes no filter: a scoped read goes through
    // scroll so that the walls are applied by Qdrant itself.
    const points = unscoped
      ? await this.ignoringMissing('retrieve', () => this.client.retrieve(location.collection, {
        ids: pointIds, with_payload: true, with_vector, ...shardKey(location),
      }), [])
      : (await this.ignoringMissing('scroll', () => this.client.scroll(location.collection, {
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

  async delete(params: BackendDeleteParams): Promise<void> {
    const { location, scope } = params;
    const extra = params.ids === undefined ? [] : [{ has_id: params.ids.map((id) => pointIdOf(id, location.partition)) }];
    const filter = scopedFilter(scope, params.filter, extra) ?? {};
    await this.ignoringMissing('delete points', () => this.client.delete(location.collection, { wait: true, filter, ...shardKey(location) }), undefined);
  }

  async count(params: BackendCountParams): Promise<number> {
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.ignoringMissing('count', () => this.client.count(params.location.collection, {
      exact: true, ...(filter === undefined ? {} : { filter }), ...shardKey(params.location),
    }), undefined);
    return result?.count ?? 0;
  }

  async scan(params: BackendScanParams): Promise<ScanPage> {
    if (params.after !== undefined && !uuidPattern.test(params.after)) throw new BackendError('The scan cursor is not one this backend made.');
    const facts = await this.collectionFacts(params.location.collection);
    if (facts === undefined) return { records: [] };
    const filter = scopedFilter(params.scope, params.filter);
    const result = await this.ignoringMissing('scroll', () => this.client.scroll(params.location.collection, {
      limit: params.limit,
      with_payload: true,
      with_vector: facts.metric !== 'cosine',
      ...(filter === undefined ? {} : { filter }),
      ...(params.after === undefined ? {} : { offset: params.after }),
      ...shardKey(params.location),
    }), undefined);
    if (result === undefined) return { records: [] };
    const records = result.points.map(fromPoint).filter((record): record is StoredRecord => record !== undefined);
    const next = result.next_page_offset;
    return typeof next === 'string' ? { records, next } : { records };
  }

  async listTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    const field = key === 'tenant' ? payloadKeys.tenant : payloadKeys.sourceRoot;
    const pageSize = this.settings.facetPageSize ?? 10_000;
    const seen: string[] = [];
    // A facet answers the most frequent values first and cannot page by value, so each round
    // excludes what earlier rounds saw until a round comes back short.
    for (;;) {
      const filter: Schemas['Filter'] | undefined = seen.length === 0 ? undefined : { must_not: [{ key: field, match: { any: seen } }] };
      const result = await this.ignoringMissing('facet', () => this.client.facet(collection, {
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
  async scopeStats({ location, scope }: ScopedParams): Promise<ScopeStats> {
    const filter = scopedFilter(scope);
    const result = await this.ignoringMissing('scroll', () => this.client.scroll(location.collection, {
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
    this.facts.clear();
  }

  /** Counts collections after a tenant's collection is created; warns once per backend. */
  private async warnOnCollectionCount(): Promise<void> {
    if (this.warnedOfCollections) return;
    const threshold = this.settings.collectionWarningThreshold ?? 500;
    const { collections } = await this.call('list collections', () => this.client.getCollections());
    if (collections.length > threshold) {
      this.warnedOfCollections = true;
      (this.settings.onWarning ?? console.warn)(
        `tenantvec: this Qdrant server now holds ${collections.length} collections. Qdrant is not designed for thousands of ` +
          'collections (memory grows with each; Qdrant Cloud caps them at 1,000): prefer the metadata-filter or namespace-per-tenant strategy.',
      );
    }
  }

  private collectionFacts(collection: string): Promise<CollectionFacts | undefined> {
    let facts = this.facts.get(collection);
    if (facts === undefined) {
      facts = this.ignoringMissing('get collection', () => this.client.getCollection(collection), undefined).then((info) => {
        const vectors = info?.config.params.vectors as Schemas['VectorParams'] | undefined;
        const metric = vectors === undefined ? undefined : metricOfDistance.get(vectors.distance);
        return vectors === undefined || metric === undefined ? undefined : { metric, dimension: vectors.size };
      });
      // A missing collection may be created any moment: only remember collections that exist.
      facts.then((found) => { if (found === undefined) this.facts.delete(collection); }, () => this.facts.delete(collection));
      this.facts.set(collection, facts);
    }
    return facts;
  }

  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(request, classifyQdrantError, this.settings.retry);
    } catch (error) {
      throw toBackendError(operation, error);
    }
  }

  /** Runs a request whose missing collection or shard key means "nothing there". */
  private async ignoringMissing<T, F>(operation: string, request: () => Promise<T>, fallback: F): Promise<T | F> {
    try {
      return await withRetries(request, classifyQdrantError, this.settings.retry);
    } catch (error) {
      if (isMissingLocation(error)) return fallback;
      throw toBackendError(operation, error);
    }
  }
}

function shardKey(location: Location): { shard_key?: string } {
  return location.partition === undefined ? {} : { shard_key: location.partition };
}

function isAlreadyExists(error: unknown): boolean {
  const cause = BackendError.isInstance(error) ? error.cause : error;
  const status = httpStatusOf(cause);
  const message = qdrantMessageOf(cause);
  return (status === 409 || status === 400) && /already exists/i.test(message);
}

/** A Qdrant backend; see {@link QdrantBackend} and {@link QdrantBackendSettings}. */
export function qdrant(settings: QdrantBackendSettings = {}): QdrantBackend {
  return new QdrantBackend(settings);
}
