import { Pinecone, type Index, type PineconeRecord } from '@pinecone-database/pinecone';
import {
  BackendError,
  backendLimits,
  ConfigurationError,
  filterOperators,
  isInScope,
  sourceRoot,
  VECTOR_BACKEND_CONTRACT_VERSION,
  type BackendCapabilities,
  type BackendCountParams,
  type BackendDeleteParams,
  type BackendGetParams,
  type BackendQueryParams,
  type BackendScanParams,
  type CollectionInfo,
  type CollectionSpec,
  type ListTenantKeysParams,
  type Location,
  type Metric,
  type PartitionInfo,
  type ScanPage,
  type ScoredRecord,
  type StoredRecord,
  type VectorBackend,
} from '@tenantvec/core';
import { everyRecord, scopedFilter, type PineconeFilter } from './filter-to-pinecone.js';
import type { Consistency, PineconeBackendSettings } from './pinecone-settings.js';
import { pineconeIdOf } from './point-ids.js';
import { fromPineconeRecord, requestBytesOf, toPineconeRecord } from './record-mapping.js';
import { honouringRetryAfter, statusOf, withRetries, type RetrySettings } from './retry.js';
import { systemField } from './system-fields.js';
import { tagsForTenant, tenantFromTags } from './index-tags.js';
import { nextWriteMark, showsWrite } from './write-marks.js';

/** Pinecone's name for the namespace a request without one reads and writes. */
export const DEFAULT_NAMESPACE = '__default__';
/**
 * The namespace, inside a partitioned index, that lists its tenant namespaces with their exact
 * tenant ids (namespace names are hashed by the strategy and cannot be inverted). Tenant
 * namespaces are named `t-...`, so they never meet it.
 */
export const PARTITION_CATALOG = '__tenantvec_partitions';
/** With `indexName`/`indexHost`, the namespace that lists the collections kept in the one index. */
export const COLLECTION_CATALOG = '__tenantvec_collections';

const metricNames = { cosine: 'cosine', dot: 'dotproduct', euclidean: 'euclidean' } as const;
/** Ids per fetch: the ids travel in the URL, and Pinecone takes at most 1,000. */
const FETCH_CHUNK = 100;
/** Records per fetch-by-metadata page when counting and listing. */
const PAGE = 1000;

interface OpenIndex {
  index: Index;
  dimension: number;
  metric: Metric;
  /** The collection this handle stands for. */
  collection: string;
  /** The collection lives in the one configured index, as namespaces named after it. */
  inSharedIndex: boolean;
}

const metricOf = (name: string | undefined): Metric =>
  (Object.keys(metricNames) as Metric[]).find((metric) => metricNames[metric] === name) ?? 'cosine';

/** The caps of a Pinecone plan, from core's table of vendor limits. */
function planCaps(plan: NonNullable<PineconeBackendSettings['plan']>): Pick<PineconeBackendSettings, 'maxIndexes' | 'maxNamespaces'> {
  const { ceilings } = backendLimits('pinecone', plan);
  return { maxIndexes: ceilings['collection-per-tenant'].value, maxNamespaces: ceilings['namespace-per-tenant'].value };
}

const settingNames = new Set([
  'client', 'apiKey', 'controllerHostUrl', 'indexName', 'indexHost', 'cloud', 'region', 'plan', 'maxIndexes', 'maxNamespaces',
  'maxBatchSize', 'maxRequestBytes', 'consistency', 'freshnessTimeoutMs', 'retry',
]);

