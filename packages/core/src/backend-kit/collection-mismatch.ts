import { DimensionMismatchError } from '../errors.js';
import type { Metric } from '../similarity.js';
import type { CollectionSpec } from '../vector-backend.js';

/** What a backend knows of a collection that exists; `dimension` when it keeps one, `partitioned` when it can tell. */
export interface ExistingCollection {
  dimension?: number;
  metric: Metric;
  partitioned?: boolean;
}

/**
 * A collection exists, under the asked name, with another dimension, metric or partitioning: its
 * vectors could not be compared with the store's. The code is `DIMENSION_MISMATCH` on every
 * backend; the message names the collection (the caller's own) and both values.
 */
export class CollectionMismatchError extends DimensionMismatchError {
  readonly collection: string;

  constructor(collection: string, difference: string) {
    super(`Collection ${collection} exists with another dimension or metric: ${difference}.`);
    this.collection = collection;
  }
}

/** Throws `CollectionMismatchError` unless the existing collection is what `wanted` asks for. */
export function assertSameCollection(params: { existing: ExistingCollection; wanted: CollectionSpec }): void {
  const { existing, wanted } = params;
  if (existing.dimension !== undefined && existing.dimension !== wanted.dimension) {
    throw new CollectionMismatchError(wanted.name, `it holds ${existing.dimension}-dimensional vectors, asked for ${wanted.dimension}`);
  }
  if (existing.metric !== wanted.metric) {
    throw new CollectionMismatchError(wanted.name, `its metric is ${existing.metric}, asked for ${wanted.metric}`);
  }
  if (existing.partitioned !== undefined && existing.partitioned !== wanted.partitioned) {
    const partitioning = (partitioned: boolean) => (partitioned ? 'partitioned' : 'unpartitioned');
    throw new CollectionMismatchError(wanted.name, `it is ${partitioning(existing.partitioned)}, asked for ${partitioning(wanted.partitioned)}`);
  }
}
