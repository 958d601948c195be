import type { Pinecone } from '@pinecone-database/pinecone';
import { BackendError } from '@tenantvec/core';
import { assertSameCollection, type CollectionInfo, type CollectionSpec, type Location, type PartitionInfo } from '@tenantvec/core/backend';
import { everyRecord } from './filter-to-pinecone.js';
import { keywordLengthFromTags, tagsForKeywordLength, tagsForTenant, tenantFromTags } from './index-tags.js';
import { DEFAULT_NAMESPACE, metricOf, PARTITION_CATALOG, pineconeMetric, unitVector, type OpenIndex } from './open-index.js';
import { PAGE, type PineconeRequests } from './pinecone-requests.js';
import type { PineconeBackendSettings } from './pinecone-settings.js';
import { SharedIndexCollections } from './shared-index-collections.js';
import { DEFAULT_KEYWORD_AVERAGE_LENGTH } from './sparse-keywords.js';
import { systemField } from './system-fields.js';

export { COLLECTION_CATALOG, DEFAULT_NAMESPACE, PARTITION_CATALOG, type OpenIndex } from './open-index.js';

/**
 * Which collections and partitions exist, and with what spec: an index per collection (or
 * groups of namespaces in one configured index), tenant namespaces listed in a catalogue
 * namespace with their tenants. Caches what it opened.
 */
export class CollectionCatalogue {
  private readonly indexes = new Map<string, OpenIndex>();
  private readonly knownPartitions = new Set<string>();
  private readonly sharedIndex: SharedIndexCollections | undefined;

  constructor(
    private readonly client: Pinecone,
    private readonly settings: PineconeBackendSettings,
    private readonly requests: PineconeRequests,
    /** `http://` for a local emulator, else `https://`: index hosts come without a scheme. */
    private readonly scheme: string,
    singleIndex: { name?: string; host?: string } | undefined,
  ) {
    this.sharedIndex = singleIndex === undefined ? undefined : new SharedIndexCollections(client, requests, singleIndex, (host) => this.hostUrl(host));
  }

  private call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return this.requests.call(operation, run);
  }

  private waitUntil(what: string, visible: () => Promise<boolean>): Promise<void> {
    return this.requests.waitUntil(what, visible);
  }

  clear(): void {
    this.indexes.clear();
    this.knownPartitions.clear();
  }

  private get keywordAverageLength(): number {
    return this.settings.keywordAverageLength ?? DEFAULT_KEYWORD_AVERAGE_LENGTH;
  }

  private hostUrl(host: string): string {
    return /^https?:\/\//.test(host) ? host : `${this.scheme}${host}`;
  }

  /** The index behind a collection, or undefined when it does not exist. */
  async openIndex(collection: string): Promise<OpenIndex | undefined> {
    const cached = this.indexes.get(collection);
    if (cached !== undefined) return cached;
    if (this.sharedIndex !== undefined) {
      const inShared = await this.sharedIndex.open(collection);
      if (inShared !== undefined) this.indexes.set(collection, inShared);
      return inShared;
    }
    const model = await this.requests.orEmpty('describe index', () => this.client.describeIndex(collection), undefined);
    if (model === undefined) return undefined;
    const keywordAverageLength = keywordLengthFromTags(model.tags);
    const open: OpenIndex = {
      index: this.client.index({ name: collection, host: this.hostUrl(model.host) }),
      dimension: model.dimension ?? 0,
      metric: metricOf(model.metric),
      collection,
      inSharedIndex: false,
      ...(keywordAverageLength === undefined ? {} : { keywordAverageLength }),
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
    if (this.sharedIndex !== undefined) return this.sharedIndex.ensure(collection);
    const existing = await this.openIndex(collection.name);
    if (existing === undefined) {
      await this.checkIndexQuota();
      const tags = tagsOf(collection, this.keywordAverageLength);
      try {
        await this.call('create index', () =>
          this.client.createIndex({
            name: collection.name,
            dimension: collection.dimension,
            metric: pineconeMetric(collection.metric),
            spec: { serverless: { cloud: this.settings.cloud ?? 'aws', region: this.settings.region ?? 'us-east-1' } },
            ...(tags === undefined ? {} : { tags }),
            waitUntilReady: true,
            suppressConflicts: true,
          }),
        );
      } catch (error) {
        throw this.quotaError(error) ?? error;
      }
    }
    const open = existing ?? (await this.requireIndex(collection.name));
    assertSameCollection({ existing: open, wanted: collection });
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
    const open = this.sharedIndex === undefined ? undefined : await this.openIndex(collection);
    this.indexes.delete(collection);
    for (const key of [...this.knownPartitions]) if (key.startsWith(`${collection}/`)) this.knownPartitions.delete(key);
    if (this.sharedIndex !== undefined) return open === undefined ? undefined : this.sharedIndex.drop(open);
    await this.requests.orEmpty('delete index', () => this.client.deleteIndex(collection), undefined);
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    if (this.sharedIndex !== undefined) return this.sharedIndex.list(prefix);
    const { indexes = [] } = await this.call('list indexes', () => this.client.listIndexes());
    return indexes
      .filter((model) => model.name.startsWith(prefix))
      .map((model) => {
        const tenant = tenantFromTags(model.tags);
        return tenant === undefined ? { name: model.name } : { name: model.name, tenant };
      });
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
      await this.call('upsert', () => catalog.upsert({ records: [{ id: partition, values: unitVector(open.dimension), metadata: { [systemField.tenant]: tenant } }] }));
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
    await this.requests.orEmpty('delete namespace', () => open.index.deleteNamespace(this.namespaceIn(open, partition)), undefined);
    await this.requests.deleteIgnoringMissing(() => open.index.namespace(this.catalogOf(open)).deleteOne({ id: partition }));
    await this.waitUntil('tenant namespace removal', async () => (await this.requests.pageOf(open, this.namespaceIn(open, partition), everyRecord, 1)).records.length === 0);
  }

  async listPartitions({ collection }: { collection: string }): Promise<PartitionInfo[]> {
    const open = await this.openIndex(collection);
    if (open === undefined) return [];
    const partitions: PartitionInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.requests.pageOf(open, this.catalogOf(open), { [systemField.tenant]: { $exists: true } }, PAGE, token);
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

/** A new index's tags: its tenant (collection-per-tenant), and on dotproduct the keyword length its sparse values use. */
function tagsOf(collection: CollectionSpec, keywordAverageLength: number): Record<string, string> | undefined {
  const tags = {
    ...(collection.tenant === undefined ? {} : tagsForTenant(collection.tenant)),
    ...(collection.metric === 'dot' ? tagsForKeywordLength(keywordAverageLength) : {}),
  };
  return Object.keys(tags).length === 0 ? undefined : tags;
}
