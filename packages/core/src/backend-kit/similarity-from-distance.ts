import type { Metric } from '../similarity.js';

/**
 * What a vendor answers for a hit, per metric. Core's scores are similarities, higher better
 * (see `Metric`); a vendor may answer the similarity itself or a distance:
 * - cosine `distance` is `1 - cosine similarity` (pgvector `<=>`, Weaviate `cosine`);
 * - dot `distance` is the negated inner product (pgvector `<#>`, Weaviate `dot`);
 * - euclidean `distance` is the L2 distance (pgvector `<->`, Qdrant `Euclid`), and
 *   `squared-distance` its square (Weaviate `l2-squared`, Pinecone `euclidean`).
 */
export interface ScoreConvention {
  cosine: 'similarity' | 'distance';
  dot: 'similarity' | 'distance';
  euclidean: 'similarity' | 'distance' | 'squared-distance';
}

/** Core's euclidean similarity: from 0 (far) to 1 (identical). The one definition every backend uses. */
export function euclideanSimilarity(distance: number): number {
  return 1 / (1 + distance);
}

/** A vendor's score or distance as core's similarity, under the vendor's convention. */
export function similarityFromDistance(params: { metric: Metric; value: number; convention: ScoreConvention }): number {
  const { metric, value } = params;
  const form = params.convention[metric];
  if (form === 'similarity') return value;
  if (metric === 'cosine') return 1 - value;
  if (metric === 'dot') return -value;
  // A squared distance computed in float32 can come back a hair below zero.
  return euclideanSimilarity(form === 'squared-distance' ? Math.sqrt(Math.max(0, value)) : value);
}
