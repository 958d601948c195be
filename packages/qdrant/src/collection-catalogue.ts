import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import type { Metric } from '@tenantvec/core';
import { assertSameCollection, CollectionMismatchError, type CollectionInfo, type CollectionSpec, type PartitionInfo } from '@tenantvec/core/backend';
import { collectionMetadataKeys, createCollectionBody, keywordVectorReady, metricOfDistance, partitionLabel, payloadIndexesFor } from './collection-schema.js';
import { isAlreadyExists } from './qdrant-errors.js';
import type { QdrantRequests } from './qdrant-requests.js';
import type { QdrantOptions } from './qdrant-settings.js';

export interface CollectionFacts {
  metric: Metric;
  dimension: number;
  /** The collection has the `tv_terms` sparse vector (idf modifier) keyword search needs. */
  keywordReady: boolean;
}

/**
 * Which collections and shard keys exist, with what spec and for which tenant: collections carry
 * their tenant in collection metadata, shard keys their tenant in a label beside it. Caches the
 * metric and dimension of each collection, which never change once it exists, and whether it has
 * keyword search's sparse vector (a collection may be dropped and made again with it).
 */
export class CollectionCatalogue {
  private readonly facts = new Map<string, Promise<CollectionFacts | undefined>>();
  private warnedOfCollections = false;

  constructor(
    private readonly client: QdrantClient,
    private readonly settings: QdrantOptions,
    private readonly requests: QdrantRequests,
  ) {}

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    try {
      const body = createCollectionBody(collection, this.settings.perTenantGraphs === true);
      await this.requests.call('create collection', () => this.client.createCollection(collection.name, body));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      this.facts.delete(collection.name);
      const facts = await this.factsOf(collection.name);
      if (facts === undefined) throw new CollectionMismatchError(collection.name, 'it holds no single unnamed vector');
      assertSameCollection({ existing: facts, wanted: collection });
    }
    if (collection.tenant !== undefined) await this.warnOnCollectionCount().catch(() => undefined);
    // Indexes are created after the collection, and again on every ensure: creating an existing
    // index is a no-op in Qdrant, and this repairs a collection whose first ensure failed midway.
    for (const [field_name, field_schema] of payloadIndexesFor(collection)) {
      await this.requests.call('create payload index', () => this.client.createPayloadIndex(collection.name, { wait: true, field_name, field_schema }));
    }
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    this.facts.delete(collection);
    await this.requests.orEmpty('delete collection', () => this.client.deleteCollection(collection), undefined);
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    const { collections } = await this.requests.call('list collections', () => this.client.getCollections());
    const names = collections.map(({ name }) => name).filter((name) => name.startsWith(prefix)).sort();
    const infos = await Promise.all(names.map(async (name) => {
      const info = await this.requests.orEmpty('get collection', () => this.client.getCollection(name), undefined);
      if (info === undefined) return undefined;
      const tenant = info.config.metadata?.[collectionMetadataKeys.tenant];
      return typeof tenant === 'string' ? { name, tenant } : { name };
    }));
    return infos.filter((info): info is CollectionInfo => info !== undefined);
  }

  async ensurePartition({ collection, partition, tenant }: { collection: string; partition: string; tenant: string }): Promise<void> {
    try {
      await this.requests.call('create shard key', () => this.client.createShardKey(collection, { shard_key: partition }));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    await this.requests.call('label shard key', () => this.client.updateCollection(collection, { metadata: { [partitionLabel(partition)]: tenant } }));
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    await this.requests.orEmpty('delete shard key', () => this.client.deleteShardKey(collection, { shard_key: partition }), undefined);
    await this.requests.orEmpty('unlabel shard key', () => this.client.updateCollection(collection, { metadata: { [partitionLabel(partition)]: null } }), undefined);
  }

  async listPartitions({ collection }: { collection: string }): Promise<PartitionInfo[]> {
    const info = await this.requests.orEmpty('get collection', () => this.client.getCollection(collection), undefined);
    if (info === undefined || info.config.params.sharding_method !== 'custom') return [];
    const { shard_keys } = await this.requests.call('list shard keys', () => this.client.listShardKeys(collection));
    const labels = info.config.metadata ?? {};
    const partitions: PartitionInfo[] = [];
    for (const { key } of shard_keys ?? []) {
      const tenant = labels[partitionLabel(String(key))];
      // A shard key without a label was not made by ensurePartition (or its labelling failed).
      if (typeof tenant === 'string') partitions.push({ name: String(key), tenant });
    }
    return partitions;
  }

  /** Metric and dimension of a collection, or undefined when it does not exist. */
  factsOf(collection: string): Promise<CollectionFacts | undefined> {
    let facts = this.facts.get(collection);
    if (facts === undefined) {
      facts = this.requests.orEmpty('get collection', () => this.client.getCollection(collection), undefined).then((info) => {
        if (info === undefined) return undefined;
        const vectors = info.config.params.vectors as Schemas['VectorParams'] | undefined;
        const metric = vectors === undefined ? undefined : metricOfDistance.get(vectors.distance);
        return vectors === undefined || metric === undefined
          ? undefined
          : { metric, dimension: vectors.size, keywordReady: keywordVectorReady(info.config.params) };
      });
      // A missing collection may be created any moment: only remember collections that exist.
      facts.then((found) => { if (found === undefined) this.facts.delete(collection); }, () => this.facts.delete(collection));
      this.facts.set(collection, facts);
    }
    return facts;
  }

  /** The facts read again, for when a cached answer may be out of date (keyword search on an old collection). */
  refreshFacts(collection: string): Promise<CollectionFacts | undefined> {
    this.facts.delete(collection);
    return this.factsOf(collection);
  }

  clear(): void {
    this.facts.clear();
  }

  /** Counts collections after a tenant's collection is created; warns once per backend. */
  private async warnOnCollectionCount(): Promise<void> {
    if (this.warnedOfCollections) return;
    const threshold = this.settings.collectionWarningThreshold ?? 500;
    const { collections } = await this.requests.call('list collections', () => this.client.getCollections());
    if (collections.length > threshold) {
      this.warnedOfCollections = true;
      (this.settings.onWarning ?? console.warn)(
        `tenantvec: this Qdrant server now holds ${collections.length} collections. Qdrant is not designed for thousands of ` +
          'collections (memory grows with each; Qdrant Cloud caps them at 1,000): prefer the metadata-filter or namespace-per-tenant strategy.',
      );
    }
  }
}
