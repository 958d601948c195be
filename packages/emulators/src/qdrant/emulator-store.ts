import type { z } from 'zod';
import { canonicalId, compareIds, matchesQdrantFilter, valuesAt } from './qdrant-filter.js';
import { excludePaths, includePaths } from './payload-selection.js';
import type * as schemas from './request-schemas.js';
import { namedVectorsOf, type SparseVectorConfig, type StoredSparseVector } from './sparse-vectors.js';

/** An error answered with Qdrant's status code and `{ status: { error } }` body. */
export class QdrantHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Distance = 'Cosine' | 'Euclid' | 'Dot' | 'Manhattan';
type ShardKeySelector = z.infer<typeof schemas.pointsList>['shard_key'];

export interface StoredPoint {
  id: string | number;
  /** The unnamed dense vector (named `""`). */
  vector: number[];
  /** Sparse vectors by name, sorted by index with float32 values, as Qdrant stores them. */
  sparse: Map<string, StoredSparseVector>;
  payload: Record<string, unknown>;
  version: number;
}

export interface EmulatedCollection {
  name: string;
  size: number;
  distance: Distance;
  /** Sparse vectors by name, with their parameters as given (echoed in collection info). */
  sparseVectors: Map<string, SparseVectorConfig>;
  shardingMethod: 'auto' | 'custom';
  hnsw: Record<string, unknown>;
  metadata: Record<string, unknown>;
  indexes: Map<string, unknown>;
  /**
   * Shards by key, typed as given: Qdrant's `ShardKey` is a string or an integer, and `100` and
   * `"100"` are different keys. An auto-sharded collection has the one shard ''.
   */
  shards: Map<string | number, Map<string | number, StoredPoint>>;
}

function normalized(vector: number[]): number[] {
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return length === 0 ? vector : vector.map((value) => value / length);
}

/** Scores as Qdrant returns them: similarities for Cosine and Dot, distances for Euclid and Manhattan. */
export function scoreOf(distance: Distance, stored: number[], query: number[]): number {
  const target = distance === 'Cosine' ? normalized(query) : query;
  let total = 0;
  for (let index = 0; index < stored.length; index += 1) {
    const a = stored[index]!;
    const b = target[index]!;
    total += distance === 'Euclid' ? (a - b) ** 2 : distance === 'Manhattan' ? Math.abs(a - b) : a * b;
  }
  return distance === 'Euclid' ? Math.sqrt(total) : total;
}

export const higherIsBetter = (distance: Distance) => distance === 'Cosine' || distance === 'Dot';

function keysOf(selector: ShardKeySelector): (string | number)[] | undefined {
  if (selector == null) return undefined;
  if (Array.isArray(selector)) return selector;
  if (typeof selector === 'object') return [selector.target];
  return [selector];
}

/** Where a write goes: Qdrant refuses writes to a custom-sharded collection without a shard key. */
export function writeShard(collection: EmulatedCollection, selector: ShardKeySelector): Map<string | number, StoredPoint>[] {
  const keys = keysOf(selector);
  if (keys === undefined) {
    if (collection.shardingMethod === 'custom') throw new QdrantHttpError(400, 'Wrong input: Shard key not specified');
    return [collection.shards.get('')!];
  }
  return keys.map((key) => {
    const shard = collection.shardingMethod === 'custom' ? collection.shards.get(key) : undefined;
    if (shard === undefined) throw new QdrantHttpError(400, `Wrong input: Shard key ${key} not found`);
    return shard;
  });
}

/** Where a read looks: the named shards, or all of them. */
export function readShards(collection: EmulatedCollection, selector: ShardKeySelector): Map<string | number, StoredPoint>[] {
  const keys = keysOf(selector);
  if (keys === undefined) return [...collection.shards.values()];
  return keys.map((key) => {
    const shard = collection.shardingMethod === 'custom' ? collection.shards.get(key) : undefined;
    if (shard === undefined) throw new QdrantHttpError(400, `Bad request: Shard key ${key} not found`);
    return shard;
  });
}

/** Validates an upsert now and returns the write, to apply now or later (`wait=false`). */
export function preparePoints(collection: EmulatedCollection, request: z.infer<typeof schemas.pointsList>, version: number): () => void {
  const [shard] = writeShard(collection, request.shard_key);
  const vectors = request.points.map((point) => namedVectorsOf(collection, point.vector));
  for (const { dense } of vectors) {
    if (dense.length !== collection.size) {
      throw new QdrantHttpError(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${dense.length}`);
    }
  }
  return () => {
    request.points.forEach((point, index) => {
      const { dense, sparse } = vectors[index]!;
      // Qdrant keeps float32 and normalises Cosine vectors on write; an upsert replaces every vector.
      const vector = (collection.distance === 'Cosine' ? normalized(dense) : dense).map(Math.fround);
      const id = canonicalId(point.id);
      shard!.set(id, { id, vector, sparse, payload: structuredClone(point.payload ?? {}), version });
    });
  };
}

export function selectPoints(
  collection: EmulatedCollection,
  selector: ShardKeySelector,
  filter: z.infer<typeof schemas.filter> | null | undefined,
): StoredPoint[] {
  return readShards(collection, selector)
    .flatMap((shard) => [...shard.values()])
    .filter((point) => matchesQdrantFilter(filter, point))
    .sort((left, right) => compareIds(left.id, right.id));
}

type PayloadSelection = boolean | string[] | { include: string[] } | { exclude: string[] } | null | undefined;

export function payloadView(point: StoredPoint, withPayload: PayloadSelection): Record<string, unknown> | null {
  if (withPayload === false || withPayload == null) return null;
  if (withPayload === true) return structuredClone(point.payload);
  if (Array.isArray(withPayload)) return includePaths(point.payload, withPayload);
  return 'exclude' in withPayload ? excludePaths(point.payload, withPayload.exclude) : includePaths(point.payload, withPayload.include);
}

/** Facet counts, most frequent first: Qdrant requires an index on the key. */
export function facetCounts(collection: EmulatedCollection, points: StoredPoint[], key: string, limit: number) {
  if (!collection.indexes.has(key)) {
    throw new QdrantHttpError(400, `Bad request: Index required but not found for "${key}" of one of the following types: [keyword, integer, bool]. Help: Create an index for this key or use a different filter.`);
  }
  const counts = new Map<string | number | boolean, number>();
  for (const point of points) {
    for (const value of new Set(valuesAt(point.payload, key))) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort(([leftValue, leftCount], [rightValue, rightCount]) => rightCount - leftCount || (String(leftValue) < String(rightValue) ? -1 : 1))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}
