import type { z } from 'zod';
import { facetCounts, higherIsBetter, payloadView, QdrantHttpError, scoreOf, selectPoints, type EmulatedCollection } from './emulator-store.js';
import { canonicalId, compareIds, valuesAt } from './qdrant-filter.js';
import type * as schemas from './request-schemas.js';

/** The emulator's reads over points: nearest-vector query, count, scroll (by id or ordered) and facet. */

export function query(collection: EmulatedCollection, request: z.infer<typeof schemas.queryRequest>) {
  // Qdrant answers a query without `query` in id order, like a scroll; the emulator does not.
  if (request.query == null) throw new QdrantHttpError(501, 'Not implemented by the emulator: a query without `query`');
  const vector = Array.isArray(request.query) ? request.query : request.query.nearest;
  if (vector.length !== collection.size) {
    throw new QdrantHttpError(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${vector.length}`);
  }
  const better = higherIsBetter(collection.distance);
  const scored = selectPoints(collection, request.shard_key, request.filter)
    .map((point) => ({ point, score: scoreOf(collection.distance, point.vector, vector) }))
    .filter(({ score }) => request.score_threshold == null || (better ? score >= request.score_threshold : score <= request.score_threshold))
    .sort((left, right) => (better ? right.score - left.score : left.score - right.score));
  const offset = request.offset ?? 0;
  const points = scored.slice(offset, offset + (request.limit ?? 10)).map(({ point, score }) => ({
    id: point.id,
    version: point.version,
    score,
    payload: payloadView(point, request.with_payload ?? false),
    ...(request.with_vector === true ? { vector: [...point.vector] } : {}),
  }));
  return { points };
}

export function count(collection: EmulatedCollection, request: z.infer<typeof schemas.countRequest>) {
  return { count: selectPoints(collection, request.shard_key, request.filter).length };
}

export function scroll(collection: EmulatedCollection, request: z.infer<typeof schemas.scrollRequest>) {
  if (request.order_by != null) return orderedScroll(collection, request, request.order_by);
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
      ...(request.with_vector === true ? { vector: [...point.vector] } : {}),
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
      ...(request.with_vector === true ? { vector: [...point.vector] } : {}),
    })),
    next_page_offset: null,
  };
}

export function facet(collection: EmulatedCollection, request: z.infer<typeof schemas.facetRequest>) {
  const points = selectPoints(collection, request.shard_key, request.filter);
  return { hits: facetCounts(collection, points, request.key, request.limit ?? 10) };
}
