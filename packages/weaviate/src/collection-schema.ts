import type { Metric } from '@tenantvec/core';
import { type CollectionSpec } from '@tenantvec/core/backend';
import weaviate, { type WeaviateClient } from 'weaviate-client';
import { failureKind } from './weaviate-errors.js';
import { systemProperties, type MetadataKind } from './weaviate-names.js';

/** What the adapter needs to know about one Weaviate collection, read from its schema. */
export interface CollectionFacts {
  multiTenant: boolean;
  metric: Metric;
  dimension?: number;
  tenant?: string;
  properties: Set<string>;
  /** The collection holds `tv_terms` as keyword search needs it (see `keywordIndexReady`). */
  keywordReady: boolean;
}

const distances = { cosine: 'cosine', dot: 'dot', euclidean: 'l2-squared' } as const;
const metricsByDistance: Record<string, Metric> = { cosine: 'cosine', dot: 'dot', 'l2-squared': 'euclidean' };

/** The label in a collection description: `tenantvec {"dimension":8,"metric":"cosine","tenant":"acme"}`. */
export function describe(spec: CollectionSpec): string {
  return `tenantvec ${JSON.stringify({ dimension: spec.dimension, metric: spec.metric, ...(spec.tenant === undefined ? {} : { tenant: spec.tenant }) })}`;
}

export function parseDescription(description: string | undefined): { dimension?: number; metric?: Metric; tenant?: string } {
  if (description?.startsWith('tenantvec ') !== true) return {};
  try {
    return JSON.parse(description.slice('tenantvec '.length)) as { dimension?: number; metric?: Metric; tenant?: string };
  } catch {
    return {};
  }
}

const text = (name: string, filterable: boolean, tokenization: 'field' | 'word' = 'field') => ({
  name, dataType: 'text' as const, tokenization, indexFilterable: filterable, indexSearchable: false,
});
const textList = (name: string) => ({ name, dataType: 'text[]' as const, tokenization: 'field' as const, indexFilterable: true, indexSearchable: false });

/**
 * Keyword search reads `tv_terms`, not `tv_text`: the text as core's analyser (`textTerms`) splits
 * it, joined by spaces. Weaviate's `word` tokenizer splits that back into exactly those terms, so
 * documents and queries (sent as `terms.join(' ')`) agree with core's analyser, where Weaviate's
 * tokenizer on the raw text would not (it applies no NFKC, keeps terms past 64 characters and
 * lowercases without JavaScript's final-sigma rule). `tv_text` keeps the text exactly, unindexed.
 */
export const systemPropertyConfigs = [
  text(systemProperties.id, true),
  text(systemProperties.recordId, false),
  text(systemProperties.text, false),
  { ...text(systemProperties.terms, false, 'word'), indexSearchable: true },
  text(systemProperties.tenant, true),
  text(systemProperties.source, false),
  text(systemProperties.sourceRoot, true),
  textList(systemProperties.sourceAncestors),
  text(systemProperties.metadata, false),
  textList(systemProperties.keys),
];

export function metadataPropertyConfig(name: string, kind: MetadataKind) {
  if (kind === 'text') return text(name, true);
  if (kind === 'list') return textList(name);
  if (kind === 'number') return { name, dataType: 'number' as const, indexFilterable: true, indexRangeFilters: true };
  if (kind === 'integer') return { name, dataType: 'int' as const, indexFilterable: true, indexRangeFilters: true };
  return { name, dataType: 'boolean' as const, indexFilterable: true };
}

/**
 * BM25 as tenantvec defines it (k1 1.2, b 0.75). No stopwords: Weaviate drops a class's stopwords
 * from `word` queries (never from documents), so the default `en` preset would make "the" or
 * "not" unsearchable and score the rest without them, unlike core's analyser and every other
 * backend.
 */
export const keywordIndexConfig = { bm25: { k1: 1.2, b: 0.75 }, stopwordsPreset: 'none' } as const;

/** Whether a collection's schema has what keyword search needs; collections made before it lack `tv_terms`. */
export function keywordIndexReady(config: { properties: readonly { name: string; tokenization: string; indexSearchable: boolean }[]; invertedIndex: { bm25: { k1: number; b: number }; stopwords: { preset: string; additions: string[] } } }): boolean {
  const terms = config.properties.find((property) => property.name === systemProperties.terms);
  const { bm25, stopwords } = config.invertedIndex;
  return terms?.tokenization === 'word' && terms.indexSearchable
    && Math.fround(bm25.k1) === Math.fround(keywordIndexConfig.bm25.k1) && Math.fround(bm25.b) === Math.fround(keywordIndexConfig.bm25.b)
    && stopwords.preset === keywordIndexConfig.stopwordsPreset && stopwords.additions.length === 0;
}

export async function createCollection(client: WeaviateClient, weaviateName: string, spec: CollectionSpec, options: { vectorIndexType: 'hnsw' | 'flat' | 'dynamic'; autoTenantActivation: boolean }): Promise<void> {
  const distanceMetric = distances[spec.metric];
  const vectorIndexConfig = options.vectorIndexType === 'flat'
    ? weaviate.configure.vectorIndex.flat({ distanceMetric })
    : options.vectorIndexType === 'dynamic'
      ? weaviate.configure.vectorIndex.dynamic({ distanceMetric })
      : weaviate.configure.vectorIndex.hnsw({ distanceMetric });
  await client.collections.create({
    name: weaviateName,
    description: describe(spec),
    properties: systemPropertyConfigs,
    invertedIndex: weaviate.configure.invertedIndex({
      bm25k1: keywordIndexConfig.bm25.k1,
      bm25b: keywordIndexConfig.bm25.b,
      stopwordsPreset: keywordIndexConfig.stopwordsPreset,
    }),
    vectorizers: weaviate.configure.vectors.selfProvided({ vectorIndexConfig }),
    ...(spec.partitioned
      ? { multiTenancy: weaviate.configure.multiTenancy({ enabled: true, autoTenantCreation: false, autoTenantActivation: options.autoTenantActivation }) }
      : {}),
  });
}

/** Facts of an existing collection, or undefined when it does not exist. */
export async function readFacts(client: WeaviateClient, weaviateName: string): Promise<CollectionFacts | undefined> {
  try {
    const config = await client.collections.use(weaviateName).config.get();
    const label = parseDescription(config.description);
    const vector = Object.values(config.vectorizers ?? {})[0] as { indexConfig?: { distance?: string } } | undefined;
    const metric = label.metric ?? metricsByDistance[vector?.indexConfig?.distance ?? 'cosine'] ?? 'cosine';
    return {
      multiTenant: config.multiTenancy.enabled,
      metric,
      ...(label.dimension === undefined ? {} : { dimension: label.dimension }),
      ...(label.tenant === undefined ? {} : { tenant: label.tenant }),
      properties: new Set(config.properties.map((property) => property.name)),
      keywordReady: keywordIndexReady(config),
    };
  } catch (error) {
    if (failureKind(error) === 'missing-collection') return undefined;
    throw error;
  }
}
