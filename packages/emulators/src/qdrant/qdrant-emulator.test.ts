import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorRequests } from './emulator-requests.js';
import { EMULATED_QDRANT_VERSION, startQdrantEmulator, type QdrantEmulator } from './qdrant-emulator.js';

/**
 * The emulator on the wire. "Accepted" cases replay request bodies from Qdrant's documentation
 * (multitenancy guide, points and search API reference); "rejected" ones are what Qdrant refuses,
 * with its status codes and `{ status: { error } }` body.
 */
let emulator: QdrantEmulator;
beforeAll(async () => {
  emulator = await startQdrantEmulator();
});
afterAll(() => emulator.stop());

const { call, ok } = emulatorRequests(() => emulator.url);

async function rejected(method: string, path: string, body: unknown, status: number, error: RegExp) {
  const answer = await call(method, path, body);
  expect(answer.status).toBe(status);
  expect(answer.body.status.error).toMatch(error);
  expect(typeof answer.body.time).toBe('number');
}

describe('accepted: documented requests', () => {
  it('names the Qdrant version it follows', async () => {
    const response = await fetch(`${emulator.url}/`);
    expect(await response.json()).toMatchObject({ title: 'qdrant - vector search engine', version: EMULATED_QDRANT_VERSION });
  });

  it('partitions by payload: is_tenant index, upsert, filtered query, count, scroll, retrieve, facet, delete', async () => {
    await ok('PUT', '/collections/docs', { vectors: { size: 3, distance: 'Cosine' } });
    await ok('PUT', '/collections/docs/index?wait=true', { field_name: 'group_id', field_schema: { type: 'keyword', is_tenant: true } });
    await ok('PUT', '/collections/docs/points?wait=true', {
      points: [
        { id: 1, payload: { group_id: 'user_1' }, vector: [0.9, 0.1, 0.1] },
        { id: 2, payload: { group_id: 'user_1' }, vector: [0.1, 0.9, 0.1] },
        { id: 3, payload: { group_id: 'user_2' }, vector: [0.1, 0.1, 0.9] },
      ],
    });
    const user1 = { must: [{ key: 'group_id', match: { value: 'user_1' } }] };
    const { points } = await ok('POST', '/collections/docs/points/query', { query: [0.1, 0.1, 0.9], filter: user1, limit: 10 });
    // Both user_1 points are equally far from the query; user_2's, the nearest, is walled off.
    expect(points.map((point: { id: number }) => point.id).sort()).toEqual([1, 2]);
    expect(points[0].score).toBeCloseTo(points[1].score, 6);
    expect(await ok('POST', '/collections/docs/points/count', { filter: user1, exact: true })).toEqual({ count: 2 });
    const scrolled = await ok('POST', '/collections/docs/points/scroll', { filter: user1, limit: 1, with_payload: true, with_vector: false });
    expect(scrolled).toEqual({ points: [{ id: 1, payload: { group_id: 'user_1' } }], next_page_offset: 2 });
    const retrieved = await ok('POST', '/collections/docs/points', { ids: [1, 3, 100] });
    expect(retrieved.map((point: { id: number }) => point.id)).toEqual([1, 3]);
    expect(await ok('POST', '/collections/docs/facet', { key: 'group_id', exact: true })).toEqual({
      hits: [{ value: 'user_1', count: 2 }, { value: 'user_2', count: 1 }],
    });
    await ok('POST', '/collections/docs/points/delete?wait=true', { points: [3] });
    await ok('POST', '/collections/docs/points/delete?wait=true', { filter: { must: [{ key: 'group_id', match: { value: 'user_1' } }] } });
    expect(await ok('POST', '/collections/docs/points/count', {})).toEqual({ count: 0 });
  });

  it('creates a collection with per-tenant graphs only (payload_m: 16, m: 0) and merges metadata updates', async () => {
    await ok('PUT', '/collections/graphs', { vectors: { size: 768, distance: 'Cosine' }, hnsw_config: { payload_m: 16, m: 0 }, metadata: { owner: 'a' } });
    await ok('PATCH', '/collections/graphs', { metadata: { extra: 1 } });
    await ok('PATCH', '/collections/graphs', { metadata: { owner: null } });
    const info = await ok('GET', '/collections/graphs');
    expect(info.config.hnsw_config).toMatchObject({ payload_m: 16, m: 0 });
    expect(info.config.metadata).toEqual({ extra: 1 });
  });

  it('shards by user-defined keys: writes need a known shard key, reads see only theirs', async () => {
    await ok('PUT', '/collections/sharded', { shard_number: 1, sharding_method: 'custom', vectors: { size: 3, distance: 'Dot' } });
    await ok('PUT', '/collections/sharded/shards', { shard_key: 'user_1' });
    await ok('PUT', '/collections/sharded/shards', { shard_key: 'user_2' });
    const point = { id: '5c56c793-69f3-4fbf-87e6-c4bf54c28c26', payload: { color: 'red' }, vector: [0.9, 0.1, 0.1] };
    await ok('PUT', '/collections/sharded/points?wait=true', { points: [point], shard_key: 'user_1' });
    await ok('PUT', '/collections/sharded/points?wait=true', { points: [point], shard_key: 'user_2' });
    await rejected('PUT', '/collections/sharded/points', { points: [point] }, 400, /Shard key not specified/);
    await rejected('PUT', '/collections/sharded/points', { points: [point], shard_key: 'user_3' }, 400, /Shard key user_3 not found/);
    await rejected('POST', '/collections/sharded/points/count', { shard_key: 'user_3' }, 400, /Shard key user_3 not found/);
    expect(await ok('POST', '/collections/sharded/points/count', { shard_key: 'user_1' })).toEqual({ count: 1 });
    expect(await ok('POST', '/collections/sharded/points/count', {})).toEqual({ count: 2 });
    await rejected('POST', '/collections/sharded/points/delete', { points: [point.id] }, 400, /Shard key not specified/);
    await rejected('PUT', '/collections/sharded/shards', { shard_key: 'user_1' }, 400, /already exists/);
    expect(await ok('GET', '/collections/sharded/shards')).toEqual({ shard_keys: [{ key: 'user_1' }, { key: 'user_2' }] });
    await ok('POST', '/collections/sharded/shards/delete', { shard_key: 'user_1' });
    expect(await ok('POST', '/collections/sharded/points/count', {})).toEqual({ count: 1 });
  });

  it('applies an update sent without wait=true later, as Qdrant does', async () => {
    await ok('PUT', '/collections/async', { vectors: { size: 3, distance: 'Dot' } });
    expect(await ok('PUT', '/collections/async/points', { points: [{ id: 1, vector: [1, 0, 0] }] })).toMatchObject({ status: 'acknowledged' });
    expect(await ok('POST', '/collections/async/points/count', {})).toEqual({ count: 0 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await ok('POST', '/collections/async/points/count', {})).toEqual({ count: 1 });
    expect(await ok('POST', '/collections/async/points/delete?wait=true', { points: [1] })).toMatchObject({ status: 'completed' });
    expect(await ok('POST', '/collections/async/points/count', {})).toEqual({ count: 0 });
  });

  it('scrolls ordered by an indexed number, newest first', async () => {
    await ok('PUT', '/collections/ordered', { vectors: { size: 3, distance: 'Dot' } });
    await ok('PUT', '/collections/ordered/index?wait=true', { field_name: 'timestamp', field_schema: 'integer' });
    await ok('PUT', '/collections/ordered/points?wait=true', {
      points: [1, 2, 3].map((id) => ({ id, vector: [id, 0, 0], payload: { timestamp: [30, 10, 20][id - 1] } })),
    });
    const { points } = await ok('POST', '/collections/ordered/points/scroll', { limit: 2, order_by: { key: 'timestamp', direction: 'desc' } });
    expect(points.map((point: { id: number }) => point.id)).toEqual([1, 3]);
    await rejected('POST', '/collections/ordered/points/scroll', { order_by: 'timestamp', offset: 1 }, 400, /offset/);
  });

  it('deletes a missing collection idempotently (result false)', async () => {
    expect(await ok('DELETE', '/collections/never-created')).toBe(false);
  });
});

describe('rejected: what Qdrant refuses', () => {
  beforeAll(async () => {
    await ok('PUT', '/collections/strict', { vectors: { size: 3, distance: 'Euclid' } });
  });

  const point = { id: 1, vector: [0.1, 0.2, 0.3] };
  const cases: [string, string, string, unknown, number, RegExp][] = [
    ['a misspelled filter clause', 'POST', '/collections/strict/points/count', { filter: { must_nto: [] } }, 400, /unknown field `must_nto`/],
    ['a string where a number belongs', 'PUT', '/collections/other', { vectors: { size: '3', distance: 'Cosine' } }, 400, /Format error in JSON body: vectors.size/],
    ['a missing required field', 'PUT', '/collections/other', { vectors: { distance: 'Cosine' } }, 400, /vectors.size/],
    ['an unknown distance', 'PUT', '/collections/other', { vectors: { size: 3, distance: 'cosine' } }, 400, /vectors.distance/],
    ['a point id that is neither an integer nor a UUID', 'PUT', '/collections/strict/points', { points: [{ ...point, id: 'acme:doc-1' }] }, 400, /not a valid point ID/],
    ['a negative point id', 'PUT', '/collections/strict/points', { points: [{ ...point, id: -1 }] }, 400, /not a valid point ID/],
    ['a float in match.value', 'POST', '/collections/strict/points/count', { filter: { must: [{ key: 'n', match: { value: 1.5 } }] } }, 400, /Format error/],
    ['a field condition with no condition', 'POST', '/collections/strict/points/count', { filter: { must: [{ key: 'n' }] } }, 422, /^Validation error in JSON body/],
    ['a vector of the wrong size', 'PUT', '/collections/strict/points', { points: [{ id: 1, vector: [1, 2] }] }, 400, /Vector dimension error: expected dim: 3, got 2/],
    ['a query vector of the wrong size', 'POST', '/collections/strict/points/query', { query: [1, 2] }, 400, /Vector dimension error/],
    ['a facet on an unindexed key', 'POST', '/collections/strict/facet', { key: 'color' }, 400, /Index required but not found/],
    ['order_by on a key without a range index', 'POST', '/collections/strict/points/scroll', { order_by: 'n' }, 400, /No range index for `order_by` key/],
    ['a shard key on an auto-sharded collection', 'PUT', '/collections/strict/shards', { shard_key: 'x' }, 400, /cannot be created with Auto sharding method/],
    ['a missing collection', 'POST', '/collections/missing/points/query', { query: [1, 2, 3] }, 404, /^Not found: Collection `missing` doesn't exist!$/],
    ['an existing collection', 'PUT', '/collections/strict', { vectors: { size: 3, distance: 'Euclid' } }, 409, /Collection `strict` already exists!/],
    ['malformed JSON', 'POST', '/collections/strict/points/count', '{"filter": ', 400, /Format error in JSON body/],
  ];
  for (const [what, method, path, body, status, error] of cases) {
    it(`refuses ${what} with ${status}`, () => rejected(method, path, body, status, error));
  }

  it('refuses a body over 32 MiB with 413', async () => {
    const huge = { points: [{ id: 1, vector: [0.1, 0.2, 0.3], payload: { blob: 'x'.repeat(33 * 1024 * 1024) } }] };
    await rejected('PUT', '/collections/strict/points', huge, 413, /larger than allowed/);
  });

  it('answers injected faults, then recovers', async () => {
    emulator.injectFaults([{ status: 503 }, { status: 429, retryAfter: '1' }]);
    expect((await call('POST', '/collections/strict/points/count', {})).status).toBe(503);
    const limited = await fetch(`${emulator.url}/collections/strict/points/count`, { method: 'POST', body: '{}' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await call('POST', '/collections/strict/points/count', {})).status).toBe(200);
  });
});
