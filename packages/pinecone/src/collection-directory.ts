import type { Index, Pinecone } from '@pinecone-database/pinecone';
import { BackendError, type CollectionInfo, type CollectionSpec, type Location, type Metric, type PartitionInfo } from '@tenantvec/core/backend';
import { everyRecord, type PineconeFilter } from './filter-to-pinecone.js';
import { tagsForTenant, tenantFromTags } from './index-tags.js';
import type { PineconeBackendSettings } from './pinecone-settings.js';
import { isNotFound, PAGE, type PineconeRequests } from './pinecone-requests.js';
import { systemField } from './system-fields.js';

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

/** A collection opened for requests: its index, and where in it the collection lives. */
export interface OpenIndex {
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

/**
 * Where collections and partitions live: an index per collection (or groups of namespaces in
 * one configured index), tenant namespaces listed in a catalog namespace. Caches what it opened.
 */
export class CollectionDirectory {
  private readonly indexes = new Map<string, OpenIndex>();
  private readonly knownPartitions = new Set<string>();
  private sharedIndex: Promise<Omit<OpenIndex, 'collection' | 'inSharedIndex'>> | undefined;

  constructor(
    private readonly client: Pinecone,
    private readonly settings: PineconeBackendSettings,
    private readonly requests: PineconeRequests,
    /** `http://` for a local emulator, else `https://`: index hosts come without a scheme. */
    private readonly scheme: string,
    private readonly singleIndex: { name?: string; host?: string } | undefined,
  ) {}

  private call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return this.requests.call(operation, run);
  }

  private waitUntil(what: string, visible: () => Promise<boolean>): Promise<void> {
    return this.requests.waitUntil(what, visible);
  }

  private pageOf(open: { index: Index }, namespace: string, filter: PineconeFilter, limit: number, token?: string) {
    return this.requests.pageOf(open, namespace, filter, limit, token);
  }

  private deleteIgnoringMissing(run: () => Promise<void>): Promise<void> {
    return this.requests.deleteIgnoringMissing(run);
  }

  clear(): void {
    this.indexes.clear();
    this.knownPartitions.clear();
  }

  private hostUrl(host: string): string {
    return /^https?:\/\//.test(host) ? host : `${this.scheme}${host}`;
  }

  /** The index behind a collection, or undefined when it does not exist. */
  async openIndex(collection: string): Promise<OpenIndex | undefined> {
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

  async requireIndex(collection: string): Promise<OpenIndex> {
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

  /** The namespace of a location: its partition, or the shared one (named after the collection in one configured index). */
  namespaceIn(open: OpenIndex, partition?: string): string {
    if (!open.inSharedIndex) return partition ?? DEFAULT_NAMESPACE;
    return partition === undefined ? open.collection : `${open.collection}.${partition}`;
  }

  private catalogOf(open: OpenIndex): string {
    return open.inSharedIndex ? `${open.collection}.${PARTITION_CATALOG}` : PARTITION_CATALOG;
  }

  /** Writing to a namespace creates it in Pinecone; tenantvec refuses one never ensured. */
  async requirePartition(open: OpenIndex, location: Location): Promise<void> {
    const key = `${location.collection}/${location.partition}`;
    if (this.knownPartitions.has(key)) return;
    const found = await this.call('fetch', () => open.index.namespace(this.catalogOf(open)).fetch({ ids: [location.partition!] }));
    if (found.records[location.partition!] === undefined) throw new BackendError('The location to write to does not exist.');
    this.knownPartitions.add(key);
  }
}
