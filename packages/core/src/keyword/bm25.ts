import { termCounts } from './text-terms.js';

/** BM25's two knobs, at the values Lucene, Elasticsearch and Weaviate default to. */
export interface Bm25Parameters {
  /** Term-frequency saturation. @default 1.2 */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). @default 0.75 */
  b: number;
}

export const defaultBm25: Bm25Parameters = { k1: 1.2, b: 0.75 };

/**
 * Which of BM25's statistics a backend's keyword scores use, so anyone can reproduce them from a
 * scope's records. Backends that keep no per-scope statistics (a sparse vector is written once,
 * before the scope's average length is known) fix the average length or drop the IDF.
 */
export interface Bm25Formula {
  /** The text length scores are normalised by: the corpus's measured average, or a fixed number of terms. @default 'measured' */
  averageLength?: 'measured' | number;
  /** Weight each term by its inverse document frequency in the corpus. @default true */
  inverseDocumentFrequency?: boolean;
  /**
   * What the IDF's document count N counts: the records with at least one term (a record without
   * text is no document), or every record of the corpus, as Weaviate counts a shard's objects.
   * The measured average length is always over the records with terms. @default 'with-terms'
   */
  documentCount?: 'with-terms' | 'every-record';
}

/** Lucene's IDF, which stays positive even for a term in every document. */
export function inverseDocumentFrequency(documents: number, containing: number): number {
  return Math.log(1 + (documents - containing + 0.5) / (containing + 0.5));
}

/** One term's contribution before IDF: saturating in frequency, damped for long texts. */
export function termWeight(params: { frequency: number; length: number; averageLength: number; bm25?: Bm25Parameters }): number {
  const { frequency, length, averageLength } = params;
  const { k1, b } = params.bm25 ?? defaultBm25;
  if (frequency === 0) return 0;
  const norm = averageLength > 0 ? 1 - b + b * (length / averageLength) : 1;
  return (frequency * (k1 + 1)) / (frequency + k1 * norm);
}

/**
 * Exact BM25 of every document for the query terms, with statistics (document count, document
 * frequency, average length) drawn from `corpus` only. The caller decides what the corpus is;
 * keyword search passes the records within one scope's walls, so no tenant's score depends on
 * another tenant's documents. Documents that match no term are left out.
 */
export function scoreBm25<Document extends { text?: string }>(params: {
  corpus: readonly Document[];
  /** The documents to score (a filter may narrow them); all must be in the corpus. */
  candidates: readonly Document[];
  terms: readonly string[];
  bm25?: Bm25Parameters;
  formula?: Bm25Formula;
}): { document: Document; score: number }[] {
  const { corpus, candidates, terms } = params;
  const fixedLength = params.formula?.averageLength;
  const weighted = params.formula?.inverseDocumentFrequency !== false;
  const analysed = new Map<Document, ReturnType<typeof termCounts>>();
  const analyse = (document: Document) => {
    let counts = analysed.get(document);
    if (counts === undefined) {
      counts = termCounts(document.text ?? '');
      analysed.set(document, counts);
    }
    return counts;
  };
  let totalLength = 0;
  let withTerms = 0;
  const containing = new Map<string, number>(terms.map((term) => [term, 0]));
  for (const document of corpus) {
    const { counts, length } = analyse(document);
    totalLength += length;
    if (length > 0) withTerms += 1;
    for (const term of terms) if (counts.has(term)) containing.set(term, containing.get(term)! + 1);
  }
  const documents = params.formula?.documentCount === 'every-record' ? corpus.length : withTerms;
  const measured = withTerms === 0 ? 0 : totalLength / withTerms;
  const averageLength = typeof fixedLength === 'number' ? fixedLength : measured;
  const scored: { document: Document; score: number }[] = [];
  for (const document of candidates) {
    const { counts, length } = analyse(document);
    let score = 0;
    for (const term of terms) {
      const frequency = counts.get(term) ?? 0;
      if (frequency === 0) continue;
      const weight = weighted ? inverseDocumentFrequency(documents, containing.get(term)!) : 1;
      score += weight * termWeight({ frequency, length, averageLength, ...(params.bm25 === undefined ? {} : { bm25: params.bm25 }) });
    }
    if (score > 0) scored.push({ document, score });
  }
  return scored;
}