/** Settings can come from a config file: a misspelt key must fail loudly, naming the key only. */
function checkSettings(settings: PineconeBackendSettings): void {
  const unknown = Object.keys(settings).filter((key) => !settingNames.has(key));
  if (unknown.length > 0) throw new ConfigurationError(`Unknown Pinecone setting(s): ${unknown.join(', ')}.`);
  if (settings.consistency !== undefined && !['read-your-writes', 'eventual'].includes(settings.consistency)) {
    throw new ConfigurationError("consistency must be 'read-your-writes' or 'eventual'.");
  }
  if (settings.plan !== undefined && !['starter', 'builder', 'standard', 'enterprise'].includes(settings.plan)) {
    throw new ConfigurationError("plan must be 'starter', 'builder', 'standard' or 'enterprise'.");
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isNotFound(error: unknown): boolean {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return statusOf(cause) === 404;
}

/** Pinecone's score as core's similarity: Pinecone's euclidean score is the squared distance. */
function similarityOf(metric: Metric, score: number): number {
  return metric === 'euclidean' ? 1 / (1 + Math.sqrt(Math.max(0, score))) : score;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * The tenantvec backend for Pinecone serverless, driven only through the official client.
 * A collection is an index; a partition is a namespace of it; shared collections use the
 * default namespace with a tenant field and source ancestors on every vector.
 */
export class PineconeBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'pinecone';
  readonly capabilities: BackendCapabilities;
  private readonly client: Pinecone;
  private readonly scheme: string;
  private readonly retry: RetrySettings;
  private readonly consistency: Consistency;
  private readonly freshnessTimeoutMs: number;
  private readonly maxRequestBytes: number;
  private readonly indexes = new Map<string, OpenIndex>();
  private readonly knownPartitions = new Set<string>();
  private readonly settings: PineconeBackendSettings;
  private readonly singleIndex: { name?: string; host?: string } | undefined;
  private sharedIndex: Promise<Omit<OpenIndex, 'collection' | 'inSharedIndex'>> | undefined;

  constructor(settings: PineconeBackendSettings = {}) {
    checkSettings(settings);
    this.settings = settings.plan === undefined ? settings : { ...planCaps(settings.plan), ...withoutUndefined(settings) };
    if (settings.client !== undefined) {
      this.client = settings.client;
    } else {
      const apiKey = settings.apiKey ?? process.env.PINECONE_API_KEY;
      if (apiKey === undefined || apiKey === '') {
        throw new ConfigurationError('Pinecone needs an API key: pass apiKey or a client, or set PINECONE_API_KEY.');
      }
      const controllerHostUrl = settings.controllerHostUrl ?? process.env.PINECONE_CONTROLLER_HOST;
      this.client = new Pinecone({
        apiKey,
        fetchApi: honouringRetryAfter(globalThis.fetch.bind(globalThis), settings.retry ?? {}),
        ...(controllerHostUrl === undefined ? {} : { controllerHostUrl }),
      });
    }
    if (settings.indexName !== undefined || settings.indexHost !== undefined) {
      this.singleIndex = { ...(settings.indexName === undefined ? {} : { name: settings.indexName }), ...(settings.indexHost === undefined ? {} : { host: settings.indexHost }) };
    }
    const controller = this.client.getConfig().controllerHostUrl ?? '';
    this.scheme = controller.startsWith('http://') ? 'http://' : 'https://';
    this.retry = settings.retry ?? {};
    this.consistency = settings.consistency ?? 'read-your-writes';
    this.freshnessTimeoutMs = settings.freshnessTimeoutMs ?? 15_000;
    this.maxRequestBytes = settings.maxRequestBytes ?? 2_000_000;
    const maxBatchSize = settings.maxBatchSize ?? 1000;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > 1000) {
      throw new ConfigurationError('maxBatchSize must be an integer from 1 to 1000 (Pinecone upserts at most 1,000 records per request).');
    }
    this.capabilities = {
      // In one configured index, collections are namespace groups: collection-per-tenant needs indexes.
      collections: this.singleIndex === undefined,
      partitions: true,
      maxBatchSize,
      // Pinecone caps topK at 1,000 when metadata is returned, which tenantvec always asks for.
      maxTopK: 1000,
      filterOperators,
      // Index names: lowercase letters, digits and '-', at most 45 characters.
      collectionNames: { maxLength: 45, letterCase: 'lower', separator: '-' },
      partitionNames: { maxLength: 128, letterCase: 'lower', separator: '-' },
      readYourWrites: this.consistency === 'read-your-writes',
    };
  }

  private call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return withRetries(operation, this.retry, run);
  }

  // ---- collections: one serverless index each ------------------------------------------------

  private hostUrl(host: string): string {
    return /^https?:\/\//.test(host) ? host : `${this.scheme}${host}`;
  }

  /** The index behind a collection, or undefined when it does not exist. */
  private async openIndex(collection: string): Promise<OpenIndex | undefined> {
    const cached = this.indexes.get(collection);
    if (cached !== undefined) return cached;
    if (this.singleIndex !== undefined) return this.openInSharedIndex(collection);
    let model;
    try {
      model = await this.call('describe index', () => this.client.describeIndex(collection));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const open: OpenIndex = {
      index: this.client.index({ name: collection, host: this.hostUrl(model.host) }),
      dimension: model.dimension ?? 0,
      metric: metricOf(model.metric),
      collection,
      inSharedIndex: false,
    };
    this.indexes.set(collection, open);
    return open;
  }

  private async requireIndex(collection: string): Promise<OpenIndex> {
    const open = await this.openIndex(collection);
    if (open === undefined) throw new BackendError(`Collection ${collection} does not exist.`);
    return open;
  }

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    if (this.singleIndex !== undefined) return this.ensureCollectionInSharedIndex(collection);
    const existing = await this.openIndex(collection.name);
    if (existing === undefined) {
      await this.checkIndexQuota();
      try {
        await this.call('create index', () =>
          this.client.createIndex({
            name: collection.name,
            dimension: collection.dimension,
            metric: metricNames[collection.metric],
            spec: { serverless: { cloud: this.settings.cloud ?? 'aws', region: this.settings.region ?? 'us-east-1' } },
            ...(collection.tenant === undefined ? {} : { tags: tagsForTenant(collection.tenant) }),
            waitUntilReady: true,
            suppressConflicts: true,
          }),
        );
      } catch (error) {
        throw this.quotaError(error) ?? error;
      }
    }
    const open = existing ?? (await this.requireIndex(collection.name));
    if (open.dimension !== collection.dimension || open.metric !== collection.metric) {
      throw new BackendError(`Collection ${collection.name} exists with another dimension or metric.`);
    }
  }

  private async checkIndexQuota(): Promise<void> {
    const limit = this.settings.maxIndexes;
    if (limit === undefined) return;
    const { indexes = [] } = await this.call('list indexes', () => this.client.listIndexes());
    if (indexes.length >= limit) {
      throw new BackendError(
        `The Pinecone project already holds ${indexes.length} indexes, its limit (maxIndexes = ${limit}). ` +
          'collection-per-tenant needs an index per tenant; use namespace-per-tenant for more tenants.',
      );
    }
  }

  /** Pinecone answers 403 with a quota message when the project holds its last allowed index. */
  private quotaError(error: unknown): BackendError | undefined {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    if (!(cause instanceof Error) || !/QUOTA_EXCEEDED|max serverless indexes/i.test(cause.message)) return undefined;
    return new BackendError(
      'The Pinecone project has reached its index limit (403 QUOTA_EXCEEDED). collection-per-tenant needs an index per ' +
        'tenant; use namespace-per-tenant for more tenants, or raise the plan.',
      { cause: error },
    );
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    if (this.singleIndex !== undefined) return this.dropCollectionInSharedIndex(collection);
    this.indexes.delete(collection);
    try {
      await this.call('delete index', () => this.client.deleteIndex(collection));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    for (const key of [...this.knownPartitions]) if (key.startsWith(`${collection}/`)) this.knownPartitions.delete(key);
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    if (this.singleIndex !== undefined) return this.listCollectionsInSharedIndex(prefix);
    const { indexes = [] } = await this.call('list indexes', () => this.client.listIndexes());
    return indexes
      .filter((model) => model.name.startsWith(prefix))
      .map((model) => {
        const tenant = tenantFromTags(model.tags);
        return tenant === undefined ? { name: model.name } : { name: model.name, tenant };
      });
  }

  // ---- one configured index (indexName / indexHost): collections are groups of namespaces ----

  /** The configured index, described once: its host, dimension and metric. */
  private baseSharedIndex(): Promise<Omit<OpenIndex, 'collection' | 'inSharedIndex'>> {
    this.sharedIndex ??= (async () => {
      const { name, host } = this.singleIndex!;
      if (host !== undefined) {
        const index = this.client.index({ host: this.hostUrl(host), ...(name === undefined ? {} : { name }) });
        const stats = await this.call('describe index stats', () => index.describeIndexStats());
        return { index, dimension: stats.dimension ?? 0, metric: metricOf((stats as { metric?: string }).metric) };
      }
      const model = await this.call('describe index', () => this.client.describeIndex(name!));
      return { index: this.client.index({ name: name!, host: this.hostUrl(model.host) }), dimension: model.dimension ?? 0, metric: metricOf(model.metric) };
    })();
    this.sharedIndex.catch(() => (this.sharedIndex = undefined));
    return this.sharedIndex;
  }

  private async openInSharedIndex(collection: string): Promise<OpenIndex | undefined> {
    const base = await this.baseSharedIndex();
    const found = await this.call('fetch', () => base.index.namespace(COLLECTION_CATALOG).fetch({ ids: [collection] }));
    if (found.records[collection] === undefined) return undefined;
    const open: OpenIndex = { ...base, collection, inSharedIndex: true };
    this.indexes.set(collection, open);
    return open;
  }

  private async ensureCollectionInSharedIndex(spec: CollectionSpec): Promise<void> {
    const base = await this.baseSharedIndex();
    if (base.dimension !== spec.dimension || base.metric !== spec.metric) {
      throw new BackendError(
        `The configured Pinecone index has dimension ${base.dimension} and metric ${base.metric}; this store needs ${spec.dimension} and ${spec.metric}.`,
      );
    }
    if ((await this.openInSharedIndex(spec.name)) !== undefined) return;
    const values = Array.from({ length: base.dimension }, (_, index) => (index === 0 ? 1 : 0));
    const metadata = { [systemField.collection]: spec.partitioned ? 'partitioned' : 'shared', ...(spec.tenant === undefined ? {} : { [systemField.tenant]: spec.tenant }) };
    const catalog = base.index.namespace(COLLECTION_CATALOG);
    await this.call('upsert', () => catalog.upsert({ records: [{ id: spec.name, values, metadata }] }));
    await this.waitUntil('new collection', async () => (await this.call('fetch', () => catalog.fetch({ ids: [spec.name] }))).records[spec.name] !== undefined);
  }

  private async dropCollectionInSharedIndex(collection: string): Promise<void> {
    const open = await this.openIndex(collection);
    this.indexes.delete(collection);
    for (const key of [...this.knownPartitions]) if (key.startsWith(`${collection}/`)) this.knownPartitions.delete(key);
    if (open === undefined) return;
    const doomed = [collection];
    let token: string | undefined;
    do {
      const page = await this.call('list namespaces', () =>
        open.index.listNamespaces({ prefix: `${collection}.`, limit: 100, ...(token === undefined ? {} : { paginationToken: token }) }),
      );
      for (const namespace of page.namespaces ?? []) if (namespace.name !== undefined) doomed.push(namespace.name);
      token = page.pagination?.next;
    } while (token !== undefined && token !== '');
    for (const namespace of doomed) {
      try {
        await this.call('delete namespace', () => open.index.deleteNamespace(namespace));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    await this.deleteIgnoringMissing(() => open.index.namespace(COLLECTION_CATALOG).deleteOne({ id: collection }));
    await this.waitUntil('collection removal', async () => {
      const seen = await this.call('fetch', () => open.index.namespace(COLLECTION_CATALOG).fetch({ ids: [collection] }));
      return seen.records[collection] === undefined;
    });
  }

  private async listCollectionsInSharedIndex(prefix: string): Promise<CollectionInfo[]> {
    const base = await this.baseSharedIndex();
    const open: OpenIndex = { ...base, collection: '', inSharedIndex: true };
    const collections: CollectionInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.pageOf(open, COLLECTION_CATALOG, { [systemField.collection]: { $exists: true } }, PAGE, token);
      for (const record of page.records) {
        if (!record.id.startsWith(prefix)) continue;
        const tenant = record.metadata?.[systemField.tenant];
        collections.push(typeof tenant === 'string' ? { name: record.id, tenant } : { name: record.id });
      }
      token = page.next;
    } while (token !== undefined);
    return collections;
  }

  // ---- partitions: namespaces, listed in a catalog namespace ---------------------------------

  async ensurePartition({ collection, partition, tenant }: { collection: string; partition: string; tenant: string }): Promise<void> {
    const open = await this.requireIndex(collection);
    const catalog = open.index.namespace(this.catalogOf(open));
    const found = await this.call('fetch', () => catalog.fetch({ ids: [partition] }));
    if (found.records[partition] === undefined) {
      const limit = this.settings.maxNamespaces;
      if (limit !== undefined && (await this.listPartitions({ collection })).length >= limit) {
        throw new BackendError(`The index of ${collection} already holds ${limit} tenant namespaces, the plan's limit (maxNamespaces).`);
      }
      // A unit vector: Pinecone refuses all-zero dense vectors.
      const values = Array.from({ length: open.dimension }, (_, index) => (index === 0 ? 1 : 0));
      await this.call('upsert', () => catalog.upsert({ records: [{ id: partition, values, metadata: { [systemField.tenant]: tenant } }] }));
      await this.waitUntil('new tenant namespace', async () => {
        const seen = await this.call('fetch', () => catalog.fetch({ ids: [partition] }));
        return seen.records[partition] !== undefined;
      });
    }
    this.knownPartitions.add(`${collection}/${partition}`);
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    const open = await this.openIndex(collection);
    if (open === undefined) return;
    this.knownPartitions.delete(`${collection}/${partition}`);
    try {
      await this.call('delete namespace', () => open.index.deleteNamespace(this.namespaceIn(open, partition)));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.deleteIgnoringMissing(() => open.index.namespace(this.catalogOf(open)).deleteOne({ id: partition }));
    await this.waitUntil('tenant namespace removal', async () => (await this.pageOf(open, this.namespaceIn(open, partition), everyRecord, 1)).records.length === 0);
  }

  async listPartitions({ collection }: { collection: string }): Promise<PartitionInfo[]> {
    const open = await this.openIndex(collection);
    if (open === undefined) return [];
    const partitions: PartitionInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.pageOf(open, this.catalogOf(open), { [systemField.tenant]: { $exists: true } }, PAGE, token);
      for (const record of page.records) {
        const tenant = record.metadata?.[systemField.tenant];
        if (typeof tenant === 'string') partitions.push({ name: record.id, tenant });
      }
      token = page.next;
    } while (token !== undefined);
    return partitions;
  }

  // ---- records -------------------------------------------------------------------------------

  /** The namespace of a location: its partition, or the shared one (named after the collection in one configured index). */
  private namespaceIn(open: OpenIndex, partition?: string): string {
    if (!open.inSharedIndex) return partition ?? DEFAULT_NAMESPACE;
    return partition === undefined ? open.collection : `${open.collection}.${partition}`;
  }

  private catalogOf(open: OpenIndex): string {
    return open.inSharedIndex ? `${open.collection}.${PARTITION_CATALOG}` : PARTITION_CATALOG;
  }

  async upsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    if (records.length > this.capabilities.maxBatchSize) {
      throw new BackendError(`More than ${this.capabilities.maxBatchSize} records in one request.`);
    }
    const open = await this.requireIndex(location.collection);
    if (records.some((record) => record.vector.length !== open.dimension)) throw new BackendError('A vector has the wrong dimension.');
    if (location.partition !== undefined) await this.requirePartition(open, location);
    const mark = this.consistency === 'read-your-writes' ? nextWriteMark() : undefined;
    const vectors = records.map((record) => toPineconeRecord(record, mark));
    const target = open.index.namespace(this.namespaceIn(open, location.partition));
    for (const request of this.requestsOf(vectors)) {
      await this.call('upsert', () => target.upsert({ records: request }));
    }
    if (mark === undefined) return;
    await this.waitUntil('written records', async () => {
      const seen = await this.fetchVectors(open, this.namespaceIn(open, location.partition), vectors.map((vector) => vector.id));
      return vectors.every((vector) => showsWrite(seen.get(vector.id)?.metadata?.[systemField.writeMark], mark));
    });
  }

  /** Splits one batch so no request passes Pinecone's request size. */
  private requestsOf(vectors: PineconeRecord[]): PineconeRecord[][] {
    const requests: PineconeRecord[][] = [];
    let current: PineconeRecord[] = [];
    let bytes = 64;
    for (const vector of vectors) {
      const size = requestBytesOf(vector);
      if (current.length > 0 && bytes + size > this.maxRequestBytes) {
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

  /** Writing to a namespace creates it in Pinecone; tenantvec refuses one never ensured. */
  private async requirePartition(open: OpenIndex, location: Location): Promise<void> {
    const key = `${location.collection}/${location.partition}`;
    if (this.knownPartitions.has(key)) return;
    const found = await this.call('fetch', () => open.index.namespace(this.catalogOf(open)).fetch({ ids: [location.partition!] }));
    if (found.records[location.partition!] === undefined) throw new BackendError('The location to write to does not exist.');
    this.knownPartitions.add(key);
  }

  async query(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const open = await this.openIndex(params.location.collection);
    if (open === undefined) return [];
    const filter = scopedFilter(params.scope, params.filter);
    const target = open.index.namespace(this.namespaceIn(open, params.location.partition));
    let response;
    try {
      response = await this.call('query', () =>
        target.query({
          vector: [...params.vector],
          topK: params.topK,
          includeMetadata: true,
          includeValues: params.includeVectors === true,
          ...(filter === undefined ? {} : { filter }),
        }),
      );
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const hits: ScoredRecord[] = [];
    for (const match of response.matches) {
      const record = fromPineconeRecord(match);
      // The walls were applied by Pinecone; checking again costs nothing and catches a bad translation.
      if (record === undefined || !isInScope(record, params.scope)) continue;
      const { vector, ...rest } = record;
      const score = similarityOf(open.metric, match.score ?? 0);
      hits.push(params.includeVectors === true ? { ...rest, vector, score } : { ...rest, score });
    }
    return hits.sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }

  private async fetchVectors(open: OpenIndex, namespace: string, ids: readonly string[]): Promise<Map<string, PineconeRecord>> {
    const found = new Map<string, PineconeRecord>();
    const target = open.index.namespace(namespace);
    for (const chunk of chunks(ids, FETCH_CHUNK)) {
      try {
        const response = await this.call('fetch', () => target.fetch({ ids: chunk }));
        for (const [id, vector] of Object.entries(response.records)) found.set(id, vector);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return found;
  }

  /**
   * Fetch by id has no filter, so the scope is checked on what comes back, with core's own rule;
   * a record outside it is dropped before it leaves this method.
   */
  async get({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    const open = await this.openIndex(location.collection);
    if (open === undefined) return [];
    const found = await this.fetchVectors(open, this.namespaceIn(open, location.partition), ids.map((id) => pineconeIdOf(id).id));
    const records: StoredRecord[] = [];
    for (const id of ids) {
      const vector = found.get(pineconeIdOf(id).id);
      const record = vector === undefined ? undefined : fromPineconeRecord(vector);
      if (record !== undefined && isInScope(record, scope)) records.push(record);
    }
    return records;
  }

  async delete(params: BackendDeleteParams): Promise<void> {
    const open = await this.openIndex(params.location.collection);
    if (open === undefined) return;
    const namespace = this.namespaceIn(open, params.location.partition);
    const target = open.index.namespace(namespace);
    if (params.ids !== undefined) {
      // Only ids inside the scope go: in a shared namespace another folder's record may share an id.
      const unscoped = params.scope.tenant === undefined && params.scope.sourcePrefix === undefined;
      const doomed = unscoped
        ? params.ids.map((id) => pineconeIdOf(id).id)
        : (await this.get({ location: params.location, scope: params.scope, ids: params.ids })).map((record) => pineconeIdOf(record.id).id);
      if (doomed.length === 0) return;
      for (const chunk of chunks(doomed, 1000)) await this.deleteIgnoringMissing(() => target.deleteMany({ ids: chunk }));
      await this.waitUntil('deletion', async () => (await this.fetchVectors(open, namespace, doomed)).size === 0);
      return;
    }
    const filter = scopedFilter(params.scope, params.filter);
    if (filter === undefined) await this.deleteIgnoringMissing(() => target.deleteAll());
    else await this.deleteIgnoringMissing(() => target.deleteMany({ filter }));
    await this.waitUntil('deletion', async () => (await this.pageOf(open, namespace, filter ?? everyRecord, 1)).records.length === 0);
  }

  /** Pinecone answers 404 for deletes in a namespace that was never written: nothing to delete. */
  private async deleteIgnoringMissing(run: () => Promise<void>): Promise<void> {
    try {
      await this.call('delete', run);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** One page of fetch-by-metadata, ordered by id; a missing namespace reads as empty. */
  private async pageOf(open: OpenIndex, namespace: string, filter: PineconeFilter, limit: number, token?: string) {
    try {
      const response = await this.call('fetch by metadata', () =>
        open.index.namespace(namespace).fetchByMetadata({ filter, limit, ...(token === undefined ? {} : { paginationToken: token }) }),
      );
      const records = Object.values(response.records).sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
      const next = response.pagination?.next;
      return { records, next: next === undefined || next === '' ? undefined : next };
    } catch (error) {
      if (isNotFound(error)) return { records: [] as PineconeRecord[], next: undefined };
      throw error;
    }
  }

  /**
   * Pinecone serverless has no count by filter: this pages through fetch-by-metadata, which
   * costs read units in proportion to the records in scope.
   */
  async count(params: BackendCountParams): Promise<number> {
    const open = await this.openIndex(params.location.collection);
    if (open === undefined) return 0;
    const filter = scopedFilter(params.scope, params.filter) ?? everyRecord;
    let total = 0;
    let token: string | undefined;
    do {
      const page = await this.pageOf(open, this.namespaceIn(open, params.location.partition), filter, PAGE, token);
      total += page.records.map(fromPineconeRecord).filter((record) => record !== undefined && isInScope(record, params.scope)).length;
      token = page.next;
    } while (token !== undefined);
    return total;
  }

  /** Pages of fetch-by-metadata; `next` is Pinecone's own pagination token. */
  async scan(params: BackendScanParams): Promise<ScanPage> {
    const open = await this.openIndex(params.location.collection);
    if (open === undefined) return { records: [] };
    const filter = scopedFilter(params.scope, params.filter) ?? everyRecord;
    const page = await this.pageOf(open, this.namespaceIn(open, params.location.partition), filter, params.limit, params.after);
    const records = page.records
      .map(fromPineconeRecord)
      .filter((record): record is StoredRecord => record !== undefined && isInScope(record, params.scope));
    return page.next === undefined ? { records } : { records, next: page.next };
  }

  /**
   * Reads the tenant field (or source root) of every record in the shared namespace: Pinecone has
   * no distinct-values query, so this costs a full pass over the namespace.
   */
  async listTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    const open = await this.openIndex(collection);
    if (open === undefined) return [];
    const field = key === 'tenant' ? systemField.tenant : systemField.source;
    const keys = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.pageOf(open, this.namespaceIn(open), { [field]: { $exists: true } }, PAGE, token);
      for (const vector of page.records) {
        const value = vector.metadata?.[field];
        const tenantKey = typeof value !== 'string' ? undefined : key === 'tenant' ? value : sourceRoot(value);
        if (tenantKey !== undefined && (after === undefined || tenantKey > after)) keys.add(tenantKey);
      }
      token = page.next;
    } while (token !== undefined);
    return [...keys].sort().slice(0, limit);
  }

  async close(): Promise<void> {
    this.indexes.clear();
    this.knownPartitions.clear();
  }

  /** With read-your-writes, polls until a write shows, with growing pauses, up to the timeout. */
  private async waitUntil(what: string, visible: () => Promise<boolean>): Promise<void> {
    if (this.consistency === 'eventual') return;
    const deadline = Date.now() + this.freshnessTimeoutMs;
    let pause = 20;
    while (!(await visible())) {
      if (Date.now() >= deadline) {
        throw new BackendError(`Pinecone did not show the ${what} within ${this.freshnessTimeoutMs} ms; it may still appear.`, { retryable: true });
      }
      await sleep(pause);
      pause = Math.min(1000, pause * 2);
    }
  }
}

/** The Pinecone backend; see {@link PineconeBackend} and the package README for the mappings. */
export function pinecone(settings: PineconeBackendSettings = {}): PineconeBackend {
  return new PineconeBackend(settings);
}

