import { Pinecone, type QueryResponse } from '@pinecone-database/pinecone';
import { BackendError, ConfigurationError, UnsupportedError, type BackendDescription, type VectorBackend } from '@tenantvec/core';
import { bestHits, CatalogueBackend, similarityFromDistance, type ScoreConvention, filterOperators, isInScope, sourceRoot, VECTOR_BACKEND_CONTRACT_VERSION, type BackendCapabilities, type BackendCountParams, type BackendDeleteParams, type BackendGetParams, type BackendKeywordQueryParams, type BackendQueryParams, type BackendScanParams, type ListTenantKeysParams, type Location, type ScanPage, type ScopeConstraint, type ScoredRecord, type StoredRecord } from '@tenantvec/core/backend';
import { CollectionCatalogue, type OpenIndex } from './collection-catalogue.js';
import { everyRecord, scopedFilter } from './filter-to-pinecone.js';
import { describePinecone, resolveSettings, type Consistency, type PineconeBackendSettings } from './pinecone-settings.js';
import { chunks, PAGE, PineconeRequests } from './pinecone-requests.js';
import { pineconeIdOf } from './point-ids.js';
import { fromPineconeRecord, requestBatches, toPineconeRecord } from './record-mapping.js';
import { honouringRetryAfter } from './retry-after-fetch.js';
import { DEFAULT_KEYWORD_AVERAGE_LENGTH, querySparseVector, sparseKeywordCapability, sparseValuesOf } from './sparse-keywords.js';
import { systemField } from './system-fields.js';
import { nextWriteMark, showsWrite } from './write-marks.js';

export { COLLECTION_CATALOG, DEFAULT_NAMESPACE, PARTITION_CATALOG } from './open-index.js';

/** Pinecone answers cosine and dot with the similarity, euclidean with the squared distance. */
const scoreConvention: ScoreConvention = { cosine: 'similarity', dot: 'similarity', euclidean: 'squared-distance' };

/**
 * The tenantvec backend for Pinecone serverless, driven only through the official client.
 * A collection is an index; a partition is a namespace of it; shared collections use the
 * default namespace with a tenant field and source ancestors on every vector. Keyword search
 * goes through sparse values on every record with text (`sparse-keywords.ts`).
 */
