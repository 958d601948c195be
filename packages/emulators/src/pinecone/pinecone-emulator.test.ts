import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATED_API_VERSION, startPineconeEmulator, type PineconeEmulator } from './pinecone-emulator.js';

/**
 * Requests from Pinecone's API reference are accepted; malformed ones get Pinecone's status and
 * error body. Raw HTTP here on purpose: the adapter's own tests go through the official client.
 */
let emulator: PineconeEmulator;
let host: string;

async function send(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {}) {
  const response = await fetch(`${init.base ?? emulator.controllerHostUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'Api-Key': emulator.apiKey, 'X-Pinecone-Api-Version': EMULATED_API_VERSION, 'Content-Type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

const data = (path: string, init: Parameters<typeof send>[1] = {}) => send(path, { ...init, base: `http://${host}` });

beforeAll(async () => {
  emulator = await startPineconeEmulator({ maxIndexes: 3 });
  const created = await send('/indexes', {
    body: {
      name: 'example-index',
      dimension: 2,
      metric: 'cosine',
      spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
      deletion_protection: 'disabled',
      tags: { environment: 'development' },
    },
  });
  expect(created.status).toBe(201);
  host = created.body.host;
});

afterAll(() => emulator.stop());

describe('control plane', () => {
  it('describes and lists indexes in the API shape', async () => {
    const described = await send('/indexes/example-index');
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({ name: 'example-index', dimension: 2, metric: 'cosine', status: { ready: true }, tags: { environment: 'development' } });
    expect((await send('/indexes')).body.indexes.map((index: { name: string }) => index.name)).toContain('example-index');
  });

  it('rejects what Pinecone rejects, with its status and error body', async () => {
    const spec = { serverless: { cloud: 'aws', region: 'us-east-1' } };
    expect(await send('/indexes', { body: { name: 'example-index', dimension: 2, spec } })).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' }, status: 409 } });
    expect((await send('/indexes', { body: { name: 'Bad_Name', dimension: 2, spec } })).status).toBe(400);
    expect((await send('/indexes', { body: { name: 'x'.repeat(46), dimension: 2, spec } })).status).toBe(400);
    expect((await send('/indexes', { body: { name: 'ok', dimension: 2 } })).status).toBe(422);
    expect((await send('/indexes', { body: { name: 'ok', dimension: 2, spec, replicas: 2 } })).status).toBe(422);
    expect((await send('/indexes', { body: { name: 'ok', dimension: 2, metric: 'manhattan', spec } })).status).toBe(422);
    expect((await send('/indexes', { body: { name: 'ok', dimension: 2, spec, tags: { bad: 'a/b' } } })).status).toBe(400);
    expect(await send('/indexes/missing')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await send('/indexes/missing', { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 403 QUOTA_EXCEEDED past the project index limit', async () => {
    const spec = { serverless: { cloud: 'aws', region: 'us-east-1' } };
    expect((await send('/indexes', { body: { name: 'second', dimension: 2, spec } })).status).toBe(201);
    expect((await send('/indexes', { body: { name: 'third', dimension: 2, spec } })).status).toBe(201);
    expect(await send('/indexes', { body: { name: 'fourth', dimension: 2, spec } })).toMatchObject({ status: 403, body: { error: { code: 'QUOTA_EXCEEDED' } } });
    expect((await send('/indexes/third', { method: 'DELETE' })).status).toBe(202);
  });

  it('requires the Api-Key; refuses a version it does not speak', async () => {
    expect(await send('/indexes', { headers: { 'Api-Key': 'wrong' } })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect((await send('/indexes', { headers: { 'X-Pinecone-Api-Version': '2024-07' } })).status).toBe(400);
    expect(await data('/query', { headers: { 'Api-Key': '' }, body: { topK: 1, vector: [1, 0] } })).toMatchObject({ status: 401, body: { code: 16 } });
  });

  // docs.pinecone.io/reference/api/versioning: without the header, requests default to a version.
  it('serves a request without X-Pinecone-Api-Version on both planes, as with the header', async () => {
    const bare = async (url: string, body?: unknown) => {
      const response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Api-Key': emulator.apiKey, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    };
    expect(await bare(`${emulator.controllerHostUrl}/indexes/example-index`)).toEqual(await send('/indexes/example-index'));
    const stats = await bare(`http://${host}/describe_index_stats`, {});
    expect(stats).toEqual(await data('/describe_index_stats', { body: {} }));
    expect(stats.status).toBe(200);
  });
});

describe('data plane', () => {
  it('accepts the reference upsert, query, fetch, fetch-by-metadata, list and delete', async () => {
    const upserted = await data('/vectors/upsert', {
      body: {
        vectors: [
          { id: 'vec1', values: [1.0, 1.5], metadata: { genre: 'drama', year: 2019 } },
          { id: 'vec2', values: [2.0, 1.0], metadata: { genre: 'action', tags: ['a', 'b'] } },
          { id: 'vec3', values: [0.1, 0.3], metadata: { genre: 'documentary' } },
        ],
        namespace: 'example-namespace',
      },
    });
    expect(upserted).toEqual({ status: 200, body: { upsertedCount: 3 } });
    const queried = await data('/query', {
      body: { namespace: 'example-namespace', vector: [0.1, 0.3], filter: { genre: { $eq: 'documentary' } }, topK: 3, includeValues: true },
    });
    expect(queried.status).toBe(200);
    expect(queried.body.matches.map((match: { id: string }) => match.id)).toEqual(['vec3']);
    expect(queried.body.matches[0].score).toBeCloseTo(1, 5);
    const fetched = await data('/vectors/fetch?ids=vec1&ids=vec2&ids=nope&namespace=example-namespace');
    expect(Object.keys(fetched.body.vectors).sort()).toEqual(['vec1', 'vec2']);
    const byMetadata = await data('/vectors/fetch_by_metadata', { body: { namespace: 'example-namespace', filter: { genre: { $in: ['drama', 'action'] } }, limit: 1 } });
    expect(Object.keys(byMetadata.body.vectors)).toEqual(['vec1']);
    const rest = await data('/vectors/fetch_by_metadata', {
      body: { namespace: 'example-namespace', filter: { genre: { $in: ['drama', 'action'] } }, limit: 1, paginationToken: byMetadata.body.pagination.next },
    });
    expect(Object.keys(rest.body.vectors)).toEqual(['vec2']);
    const listed = await data('/vectors/list?prefix=vec&limit=2&namespace=example-namespace');
    expect(listed.body.vectors).toEqual([{ id: 'vec1' }, { id: 'vec2' }]);
    expect(listed.body.pagination.next).toEqual(expect.any(String));
    expect((await data('/vectors/delete', { body: { filter: { genre: { $eq: 'documentary' } }, namespace: 'example-namespace' } })).status).toBe(200);
    expect((await data('/vectors/delete', { body: { ids: ['vec1'], namespace: 'example-namespace' } })).status).toBe(200);
    const stats = await data('/describe_index_stats', { body: {} });
    expect(stats.body.namespaces['example-namespace']).toEqual({ vectorCount: 1 });
    const namespaces = await data('/namespaces');
    expect(namespaces.body.namespaces).toEqual([{ name: 'example-namespace', record_count: 1 }]);
    expect((await data('/vectors/delete', { body: { deleteAll: true, namespace: 'example-namespace' } })).status).toBe(200);
    expect((await data('/namespaces/example-namespace', { method: 'DELETE' })).status).toBe(202);
  });

  it('rejects malformed data-plane requests with 400 and a gRPC-style body', async () => {
    const bad: [string, unknown][] = [
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1] }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1, 0], extra: 1 }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1, 0] }], namespace: 'n', upsertAll: true }],
      ['/vectors/upsert', { vectors: [] }],
      ['/vectors/upsert', { vectors: Array.from({ length: 1001 }, (_, n) => ({ id: `v${n}`, values: [1, 0] })) }],
      ['/vectors/upsert', { vectors: [{ id: '', values: [1, 0] }] }],
      ['/vectors/upsert', { vectors: [{ id: 'é', values: [1, 0] }] }],
      ['/vectors/upsert', { vectors: [{ id: 'x'.repeat(513), values: [1, 0] }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [0, 0] }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1, 0], metadata: { deep: { a: 1 } } }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1, 0], metadata: { missing: null } }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1, 0], metadata: { numbers: [1, 2] } }] }],
      ['/vectors/upsert', { vectors: [{ id: 'a', values: [1, 0], metadata: { blob: 'x'.repeat(41_000) } }] }],
      ['/query', { topK: 0, vector: [1, 0] }],
      ['/query', { topK: 10_001, vector: [1, 0] }],
      ['/query', { topK: 10_001, vector: [1, 0], includeMetadata: true }],
      ['/query', { topK: 1, vector: [1, 0, 0] }],
      ['/query', { topK: 1 }],
      ['/query', { topK: 1, vector: [1, 0], filter: { $not: { genre: 'x' } } }],
      ['/query', { topK: 1, vector: [1, 0], filter: { year: { $gt: '2020' } } }],
      ['/query', { topK: 1, vector: [1, 0], filter: { genre: { $in: [] } } }],
      ['/query', { topK: 1, vector: [1, 0], filter: { genre: { $in: [true] } } }],
      ['/query', { topK: 1, vector: [1, 0], filter: { $or: [] } }],
      ['/query', { top_k: 1, vector: [1, 0] }],
      ['/vectors/delete', { ids: ['a'], deleteAll: true }],
      ['/vectors/delete', {}],
      ['/vectors/fetch_by_metadata', { filter: { genre: 'x' }, limit: 0 }],
      ['/describe_index_stats', { filter: { genre: 'x' } }],
    ];
    for (const [path, body] of bad) {
      const reply = await data(path, { body });
      expect({ path, body, status: reply.status, code: reply.body?.code }).toEqual({ path, body, status: 400, code: 3 });
    }
    expect((await data('/vectors/upsert', { body: '{not json' })).status).toBe(400);
    expect((await data('/vectors/list?limit=101')).status).toBe(400);
    expect((await data('/vectors/fetch')).status).toBe(400);
  });

  // Operation limits: "Max top_k value 10,000", "Max result size 4MB"; include flags only add bytes.
  it('accepts topK up to 10,000 with metadata and values, and refuses a result over 4 MB', async () => {
    const wide = await data('/query', { body: { namespace: 'example-namespace', topK: 10_000, vector: [1, 0], includeMetadata: true, includeValues: true } });
    expect(wide.status).toBe(200);
    const text = 'z'.repeat(40_000);
    for (let batch = 0; batch < 3; batch += 1) {
      const vectors = Array.from({ length: 40 }, (_, n) => ({ id: `heavy-${batch}-${n}`, values: [1, n + 1], metadata: { text } }));
      expect((await data('/vectors/upsert', { body: { namespace: 'heavy', vectors } })).status).toBe(200);
    }
    const ask = (includeMetadata: boolean) => data('/query', { body: { namespace: 'heavy', topK: 1200, vector: [1, 0], includeMetadata } });
    const light = await ask(false);
    expect(light.status).toBe(200);
    expect(light.body.matches).toHaveLength(120);
    const heavy = await ask(true);
    expect(heavy).toMatchObject({ status: 400, body: { code: 3, message: expect.stringContaining('exceeds the limit of 4194304 bytes') } });
    expect((await data('/query', { body: { namespace: 'heavy', topK: 100, vector: [1, 0], includeMetadata: true } })).status).toBe(200);
  });

  it('refuses unknown body keys by default, and drops them when told to ignore them', async () => {
    const lenient = await startPineconeEmulator({ unknownFields: 'ignore' });
    try {
      const spec = { serverless: { cloud: 'aws', region: 'us-east-1', extra: 1 } };
      const call = (url: string, body: unknown) =>
        fetch(url, { method: 'POST', headers: { 'Api-Key': lenient.apiKey, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const created = await call(`${lenient.controllerHostUrl}/indexes`, { name: 'lenient', dimension: 2, spec, replicas: 2 });
      expect(created.status).toBe(201);
      const lenientHost = `http://${((await created.json()) as { host: string }).host}`;
      const upserted = await call(`${lenientHost}/vectors/upsert`, { vectors: [{ id: 'a', values: [1, 0], extra: 1 }], upsertAll: true });
      expect(upserted.status).toBe(200);
      const queried = await call(`${lenientHost}/query`, { topK: 1, vector: [1, 0], top_k: 5, includeMetadata: true });
      expect(await queried.json()).toMatchObject({ matches: [{ id: 'a' }] });
    } finally {
      await lenient.stop();
    }
    expect((await data('/query', { body: { topK: 1, vector: [1, 0], top_k: 5 } })).status).toBe(400);
  });

  it('refuses request bodies over 2 MB', async () => {
    const vectors = Array.from({ length: 800 }, (_, n) => ({ id: `big-${n}`, values: [1, 0], metadata: { text: 'y'.repeat(3000) } }));
    expect((await data('/vectors/upsert', { body: { vectors } })).status).toBe(400);
  });

  it('answers 404 for deletes in a namespace that does not exist, and for a dropped index host', async () => {
    expect(await data('/vectors/delete', { body: { deleteAll: true, namespace: 'never-written' } })).toMatchObject({ status: 404, body: { code: 5 } });
    const spec = { serverless: { cloud: 'aws', region: 'us-east-1' } };
    const temporary = await send('/indexes', { body: { name: 'temporary', dimension: 2, spec } });
    await send('/indexes/temporary', { method: 'DELETE' });
    expect((await send('/query', { base: `http://${temporary.body.host}`, body: { topK: 1, vector: [1, 0] } })).status).toBe(404);
  });

  it('evaluates filters with list containment and type-strict equality', async () => {
    await data('/vectors/upsert', {
      body: {
        namespace: 'filters',
        vectors: [
          { id: 'a', values: [1, 0], metadata: { tags: ['x', 'y'], year: 2024 } },
          { id: 'b', values: [1, 0], metadata: { tags: ['z'], year: '2024' } },
          { id: 'c', values: [1, 0], metadata: {} },
        ],
      },
    });
    const ids = async (filter: unknown) =>
      Object.keys((await data('/vectors/fetch_by_metadata', { body: { namespace: 'filters', filter } })).body.vectors).sort();
    expect(await ids({ tags: 'x' })).toEqual(['a']);
    expect(await ids({ tags: { $nin: ['x'] } })).toEqual(['b']);
    expect(await ids({ year: 2024 })).toEqual(['a']);
    expect(await ids({ year: { $gte: 2000 } })).toEqual(['a']);
    expect(await ids({ year: { $ne: 2024 } })).toEqual(['b']);
    expect(await ids({ year: { $exists: false } })).toEqual(['c']);
    expect(await ids({ $or: [{ tags: 'z' }, { year: 2024 }] })).toEqual(['a', 'b']);
  });

  it('ranks euclidean by squared distance, smallest first, and dot product by the product', async () => {
    const spec = { serverless: { cloud: 'aws', region: 'us-east-1' } };
    const euclidean = await send('/indexes', { body: { name: 'euclid', dimension: 2, metric: 'euclidean', spec } });
    const base = `http://${euclidean.body.host}`;
    await send('/vectors/upsert', { base, body: { vectors: [{ id: 'near', values: [1, 1] }, { id: 'far', values: [4, 5] }] } });
    const hits = (await send('/query', { base, body: { topK: 2, vector: [1, 2] } })).body.matches;
    expect(hits).toEqual([
      { id: 'near', score: 1, values: [] },
      { id: 'far', score: 18, values: [] },
    ]);
    await send('/indexes/euclid', { method: 'DELETE' });
  });

  it('scores sparse-dense records by dense plus sparse dot product, only in a dotproduct index', async () => {
    const spec = { serverless: { cloud: 'aws', region: 'us-east-1' } };
    const hybrid = await send('/indexes', { body: { name: 'hybrid', dimension: 2, metric: 'dotproduct', spec } });
    const base = `http://${hybrid.body.host}`;
    const vectors = [
      { id: 'both', values: [1, 0], sparseValues: { indices: [7, 4_294_967_295], values: [0.5, 2] } },
      { id: 'one', values: [0, 1], sparseValues: { indices: [7], values: [3] } },
      { id: 'none', values: [1, 1] },
    ];
    expect((await send('/vectors/upsert', { base, body: { vectors } })).status).toBe(200);
    // A zero dense vector leaves the sparse dot product alone to rank; unmatched records score 0.
    const sparseOnly = await send('/query', { base, body: { topK: 3, vector: [0, 0], sparseVector: { indices: [7, 4_294_967_295], values: [1, 1] } } });
    expect(sparseOnly.body.matches).toEqual([
      { id: 'one', score: 3, values: [] },
      { id: 'both', score: 2.5, values: [] },
      { id: 'none', score: 0, values: [] },
    ]);
    const mixed = await send('/query', { base, body: { topK: 1, vector: [1, 0], sparseVector: { indices: [7], values: [2] }, includeValues: true } });
    expect(mixed.body.matches).toEqual([{ id: 'one', score: 6, values: [0, 1], sparseValues: { indices: [7], values: [3] } }]);
    const fetched = await send('/vectors/fetch?ids=both', { base });
    expect(fetched.body.vectors.both.sparseValues).toEqual({ indices: [7, 4_294_967_295], values: [0.5, 2] });
    const badSparse: unknown[] = [
      { indices: [1, 2], values: [1] },
      { indices: [1, 1], values: [1, 2] },
      { indices: [4_294_967_296], values: [1] },
      { indices: [-1], values: [1] },
      { indices: [1.5], values: [1] },
      { indices: ['1'], values: [1] },
      { indices: Array.from({ length: 1001 }, (_, n) => n), values: Array.from({ length: 1001 }, () => 1) },
      { indices: [], values: [] },
    ];
    for (const sparseValues of badSparse) {
      const upsert = await send('/vectors/upsert', { base, body: { vectors: [{ id: 'bad', values: [1, 0], sparseValues }] } });
      expect(upsert, JSON.stringify(sparseValues).slice(0, 60)).toMatchObject({ status: 400, body: { code: 3 } });
      const query = await send('/query', { base, body: { topK: 1, vector: [1, 0], sparseVector: sparseValues } });
      expect(query, JSON.stringify(sparseValues).slice(0, 60)).toMatchObject({ status: 400, body: { code: 3 } });
    }
    const full = { indices: Array.from({ length: 1000 }, (_, n) => n * 7), values: Array.from({ length: 1000 }, () => 0.5) };
    expect((await send('/vectors/upsert', { base, body: { vectors: [{ id: 'full', values: [1, 0], sparseValues: full }] } })).status).toBe(200);
    expect((await send('/vectors/upsert', { base, body: { vectors: [{ id: 'sparse', sparseValues: { indices: [1], values: [1] } }] } })).status).toBe(400);
    expect((await send('/vectors/fetch?ids=bad&ids=sparse', { base })).body.vectors).toEqual({});
    await send('/indexes/hybrid', { method: 'DELETE' });

    // Other metrics take sparse values on upsert but refuse a query with them.
    expect((await data('/vectors/upsert', { body: { vectors: [{ id: 'kept', values: [1, 0], sparseValues: { indices: [1], values: [1] } }], namespace: 'sparse' } })).status).toBe(200);
    expect(await data('/query', { body: { namespace: 'sparse', topK: 1, vector: [1, 0], sparseVector: { indices: [1], values: [1] } } }))
      .toMatchObject({ status: 400, body: { code: 3, message: 'Index configuration does not support sparse values' } });
    await data('/namespaces/sparse', { method: 'DELETE' });
  });

  it('shows writes only after the freshness lag', async () => {
    emulator.freshnessLagMs = 150;
    try {
      await data('/vectors/upsert', { body: { namespace: 'lagging', vectors: [{ id: 'late', values: [1, 0] }] } });
      expect((await data('/vectors/fetch?ids=late&namespace=lagging')).body.vectors).toEqual({});
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(Object.keys((await data('/vectors/fetch?ids=late&namespace=lagging')).body.vectors)).toEqual(['late']);
    } finally {
      emulator.freshnessLagMs = 0;
    }
  });

  it('fails injected requests with the asked status and Retry-After', async () => {
    emulator.inject({ status: 429, times: 1, pathEndsWith: '/query', retryAfterSeconds: 2 });
    const response = await fetch(`http://${host}/query`, {
      method: 'POST',
      headers: { 'Api-Key': emulator.apiKey, 'X-Pinecone-Api-Version': EMULATED_API_VERSION },
      body: JSON.stringify({ topK: 1, vector: [1, 0] }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toMatchObject({ code: 8 });
    expect((await data('/query', { body: { topK: 1, vector: [1, 0] } })).status).toBe(200);
  });
});
