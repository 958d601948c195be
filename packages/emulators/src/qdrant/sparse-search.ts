import type { StoredPoint } from './emulator-store.js';
import { matchesQdrantFilter } from './qdrant-filter.js';
import type { FilterShape } from './request-schemas.js';
import type { SparseVectorShape } from './vector-schemas.js';

/**
 * Sparse nearest search of the emulator, exact, with Qdrant 1.19's `idf` modifier:
 *
 * - Score: the dot product over the indices a point shares with the query, in float32
 *   (lib/sparse/src/common/sparse_vector.rs `score`); points sharing no index are not hits, even
 *   on a filtered plain scan (lib/sparse/src/index/search_context.rs `plain_search` skips them).
 * - IDF (`Modifier::Idf`): each query value is multiplied, before scoring, by
 *   `ln((N − df + 0.5) / (df + 0.5) + 1)` in float32 (`fancy_idf` and `remap_idf_weights`,
 *   lib/segment/src/data_types/query_context.rs) — the same formula as Lucene's and as core's
 *   `inverseDocumentFrequency`.
 * - Which points count, per local shard: the statistics are gathered over the segments of one
 *   shard (`prepare_query_context`, lib/collection/src/collection_manager/segments_searcher.rs,
 *   called per shard from lib/collection/src/shards/local_shard/search.rs; no step merges them
 *   across shards), so each shard scores with its own N and df.
 *   - Global (no `params.idf`, or `"global"`): N is the shard's count of indexed sparse vectors of
 *     that name (`InvertedIndex::vector_count`), df the length of the index's posting list. Empty
 *     sparse vectors are never indexed (`update_vector` in
 *     lib/segment/src/index/sparse_index/sparse_vector_index/vector_index_impl.rs), nor are points
 *     without the vector. On a real server deleted or moved points stay in a segment's postings
 *     until it is vacuumed; the emulator has one segment per shard, always vacuumed.
 *   - Corpus (`params.idf: { corpus }`, lib/segment/src/index/sparse_index/sparse_vector_index/
 *     read_view/idf.rs): N counts the live points of the shard that match the corpus filter and
 *     have the vector (an empty one included), df those of them whose postings hold the index.
 *     The retrieval filter never narrows the statistics (tests/openapi/test_sparse_idf_corpus.py).
 */

/** A sparse query: the vector searched, the query vector, whether and over what IDF is counted, and the filter. */
export interface SparseSearch {
  name: string;
  query: SparseVectorShape;
  idf: boolean;
  corpus: FilterShape | undefined;
  filter: FilterShape | null | undefined;
}

const f32 = Math.fround;

function fancyIdf(documents: number, containing: number): number {
  return f32(Math.log(f32(f32(f32(documents - containing + 0.5) / f32(containing + 0.5)) + 1)));
}

/** The query's values multiplied by IDF over one shard's points, as Qdrant remaps them. */
function weightedQuery(search: SparseSearch, shard: readonly StoredPoint[]): number[] {
  const values = search.query.values.map(f32);
  if (!search.idf) return values;
  const documents = shard.filter((point) => {
    const vector = point.sparse.get(search.name);
    if (vector === undefined) return false;
    return search.corpus === undefined ? vector.indices.length > 0 : matchesQdrantFilter(search.corpus, point);
  });
  return search.query.indices.map((index, position) => {
    const containing = documents.filter((point) => point.sparse.get(search.name)!.indices.includes(index)).length;
    return f32(values[position]! * fancyIdf(documents.length, containing));
  });
}

/** Every hit of one shard: points passing the filter that share an index with the query, scored. */
export function searchShard(search: SparseSearch, shard: readonly StoredPoint[]): { point: StoredPoint; score: number }[] {
  const weights = new Map(search.query.indices.map((index, position) => [index, position]));
  const queryValues = weightedQuery(search, shard);
  const hits: { point: StoredPoint; score: number }[] = [];
  for (const point of shard) {
    const vector = point.sparse.get(search.name);
    if (vector === undefined || !matchesQdrantFilter(search.filter, point)) continue;
    let score = 0;
    let shared = false;
    vector.indices.forEach((index, position) => {
      const at = weights.get(index);
      if (at === undefined) return;
      shared = true;
      score = f32(score + f32(vector.values[position]! * queryValues[at]!));
    });
    if (shared) hits.push({ point, score });
  }
  return hits;
}
