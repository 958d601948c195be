import type { Schemas } from '@qdrant/js-client-rest';
import { sparseQueryTerms, sparseTermWeights, type KeywordCapability, type StoredRecord } from '@tenantvec/core/backend';

/**
 * Keyword search through a Qdrant sparse vector with the `idf` modifier. Each record with terms
 * carries BM25's term weights (core's analyser and `termWeight`, k1 1.2, b 0.75, a fixed average
 * length); a query carries 1 per distinct term; Qdrant multiplies each query value by
 * `ln((N − df + 0.5) / (df + 0.5) + 1)` — Lucene's IDF, core's `inverseDocumentFrequency` — so a
 * score is exact BM25 with the average length fixed, over the documents N and df count.
 *
 * Which documents those are: Qdrant counts them per shard, and from 1.19 a query may name an IDF
 * corpus (`params.idf.corpus`, a filter). The adapter sends the scope's walls as the corpus, so N
 * and df count only the records within the walls, never another tenant's, under every strategy.
 * Without walls (a tenant alone in its collection or shard key) Qdrant's own per-shard
 * statistics are already the tenant's.
 */

/** The sparse vector keyword search reads; collections made before keyword search lack it. */
export const keywordVectorName = 'tv_terms';

/**
 * The text length (in terms) weights are normalised by. A weight is written once, with its
 * record, before the scope's average is known, so it is fixed: 256, the `avg_len` Qdrant's own
 * BM25 inference defaults to (`Bm25Config`). A constant rather than a setting, so every record of
 * every collection is weighted alike and no collection ever mixes two normalisations.
 */
export const KEYWORD_AVERAGE_LENGTH = 256;

export const keywordCapability: KeywordCapability = {
  statistics: 'scope',
  ranking: `bm25 (Qdrant sparse vectors with the idf modifier, IDF over the scope's records by a per-query corpus, average length fixed at ${KEYWORD_AVERAGE_LENGTH} terms)`,
  formula: { averageLength: KEYWORD_AVERAGE_LENGTH },
};

/** A record's term weights as a sparse vector (`sparseTermWeights`), or undefined for a record without terms: it is no document then, for Qdrant's N as for matching. */
export function recordTermVector(record: StoredRecord): Schemas['SparseVector'] | undefined {
  return sparseTermWeights(record.text, KEYWORD_AVERAGE_LENGTH);
}

/** The query's terms as a sparse vector: 1 per distinct index, for Qdrant to weight by IDF. */
export const queryTermVector: (terms: readonly string[]) => Schemas['SparseVector'] = sparseQueryTerms;

/** A point's vectors: the unnamed dense one alone, or beside its terms (the unnamed vector is named `""`). */
export function pointVectors(params: { dense: readonly number[]; terms: Schemas['SparseVector'] | undefined }): Schemas['VectorStruct'] {
  return params.terms === undefined ? [...params.dense] : { '': [...params.dense], [keywordVectorName]: params.terms };
}
