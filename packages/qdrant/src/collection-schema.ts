import type { Schemas } from '@qdrant/js-client-rest';
import type { CollectionSpec, Metric } from '@tenantvec/core/backend';
import { keywordVectorName } from './keyword-vectors.js';
import { payloadKeys } from './record-payload.js';

export const distances: Record<Metric, Schemas['Distance']> = { cosine: 'Cosine', dot: 'Dot', euclidean: 'Euclid' };
export const metricOfDistance = new Map(Object.entries(distances).map(([metric, distance]) => [distance, metric as Metric]));

/** Keys tenantvec keeps in collection metadata (Qdrant ≥ 1.16 merges metadata updates key by key). */
export const collectionMetadataKeys = { tenant: 'tenantvec_tenant', format: 'tenantvec_format' } as const;

/** The metadata key labelling one shard key with its tenant id; names are hashed and cannot be inverted. */
export const partitionLabel = (partition: string) => `tenantvec_partition:${partition}`;

/** A collection every tenant shares whose tenants are source roots (source-prefix). */
const isSharedByPath = (spec: CollectionSpec) => spec.tenant === undefined && !spec.partitioned && !spec.tenantField;

/** Keyword search's sparse vector: BM25 term weights, which Qdrant's `idf` modifier weights by IDF at query time. */
export const keywordVectorParams: Schemas['SparseVectorParams'] = { modifier: 'idf' };

export function createCollectionBody(spec: CollectionSpec, perTenantGraphs: boolean): Schemas['CreateCollection'] {
  const tenantIndexed = spec.tenantField || isSharedByPath(spec);
  return {
    vectors: { size: spec.dimension, distance: distances[spec.metric] },
    sparse_vectors: { [keywordVectorName]: keywordVectorParams },
    ...(spec.partitioned ? { sharding_method: 'custom' as const } : {}),
    ...(perTenantGraphs && tenantIndexed ? { hnsw_config: { payload_m: 16, m: 0 } } : {}),
    metadata: { [collectionMetadataKeys.format]: 1, ...(spec.tenant === undefined ? {} : { [collectionMetadataKeys.tenant]: spec.tenant }) },
  };
}

/**
 * Payload indexes: `source_ancestors` everywhere (narrowed scopes are exact keyword matches),
 * `written_at` everywhere (Qdrant orders by indexed numbers only; it answers `lastWriteAt`), the
 * tenant field with `is_tenant` where tenants share a collection by field, and `source_root` in
 * shared collections (with `is_tenant` where the path names the tenant) for listing tenants.
 */
export function payloadIndexesFor(spec: CollectionSpec): [string, Schemas['PayloadFieldSchema']][] {
  const indexes: [string, Schemas['PayloadFieldSchema']][] = [[payloadKeys.sourceAncestors, 'keyword'], [payloadKeys.writtenAt, 'integer']];
  if (spec.tenantField) indexes.push([payloadKeys.tenant, { type: 'keyword', is_tenant: true }]);
  if (spec.tenant === undefined && !spec.partitioned) indexes.push([payloadKeys.sourceRoot, { type: 'keyword', is_tenant: !spec.tenantField }]);
  return indexes;
}

/**
 * Whether a collection has what keyword search needs: the `tv_terms` sparse vector with the `idf`
 * modifier. Collections made before keyword search have no sparse vector at all.
 */
export function keywordVectorReady(params: Schemas['CollectionParams']): boolean {
  return params.sparse_vectors?.[keywordVectorName]?.modifier === 'idf';
}
