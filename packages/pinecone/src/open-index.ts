import type { Index } from '@pinecone-database/pinecone';
import type { Metric } from '@tenantvec/core';

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

/** Pinecone's name of a metric. */
export const pineconeMetric = (metric: Metric) => metricNames[metric];

export const metricOf = (name: string | undefined): Metric =>
  (Object.keys(metricNames) as Metric[]).find((metric) => metricNames[metric] === name) ?? 'cosine';

/** A collection opened for requests: its index, and where in it the collection lives. */
export interface OpenIndex {
  index: Index;
  dimension: number;
  metric: Metric;
  /** The collection this handle stands for. */
  collection: string;
  /** The collection lives in the one configured index, as namespaces named after it. */
  inSharedIndex: boolean;
  /** The keywordAverageLength its sparse values were written with, where its tags say (tagsForKeywordLength). */
  keywordAverageLength?: number;
}

/** A unit vector: Pinecone refuses all-zero dense vectors, and catalogue entries need one. */
export const unitVector = (dimension: number) => Array.from({ length: dimension }, (_, index) => (index === 0 ? 1 : 0));
