/**
 * Collection administration of the Qdrant emulator: create (with sparse vectors, see
 * `sparse-vectors.ts`), update (metadata merged key by key, null removes), describe, payload
 * indexes and shard keys, with Qdrant's errors.
 */
import type { z } from 'zod';
import { QdrantHttpError, type EmulatedCollection } from './emulator-store.js';
import { valuesAt } from './qdrant-filter.js';
import type * as schemas from './request-schemas.js';
import { checkSparseNames } from './sparse-vectors.js';

export function createCollection(collections: Map<string, EmulatedCollection>, name: string, request: z.infer<typeof schemas.createCollection>) {
  if (name.length === 0 || name.length > 255 || /[<>:"/\\|?*\0]/.test(name)) {
    throw new QdrantHttpError(422, `Validation error in path parameters: [name: collection name ${JSON.stringify(name)} is not valid]`);
  }
  const sparseVectors = Object.entries(request.sparse_vectors ?? {});
  checkSparseNames(sparseVectors.map(([vectorName]) => vectorName));
  if (collections.has(name)) throw new QdrantHttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
  const shardingMethod = request.sharding_method ?? 'auto';
  collections.set(name, {
    name,
    size: request.vectors.size,
    distance: request.vectors.distance,
    sparseVectors: new Map(sparseVectors.map(([vectorName, params]) => [vectorName, withoutNulls(params)])),
    shardingMethod,
    hnsw: { m: 16, ef_construct: 100, full_scan_threshold: 10000, ...request.hnsw_config },
    metadata: { ...request.metadata },
    indexes: new Map(),
    shards: new Map(shardingMethod === 'auto' ? [['', new Map()]] : []),
  });
  return true;
}

/** Parameters as Qdrant serializes them back: an absent or null field is skipped (`skip_serializing_if`). */
function withoutNulls<T extends object>(value: T): T {
  const entries = Object.entries(value).filter(([, inner]) => inner != null);
  return Object.fromEntries(entries.map(([key, inner]) => [key, typeof inner === 'object' && !Array.isArray(inner) ? withoutNulls(inner as object) : inner])) as T;
}

export function updateCollection(collection: EmulatedCollection, request: z.infer<typeof schemas.updateCollection>) {
  for (const [key, value] of Object.entries(request.metadata ?? {})) {
    if (value === null) delete collection.metadata[key];
    else collection.metadata[key] = value;
  }
  Object.assign(collection.hnsw, request.hnsw_config ?? {});
  return true;
}

export function collectionInfo(collection: EmulatedCollection) {
  const points = [...collection.shards.values()].reduce((sum, shard) => sum + shard.size, 0);
  return {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: points,
    segments_count: Math.max(1, collection.shards.size),
    config: {
      params: {
        vectors: { size: collection.size, distance: collection.distance },
        // `SparseVectorParams` skip absent fields when serialized: echoed as given.
        ...(collection.sparseVectors.size === 0 ? {} : { sparse_vectors: Object.fromEntries(collection.sparseVectors) }),
        shard_number: 1,
        sharding_method: collection.shardingMethod,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
      },
      hnsw_config: collection.hnsw,
      optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      metadata: structuredClone(collection.metadata),
    },
    payload_schema: Object.fromEntries([...collection.indexes].map(([field, schema]) => [field, payloadIndexInfo(collection, field, schema)])),
  };
}

const indexable: Record<string, (value: unknown) => boolean> = {
  keyword: (value) => typeof value === 'string',
  integer: (value) => Number.isInteger(value),
  float: (value) => typeof value === 'number',
  bool: (value) => typeof value === 'boolean',
  uuid: (value) => typeof value === 'string' && /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(value),
  datetime: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
};

/**
 * `PayloadIndexInfo` as Qdrant answers it (tests/openapi/test_payload_indexing.py,
 * `test_payload_schemas` and `test_boolean_index`): `params` only for an index made with
 * parameters, echoed as given, and `points` counting the points that hold a value of the
 * index's type under the field, not the whole collection.
 */
function payloadIndexInfo(collection: EmulatedCollection, field: string, schema: unknown) {
  const dataType = typeof schema === 'string' ? schema : (schema as { type: string }).type;
  const accepts = indexable[dataType] ?? (() => false);
  let points = 0;
  for (const shard of collection.shards.values()) {
    for (const point of shard.values()) if (valuesAt(point.payload, field).some(accepts)) points += 1;
  }
  return typeof schema === 'string' ? { data_type: dataType, points } : { data_type: dataType, params: schema, points };
}

export function createIndex(collection: EmulatedCollection, request: z.infer<typeof schemas.createFieldIndex>, version: number) {
  if (request.field_schema == null) throw new QdrantHttpError(400, 'Bad request: Field schema is required to create an index');
  collection.indexes.set(request.field_name, request.field_schema);
  return { operation_id: version, status: 'completed' };
}

export function listShardKeys(collection: EmulatedCollection) {
  if (collection.shardingMethod !== 'custom') return { shard_keys: null };
  return { shard_keys: [...collection.shards.keys()].map((key) => ({ key })) };
}

export function createShardKey(collection: EmulatedCollection, request: z.infer<typeof schemas.createShardingKey>) {
  const key = request.shard_key;
  if (collection.shardingMethod !== 'custom') throw new QdrantHttpError(400, `Bad request: Shard Key ${key} cannot be created with Auto sharding method`);
  if (collection.shards.has(key)) throw new QdrantHttpError(400, `Bad request: Shard key ${key} already exists`);
  collection.shards.set(key, new Map());
  return true;
}

export function dropShardKey(collection: EmulatedCollection, request: z.infer<typeof schemas.dropShardingKey>) {
  const key = request.shard_key;
  if (!collection.shards.delete(key) || collection.shardingMethod !== 'custom') throw new QdrantHttpError(400, `Bad request: Shard key ${key} not found`);
  return true;
}