export class PineconeBackend extends CatalogueBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'pinecone';
  readonly capabilities: BackendCapabilities;
  /** The native client, for what tenantvec does not wrap: the one handed in, or the one built from `apiKey`. */
  readonly client: Pinecone;
  private readonly requests: PineconeRequests;
  protected readonly catalogue: CollectionCatalogue;
  private readonly consistency: Consistency;
  readonly describe: () => BackendDescription;
  private readonly maxRequestBytes: number;
  private readonly keywordAverageLength: number;

  constructor(settings: PineconeBackendSettings = {}) {
    super();
    settings = resolveSettings(settings);
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
    const singleIndex = settings.indexName === undefined && settings.indexHost === undefined
      ? undefined
      : { ...(settings.indexName === undefined ? {} : { name: settings.indexName }), ...(settings.indexHost === undefined ? {} : { host: settings.indexHost }) };
    const controller = this.client.getConfig().controllerHostUrl ?? '';
    this.consistency = settings.consistency ?? 'read-your-writes';
    this.requests = new PineconeRequests(settings.retry ?? {}, this.consistency, settings.freshnessTimeoutMs ?? 15_000);
    const description = describePinecone(settings, controller);
    this.describe = () => ({ ...description });
    this.catalogue = new CollectionCatalogue(this.client, settings, this.requests, controller.startsWith('http://') ? 'http://' : 'https://', singleIndex);
    this.maxRequestBytes = settings.maxRequestBytes ?? 2_000_000;
    this.keywordAverageLength = settings.keywordAverageLength ?? DEFAULT_KEYWORD_AVERAGE_LENGTH;
    const maxBatchSize = settings.maxBatchSize ?? 1000;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > 1000) {
      throw new ConfigurationError('maxBatchSize must be an integer from 1 to 1000 (Pinecone upserts at most 1,000 records per request).');
    }
    this.capabilities = {
      // In one configured index, collections are namespace groups: collection-per-tenant needs indexes.
      collections: singleIndex === undefined,
      partitions: true,
      maxBatchSize,
      // Pinecone allows topK up to 10,000 but caps a result at 4 MB; tenantvec always asks for
      // metadata (its own fields and the text), so 1,000 keeps ordinary records well inside it.
      maxTopK: 1000,
      filterOperators,
      // Index names: lowercase letters, digits and '-', at most 45 characters.
      collectionNames: { maxLength: 45, letterCase: 'lower', separator: '-' },
      partitionNames: { maxLength: 128, letterCase: 'lower', separator: '-' },
      readYourWrites: this.consistency === 'read-your-writes',
      keyword: sparseKeywordCapability(this.keywordAverageLength),
    };
  }

  async rawUpsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    if (records.length > this.capabilities.maxBatchSize) {
      throw new BackendError(`More than ${this.capabilities.maxBatchSize} records in one request.`);
    }
    const open = await this.catalogue.requireIndex(location.collection);
    if (open.metric === 'dot') this.assertKeywordLength(open);
    // Every vector is built before the first write, so a record Pinecone would refuse (its
    // metadata too large, its text past 1,000 sparse values) fails the batch with nothing written.
    // Sparse values only where they can be searched: a cosine or euclidean index never can, and
    // its long texts must not be refused for a cap that serves nothing.
    const mark = this.consistency === 'read-your-writes' ? nextWriteMark() : undefined;
    const vectors = records.map((record) => {
      const vector = toPineconeRecord(record, mark);
      const sparseValues = open.metric === 'dot' ? sparseValuesOf(record, this.keywordAverageLength) : undefined;
      return sparseValues === undefined ? vector : { ...vector, sparseValues };
    });
    if (records.some((record) => record.vector.length !== open.dimension)) throw new BackendError('A vector has the wrong dimension.');
    if (location.partition !== undefined) await this.catalogue.requirePartition(open, location);
    const target = open.index.namespace(this.catalogue.namespaceIn(open, location.partition));
    // The sparse values are part of each vector's measured size, so requests stay under the cap with them.
    for (const request of requestBatches(vectors, this.maxRequestBytes)) {
      await this.requests.call('upsert', () => target.upsert({ records: request }));
    }
    if (mark === undefined) return;
    await this.requests.waitUntil('written records', async () => {
      const seen = await this.requests.fetchVectors(open, this.catalogue.namespaceIn(open, location.partition), vectors.map((vector) => vector.id));
      return vectors.every((vector) => showsWrite(seen.get(vector.id)?.metadata?.[systemField.writeMark], mark));
    });
  }

  async rawQuery(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const open = await this.catalogue.openIndex(params.location.collection);
    if (open === undefined) return [];
    const hits = await this.queryIndex({ open, params, operation: 'query', vector: [...params.vector] });
    return bestHits(hits.map(({ hit, score }) => ({ ...hit, score: similarityFromDistance({ metric: open.metric, value: score, convention: scoreConvention }) })), params.topK);
  }

  /**
   * Pinecone's documented pure-keyword query on a hybrid index: the sparse vector with a dense
   * vector of zeros (hybrid weighting with alpha 0, docs.pinecone.io guides/search/hybrid-search/single-index),
   * so the score is the sparse dot product alone, in the same namespace and behind the same walls
   * as a dense query. Matches that share no term with the query score 0 and are dropped: they can
   * only come after every positive one, so the topK asked for still holds every match that counts.
   */
  async rawKeywordQuery(params: BackendKeywordQueryParams): Promise<ScoredRecord[]> {
    const sparseVector = querySparseVector(params.terms);
    const open = await this.catalogue.openIndex(params.location.collection);
    if (open === undefined) return [];
    if (open.metric !== 'dot') {
      // Core refuses other metrics first; an index made by hand with another metric ends up here.
      throw new UnsupportedError(`Pinecone searches sparse values only in dotproduct indexes; the index of this collection uses ${open.metric}, so keyword and hybrid queries cannot run on it.`);
    }
    this.assertKeywordLength(open);
    const hits = await this.queryIndex({ open, params, operation: 'keyword query', vector: new Array<number>(open.dimension).fill(0), sparseVector });
    return bestHits(hits.filter(({ score }) => score > 0).map(({ hit, score }) => ({ ...hit, score })), params.topK);
  }

  /** Refuses an index whose sparse values were written under another keywordAverageLength: their scores would not compare. */
  private assertKeywordLength(open: OpenIndex): void {
    if (open.keywordAverageLength === undefined || open.keywordAverageLength === this.keywordAverageLength) return;
    throw new ConfigurationError(
      `Collection ${open.collection}'s sparse values were written with keywordAverageLength ${open.keywordAverageLength}, and this backend is set to ${this.keywordAverageLength}: `
      + 'records written under the two would be normalised differently and their keyword scores would not compare. Set keywordAverageLength back, or copy the records into a new store.',
    );
  }

  /** One query of the location's namespace behind the scope's walls: the matches' records with Pinecone's raw score. */
  private async queryIndex(request: {
    open: OpenIndex;
    params: BackendQueryParams | BackendKeywordQueryParams;
    operation: string;
    vector: number[];
    sparseVector?: ReturnType<typeof querySparseVector>;
  }) {
    const { open, params } = request;
    const filter = scopedFilter(params.scope, params.filter);
    const target = open.index.namespace(this.catalogue.namespaceIn(open, params.location.partition));
    const response = await this.requests.orEmpty(request.operation, () => target.query({
      vector: request.vector,
      ...(request.sparseVector === undefined ? {} : { sparseVector: request.sparseVector }),
      topK: params.topK,
      includeMetadata: true,
      includeValues: params.includeVectors === true,
      ...(filter === undefined ? {} : { filter }),
    }), undefined);
    return this.hitsOf({ response, scope: params.scope, includeVectors: params.includeVectors === true });
  }

  /** The records behind a query's matches, with Pinecone's raw score; sparse values stay internal. */
  private hitsOf(params: { response: QueryResponse | undefined; scope: ScopeConstraint; includeVectors: boolean }) {
    const hits: { hit: Omit<ScoredRecord, 'score'>; score: number }[] = [];
    for (const match of params.response?.matches ?? []) {
      const record = fromPineconeRecord(match);
      // The walls were applied by Pinecone; checking again costs nothing and catches a bad translation.
      if (record === undefined || !isInScope(record, params.scope)) continue;
      const { vector, ...rest } = record;
      hits.push({ hit: params.includeVectors ? { ...rest, vector } : rest, score: match.score ?? 0 });
    }
    return hits;
  }

  /**
   * Fetch by id has no filter, so the scope is checked on what comes back, with core's own rule;
   * a record outside it is dropped before it leaves this method.
   */
  async rawGet({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    const open = await this.catalogue.openIndex(location.collection);
    if (open === undefined) return [];
    const found = await this.requests.fetchVectors(open, this.catalogue.namespaceIn(open, location.partition), ids.map((id) => pineconeIdOf(id).id));
    const records: StoredRecord[] = [];
    for (const id of ids) {
      const vector = found.get(pineconeIdOf(id).id);
      const record = vector === undefined ? undefined : fromPineconeRecord(vector);
      if (record !== undefined && isInScope(record, scope)) records.push(record);
    }
    return records;
  }

  async rawDelete(params: BackendDeleteParams): Promise<void> {
    const open = await this.catalogue.openIndex(params.location.collection);
    if (open === undefined) return;
    const namespace = this.catalogue.namespaceIn(open, params.location.partition);
    const target = open.index.namespace(namespace);
    if (params.ids !== undefined) {
      // Only ids inside the scope go: in a shared namespace another folder's record may share an id.
      const unscoped = params.scope.tenant === undefined && params.scope.sourcePrefix === undefined;
      const doomed = unscoped
        ? params.ids.map((id) => pineconeIdOf(id).id)
        : (await this.rawGet({ location: params.location, scope: params.scope, ids: params.ids })).map((record) => pineconeIdOf(record.id).id);
      if (doomed.length === 0) return;
      for (const chunk of chunks(doomed, 1000)) await this.requests.deleteIgnoringMissing(() => target.deleteMany({ ids: chunk }));
      await this.requests.waitUntil('deletion', async () => (await this.requests.fetchVectors(open, namespace, doomed)).size === 0);
      return;
    }
    const filter = scopedFilter(params.scope, params.filter);
    if (filter === undefined) await this.requests.deleteIgnoringMissing(() => target.deleteAll());
    else await this.requests.deleteIgnoringMissing(() => target.deleteMany({ filter }));
    await this.requests.waitUntil('deletion', async () => (await this.requests.pageOf(open, namespace, filter ?? everyRecord, 1)).records.length === 0);
  }

  /**
   * Pinecone serverless has no count by filter: this pages through fetch-by-metadata, which
   * costs read units in proportion to the records in scope.
   */
  async rawCount(params: BackendCountParams): Promise<number> {
    const open = await this.catalogue.openIndex(params.location.collection);
    if (open === undefined) return 0;
    const filter = scopedFilter(params.scope, params.filter) ?? everyRecord;
    let total = 0;
    let token: string | undefined;
    do {
      const page = await this.requests.pageOf(open, this.catalogue.namespaceIn(open, params.location.partition), filter, PAGE, token);
      total += page.records.map(fromPineconeRecord).filter((record) => record !== undefined && isInScope(record, params.scope)).length;
      token = page.next;
    } while (token !== undefined);
    return total;
  }

  /** Pages of fetch-by-metadata; `next` is Pinecone's own pagination token. */
  async rawScan(params: BackendScanParams): Promise<ScanPage> {
    const open = await this.catalogue.openIndex(params.location.collection);
    if (open === undefined) return { records: [] };
    const filter = scopedFilter(params.scope, params.filter) ?? everyRecord;
    const page = await this.requests.pageOf(open, this.catalogue.namespaceIn(open, params.location.partition), filter, params.limit, params.after);
    const records = page.records
      .map(fromPineconeRecord)
      .filter((record): record is StoredRecord => record !== undefined && isInScope(record, params.scope));
    return page.next === undefined ? { records } : { records, next: page.next };
  }

  /**
   * Reads the tenant field (or source root) of every record in the shared namespace: Pinecone has
   * no distinct-values query, so this costs a full pass over the namespace.
   */
  async rawListTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    const open = await this.catalogue.openIndex(collection);
    if (open === undefined) return [];
    const field = key === 'tenant' ? systemField.tenant : systemField.source;
    const keys = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.requests.pageOf(open, this.catalogue.namespaceIn(open), { [field]: { $exists: true } }, PAGE, token);
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
    this.catalogue.clear();
  }
}

/** The Pinecone backend; see {@link PineconeBackend} and the package README for the mappings. */
export function pinecone(settings: PineconeBackendSettings = {}): PineconeBackend {
  return new PineconeBackend(settings);
}
