import type { Collection } from 'weaviate-client';

/**
 * weaviate-client's `insertMany` serialises objects one timer tick each and polls for the result
 * every 500 ms, so any call with two or more objects waits at least 500 ms. Small batches go as
 * concurrent one-object calls instead (one gRPC BatchObjects each); large ones as one call,
 * where the wait is amortised.
 */
export const SMALL_BATCH = 16;

type InsertInput = Parameters<Collection['data']['insertMany']>[0];

export async function insertObjects(handle: Collection, objects: InsertInput): Promise<[number, { message: string }][]> {
  if (objects.length > SMALL_BATCH || objects.length === 1) {
    const result = await handle.data.insertMany(objects);
    return Object.entries(result.errors).map(([index, failure]) => [Number(index), failure]);
  }
  const results = await Promise.all(objects.map((object) => handle.data.insertMany([object])));
  return results.flatMap((result, index) => Object.values(result.errors).map((failure): [number, { message: string }] => [index, failure]));
}
