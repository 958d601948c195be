import type { z } from 'zod';
import { facetCounts, higherIsBetter, payloadView, QdrantHttpError, readShards, scoreOf, selectPoints, type EmulatedCollection, type StoredPoint } from './emulator-store.js';
import { canonicalId, compareIds, valuesAt } from './qdrant-filter.js';
import type * as schemas from './request-schemas.js';
import { searchShard } from './sparse-search.js';
import { checkVectorSelection, notExistingVector, vectorView, wrongSparse } from './sparse-vectors.js';

/** The emulator's reads over points: nearest query (dense or sparse), count, scroll (by id or ordered) and facet. */

type QueryRequest = z.infer<typeof schemas.queryRequest>;

export function query(collection: EmulatedCollection, request: QueryRequest) {
  // Qdrant answers a query without `query` in id order, like a scroll; the emulator does not.
  if (request.query == null) throw new QdrantHttpError(501, 'Not implemented by the emulator: a query without `query`');
  const vector = 'nearest' in request.query ? request.query.nearest : request.query;
  const using = request.using ?? '';
  if (using !== '' && !collection.sparseVectors.has(using)) throw notExistingVector(using);
  const modifier = collection.sparseVectors.get(using)?.modifier;
  // lib/shard/src/query/query_context.rs `init_query_context`: `idf` applies to idf-modified sparse vectors only.
  if (request.params?.idf != null && modifier !== 'idf') {
    throw new QdrantHttpError(400, `Wrong input: Validation failed: search param \`idf\` requires a sparse vector with the \`idf\` modifier, which vector ${JSON.stringify(using)} is not`);
  }
  checkVectorSelection(collection, request.with_vector);
  const scored = Array.isArray(vector) ? denseHits(collection, request, vector) : sparseHits(collection, request, using, vector);
  const offset = request.offset ?? 0;
  const points = scored.slice(offset, offset + (request.limit ?? 10)).map(({ point, score }) => ({
    id: point.id,
    version: point.version,
    score,
    payload: payloadView(point, request.with_payload ?? false),
    ...vectorView(point, request.with_vector),
  }));
  return { points };
}

type Hit = { point: StoredPoint; score: number };

function denseHits(collection: EmulatedCollection, request: QueryRequest, vector: number[]): Hit[] {
  if (request.using != null && request.using !== '') throw wrongSparse();
  if (vector.length !== collection.size) {
    throw new QdrantHttpError(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${vector.length}`);
  }
  const better = higherIsBetter(collection.distance);
  return selectPoints(collection, request.shard_key, request.filter)
    .map((point) => ({ point, score: scoreOf(collection.distance, point.vector, vector) }))
    .filter(({ score }) => request.score_threshold == null || (better ? score >= request.score_threshold : score <= request.score_threshold))
    .sort((left, right) => (better ? right.score - left.score : left.score - right.score));
}

/** Each shard searched with its own IDF statistics, the hits merged best first (ties by id). */
function sparseHits(collection: EmulatedCollection, request: QueryRequest, using: string, query: { indices: number[]; values: number[] }): Hit[] {
  if (!collection.sparseVectors.has(using)) throw wrongSparse();
  const idf = request.params?.idf;
  const search = {
    name: using,
    query,
    idf: collection.sparseVectors.get(using)!.modifier === 'idf',
    corpus: idf != null && idf !== 'global' ? idf.corpus : undefined,
    filter: request.filter,
  };
  return readShards(collection, request.shard_key)
    .flatMap((shard) => searchShard(search, [...shard.values()]))
    .filter(({ score }) => request.score_threshold == null || score >= request.score_threshold)
    .sort((left, right) => right.score - left.score || compareIds(left.point.id, right.point.id));
}

export function count(collection: EmulatedCollection, request: z.infer<typeof schemas.countRequest>) {
  return { count: selectPoints(collection, request.shard_key, request.filter).length };
}

export function scroll(collection: EmulatedCollection, request: z.infer<typeof schemas.scrollRequest>) {
  if (request.order_by != null) return orderedScroll(collection, request, request.order_by);
  checkVectorSelection(collection, request.with_vector);
  const all = selectPoints(collection, request.shard_key, request.filter);
  const offset = request.offset == null ? undefined : canonicalId(request.offset);
  const start = offset === undefined ? 0 : all.findIndex((point) => compareIds(point.id, offset) >= 0);
  const from = start === -1 ? all.length : start;
  const limit = request.limit ?? 10;
  const page = all.slice(from, from + limit);
  return {
    points: page.map((point) => ({
      id: point.id,
      payload: payloadView(point, request.with_payload ?? true),
      ...vectorView(point, request.with_vector),
    })),
    next_page_offset: all[from + limit]?.id ?? null,
  };
}

/** Scroll ordered by a payload number: Qdrant needs a range index on the key and allows no offset. */
function orderedScroll(collection: EmulatedCollection, request: z.infer<typeof schemas.scrollRequest>, orderBy: string | { key: string; direction?: 'asc' | 'desc' | null }) {
  const { key, direction } = typeof orderBy === 'string' ? { key: orderBy, direction: 'asc' } : orderBy;
  const index = collection.indexes.get(key);
  if (index !== 'integer' && index !== 'float' && index !== 'datetime') {
    throw new QdrantHttpError(400, `Bad request: No range index for \`order_by\` key: \`${key}\`. Please create one to use \`order_by\`.`);
  }
  if (request.offset != null) throw new QdrantHttpError(400, 'Bad request: Cannot use an `offset` when using `order_by`');
  checkVectorSelection(collection, request.with_vector);
  const sign = direction === 'desc' ? -1 : 1;
  const numbered = selectPoints(collection, request.shard_key, request.filter).flatMap((point) => {
    const value = valuesAt(point.payload, key).find((candidate) => typeof candidate === 'number');
    return typeof value === 'number' ? [{ point, value }] : [];
  });
  numbered.sort((left, right) => sign * (left.value - right.value));
  const page = numbered.slice(0, request.limit ?? 10);
  return {
    points: page.map(({ point, value }) => ({
      id: point.id,
      payload: payloadView(point, request.with_payload ?? true),
      order_value: value,
      ...vectorView(point, request.with_vector),
    })),
    next_page_offset: null,
  };
}

export function facet(collection: EmulatedCollection, request: z.infer<typeof schemas.facetRequest>) {
  const points = selectPoints(collection, request.shard_key, request.filter);
  return { hits: facetCounts(collection, points, request.key, request.limit ?? 10) };
}
