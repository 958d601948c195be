import { termWeight } from './bm25.js';
import { termCounts, termIndex } from './text-terms.js';

/** A sparse vector: sorted distinct indices and one value each. */
export interface SparseTerms {
  indices: number[];
  values: number[];
}

/**
 * A text's BM25 term weights (core's analyser, `termWeight` with a fixed average length) as a
 * sparse vector keyed by `termIndex`, for backends whose keyword search is a sparse dot product
 * (Qdrant, Pinecone). Undefined for a text without terms: it is no document. Two terms with one
 * index share it, their weights summed, so a query holding that index once counts each term once.
 */
export function sparseTermWeights(text: string | undefined, averageLength: number): SparseTerms | undefined {
  if (text === undefined) return undefined;
  const { counts, length } = termCounts(text);
  const weights = new Map<number, number>();
  for (const [term, frequency] of counts) {
    const index = termIndex(term);
    weights.set(index, (weights.get(index) ?? 0) + termWeight({ frequency, length, averageLength }));
  }
  if (weights.size === 0) return undefined;
  const indices = [...weights.keys()].sort((left, right) => left - right);
  return { indices, values: indices.map((index) => weights.get(index)!) };
}

/** A query's terms as a sparse vector: 1 per distinct index, so a score sums the record's weights (times any IDF the backend applies). */
export function sparseQueryTerms(terms: readonly string[]): SparseTerms {
  const indices = [...new Set(terms.map(termIndex))].sort((left, right) => left - right);
  return { indices, values: indices.map(() => 1) };
}
