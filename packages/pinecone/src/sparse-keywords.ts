import { BackendError, InvalidArgumentError, sparseQueryTerms, sparseTermWeights, type KeywordCapability, type StoredRecord } from '@tenantvec/core/backend';
import type { RecordSparseValues } from '@pinecone-database/pinecone';

/**
 * Keyword search through Pinecone sparse values. Pinecone keeps no term statistics: a sparse
 * query scores a plain dot product. So every record carries its own BM25 term weights, with a
 * fixed average length and no IDF, and a query carries 1 per distinct term: a record's score is
 * the sum of its weights for the query's terms and depends on nothing but the record itself.
 * That is what keeps one tenant's scores still whatever another tenant writes, under every
 * strategy, and why `statistics` is `scope`.
 *
 * Pinecone answers a query with a sparse vector only on `dotproduct` indexes ("Only indexes
 * using the dotproduct distance metric support querying sparse-dense vectors", docs.pinecone.io
 * reference/api/known-limitations), hence `metrics: ['dot']`; other indexes accept the sparse
 * values on upsert, so records written there are ready if the data moves to a dot index.
 */

/** Pinecone: "Sparse vectors can contain no more than 1000 non-zero values" (docs, Limits). */
export const MAX_SPARSE_VALUES = 1000;

/**
 * The text length weights are normalised by when `keywordAverageLength` is not set: about a chunk
 * of core's default splitter (400 tokens at four characters each, some 300 words).
 */
export const DEFAULT_KEYWORD_AVERAGE_LENGTH = 300;

export function sparseKeywordCapability(averageLength: number): KeywordCapability {
  return {
    statistics: 'scope',
    ranking: `bm25 term weights without IDF (Pinecone sparse values, k1 1.2, b 0.75, average length fixed at ${averageLength} terms)`,
    formula: { averageLength, inverseDocumentFrequency: false },
    metrics: ['dot'],
  };
}

/**
 * A record's term weights as sparse values, or undefined for a record without terms (Pinecone
 * is never sent an empty sparse vector). Two terms with one index share it, their weights summed,
 * so the dot product with a query holding that index once still counts each term once. Refuses,
 * before any I/O, a text with more distinct indices than Pinecone takes: dropping terms would
 * rank the record by less than its text, silently.
 */
export function sparseValuesOf(record: StoredRecord, averageLength: number): RecordSparseValues | undefined {
  const weights = sparseTermWeights(record.text, averageLength);
  if (weights !== undefined && weights.indices.length > MAX_SPARSE_VALUES) {
    throw new BackendError(
      `Record ${JSON.stringify(record.recordId)} has ${weights.indices.length} distinct terms; Pinecone keeps at most `
        + `${MAX_SPARSE_VALUES} sparse values per vector, so keyword search cannot index it whole. Split its text into smaller records.`,
    );
  }
  return weights;
}

/** The query's terms as sparse values: 1 per distinct index, so a score is a sum of the record's weights. */
export function querySparseVector(terms: readonly string[]): RecordSparseValues {
  const sparse = sparseQueryTerms(terms);
  if (sparse.indices.length > MAX_SPARSE_VALUES) {
    throw new InvalidArgumentError(`A keyword query may hold at most ${MAX_SPARSE_VALUES} distinct terms on Pinecone; this one has ${sparse.indices.length}.`);
  }
  return sparse;
}
