import type { CollectionInfo, CollectionSpec, PartitionInfo, VectorBackend } from '../vector-backend.js';

/** The part of the contract that says which collections and partitions exist, and makes them. */
export type CollectionCatalogueMethods = Pick<
  VectorBackend,
  'ensureCollection' | 'dropCollection' | 'listCollections' | 'ensurePartition' | 'dropPartition' | 'listPartitions'
>;

/**
 * A base for backends that keep their collections and partitions in a catalogue of their own
 * (`collection-catalogue.ts` by convention): the six catalogue methods of the contract hand over
 * to it, so the backend class holds the data methods only.
 */
export abstract class CatalogueBackend implements CollectionCatalogueMethods {
  protected abstract readonly catalogue: CollectionCatalogueMethods;

  ensureCollection(params: { collection: CollectionSpec }): Promise<void> {
    return this.catalogue.ensureCollection(params);
  }

  dropCollection(params: { collection: string }): Promise<void> {
    return this.catalogue.dropCollection(params);
  }

  listCollections(params: { prefix: string }): Promise<CollectionInfo[]> {
    return this.catalogue.listCollections(params);
  }

  ensurePartition(params: { collection: string; partition: string; tenant: string }): Promise<void> {
    return this.catalogue.ensurePartition(params);
  }

  dropPartition(params: { collection: string; partition: string }): Promise<void> {
    return this.catalogue.dropPartition(params);
  }

  listPartitions(params: { collection: string }): Promise<PartitionInfo[]> {
    return this.catalogue.listPartitions(params);
  }
}
