import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorRequests } from './emulator-requests.js';
import { schemaProblems } from './openapi-schema-check.js';
import { startQdrantEmulator, type QdrantEmulator } from './qdrant-emulator.js';

/**
 * Sparse vectors on the wire: collection config, points, queries with `using` and `params.idf`,
 * and vectors in answers, against Qdrant 1.19.0's own tests (tests/openapi/test_sparse_*.py) and
 * the sources named in `sparse-vectors.ts` and `sparse-search.ts`.
 */
let emulator: QdrantEmulator;
beforeAll(async () => {
  emulator = await startQdrantEmulator();
});
afterAll(() => emulator.stop());

const { call, ok } = emulatorRequests(() => emulator.url);
async function refused(method: string, path: string, body: unknown, status: number): Promise<string> {
  const answer = await call(method, path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return answer.body.status.error as string;
}

/** Qdrant's IDF in float64, as its own tests compute the expectation (`expected_idf`). */
const idf = (documents: number, containing: number) => Math.log((documents - containing + 0.5) / (containing + 0.5) + 1);

let created = 0;
async function collection(extra: Record<string, unknown> = {}, modifier: 'idf' | 'none' = 'idf'): Promise<string> {
  const name = `sparse-${(created += 1)}`;
  await ok('PUT', `/collections/${name}`, { vectors: { size: 2, distance: 'Dot' }, sparse_vectors: { text: { modifier } }, ...extra });
  return `/collections/${name}`;
}

/** test_sparse_idf_corpus.py's layout: tenants a and b, their sparse dims, all values 1. */
const layout: [string, number[]][] = [['a', [0, 1]], ['a', [0]], ['b', [0, 1, 2]], ['b', [1]]];
const layoutPoints = layout.map(([tenant, dims], id) => ({
  id, vector: { '': [1, 0], text: { indices: dims, values: dims.map(() => 1) } }, payload: { tenant, idx: id },
}));
const query = { indices: [0, 1, 2], values: [1, 1, 1] };
const tenant = (value: string) => ({ must: [{ key: 'tenant', match: { value } }] });

async function scores(path: string, body: Record<string, unknown> = {}): Promise<Record<string, number>> {
  const { points } = await ok('POST', `${path}/points/query`, { query, using: 'text', limit: 10, ...body });
  return Object.fromEntries(points.map((point: { id: number; score: number }) => [point.id, point.score]));
}

describe('collections with sparse vectors', () => {
  it('creates one beside the unnamed dense vector and echoes its parameters as given', async () => {
    const path = await collection({ sparse_vectors: { text: { modifier: 'idf', index: { on_disk: false, full_scan_threshold: null } }, plain: {} } });
    const info = await ok('GET', path);
    expect(info.config.params.vectors).toEqual({ size: 2, distance: 'Dot' });
    expect(info.config.params.sparse_vectors).toEqual({ text: { modifier: 'idf', index: { on_disk: false } }, plain: {} });
    expect(schemaProblems('CollectionInfo', info)).toEqual([]);
    expect((await ok('GET', '/collections/sparse-1')).config.params).toMatchObject({ sparse_vectors: { text: { modifier: 'idf' } } });
  });

  it('refuses the names and values Qdrant refuses (test_sparse_vector_persistence.py)', async () => {
    const vectors = { size: 2, distance: 'Dot' };
    expect(await refused('PUT', '/collections/empty-name', { vectors, sparse_vectors: { '': {} } }, 400)).toBe('Wrong input: Sparse vector name cannot be empty');
    expect(await refused('PUT', '/collections/slash-name', { vectors, sparse_vectors: { 'a/b': {} } }, 400))
      .toBe('Wrong input: Invalid sparse vector name `a/b`: vector name cannot contain "/" char');
    expect(await refused('PUT', '/collections/long-name', { vectors, sparse_vectors: { ['x'.repeat(201)]: {} } }, 400)).toMatch(/at most 200 bytes long/);
    expect(await refused('PUT', '/collections/bad-modifier', { vectors, sparse_vectors: { text: { modifier: 'bm25' } } }, 400)).toMatch(/^Format error in JSON body/);
    expect(await refused('PUT', '/collections/datatype', { vectors, sparse_vectors: { text: { index: { datatype: 'uint8' } } } }, 501)).toMatch(/`datatype`/);
    expect(await refused('PUT', '/collections/sparse-only', { sparse_vectors: { text: {} } }, 501)).toMatch(/without a dense vector/);
    expect(await refused('PUT', '/collections/named-dense', { vectors: { dense: vectors } }, 501)).toMatch(/named dense vectors/);
    expect(emulator.collections.has('empty-name')).toBe(false);
  });
});

describe('points with sparse vectors', () => {
  it('stores them sorted by index in float32 and returns them as Qdrant does, per selection', async () => {
    const path = await collection();
    await ok('PUT', `${path}/points?wait=true`, { points: [
      { id: 1, vector: { '': [1, 2], text: { indices: [9, 3, 5], values: [0.1, 0.3, 0.5] } } },
      { id: 2, vector: [3, 4] },
      { id: 3, vector: { '': [5, 6] } },
    ] });
    const sorted = { indices: [3, 5, 9], values: [0.3, 0.5, 0.1].map(Math.fround) };
    const all = await ok('POST', `${path}/points`, { ids: [1, 2, 3], with_vector: true, with_payload: false });
    expect(all).toEqual([
      { id: 1, payload: null, vector: { '': [1, 2], text: sorted } },
      { id: 2, payload: null, vector: [3, 4] },
      { id: 3, payload: null, vector: [5, 6] },
    ]);
    for (const record of all) expect(schemaProblems('Record', record)).toEqual([]);
    const dense = await ok('POST', `${path}/points/scroll`, { with_vector: [''], with_payload: false });
    expect(dense.points.map((point: { vector: unknown }) => point.vector)).toEqual([[1, 2], [3, 4], [5, 6]]);
    const sparse = await ok('POST', `${path}/points/scroll`, { with_vector: ['text'], with_payload: false, limit: 2 });
    expect(sparse.points.map((point: { vector: unknown }) => point.vector)).toEqual([{ text: sorted }, {}]);
    expect(schemaProblems('ScrollResult', sparse)).toEqual([]);
    expect(await refused('POST', `${path}/points/scroll`, { with_vector: ['nope'] }, 400)).toBe('Wrong input: Not existing vector name error: nope');
    // An upsert replaces every vector of a point: one written again without `text` loses it.
    await ok('PUT', `${path}/points?wait=true`, { points: [{ id: 1, vector: [1, 2] }] });
    expect((await ok('POST', `${path}/points`, { ids: [1], with_vector: true }))[0].vector).toEqual([1, 2]);
  });

  it('refuses unequal lengths and repeated indices with 422 at `?` (test_sparse_vector_validations.py)', async () => {
    const path = await collection();
    const upsert = (text: unknown) => ({ points: [{ id: 1, vector: { '': [1, 0], text } }] });
    expect(await refused('PUT', `${path}/points?wait=true`, upsert({ indices: [100, 500], values: [0.9, 0.8, 0.5] }), 422))
      .toBe('Validation error in JSON body: [points[0].vector.?.values: Validation error: must be the same length as indices [{}]]');
    expect(await refused('PUT', `${path}/points?wait=true`, upsert({ indices: [100, 500, 500], values: [0.9, 0.8, 0.5] }), 422))
      .toBe('Validation error in JSON body: [points[0].vector.?.indices: Validation error: must be unique [{}]]');
    expect(await ok('POST', `${path}/points/count`, {})).toEqual({ count: 0 });
  });

  it('refuses unknown names, the wrong kind of vector, and indices outside u32 with 400', async () => {
    const path = await collection();
    const upsert = (vector: unknown) => ({ points: [{ id: 1, vector }] });
    const sparse = { indices: [1], values: [1] };
    expect(await refused('PUT', `${path}/points`, upsert({ '': [1, 0], other: sparse }), 400)).toBe('Wrong input: Not existing vector name error: other');
    expect(await refused('PUT', `${path}/points`, upsert({ '': sparse }), 400)).toBe('Wrong input: Conversion between sparse and regular vectors failed');
    expect(await refused('PUT', `${path}/points`, upsert({ '': [1, 0], text: [1, 0] }), 400)).toBe('Wrong input: Conversion between sparse and regular vectors failed');
    expect(await refused('PUT', `${path}/points`, upsert({ '': [1, 0, 0], text: sparse }), 400)).toMatch(/Vector dimension error: expected dim: 2, got 3/);
    for (const index of [-1, 2 ** 32, 1.5]) {
      expect(await refused('PUT', `${path}/points`, upsert({ '': [1, 0], text: { indices: [index], values: [1] } }), 400)).toMatch(/^Format error in JSON body/);
    }
    expect(await refused('PUT', `${path}/points`, upsert({ text: sparse }), 501)).toMatch(/without its dense vector/);
    expect(await refused('PUT', `${path}/points`, upsert({ '': [[1, 0]] }), 501)).toMatch(/multi-dense/);
  });
});

describe('sparse queries', () => {
  it('scores by dot product over shared indices only, with limit, offset and threshold', async () => {
    const path = await collection({}, 'none');
    await ok('PUT', `${path}/points?wait=true`, { points: [
      { id: 1, vector: { '': [1, 0], text: { indices: [1, 2], values: [0.5, 2] } } },
      { id: 2, vector: { '': [1, 0], text: { indices: [2], values: [1] } } },
      { id: 3, vector: { '': [1, 0], text: { indices: [7], values: [9] } } },
      { id: 4, vector: [1, 0] },
    ] });
    const body = { query: { indices: [2, 1], values: [3, 1] }, using: 'text' };
    const { points } = await ok('POST', `${path}/points/query`, { ...body, with_vector: true });
    expect(points.map(({ id, score }: { id: number; score: number }) => [id, score])).toEqual([[1, 6.5], [2, 3]]);
    expect(schemaProblems('QueryResponse', { points })).toEqual([]);
    const nearest = await ok('POST', `${path}/points/query`, { ...body, query: { nearest: body.query }, offset: 1, score_threshold: 2 });
    expect(nearest.points.map((point: { id: number }) => point.id)).toEqual([2]);
  });

  it('weights the query by IDF over the whole shard (test_explicit_global_matches_default)', async () => {
    const path = await collection();
    await ok('PUT', `${path}/points?wait=true`, { points: [
      ...layoutPoints,
      // Neither counts as a document globally: one has no sparse vector, one an empty one.
      { id: 4, vector: [1, 0], payload: { tenant: 'a' } },
      { id: 5, vector: { '': [1, 0], text: { indices: [], values: [] } }, payload: { tenant: 'a' } },
    ] });
    const global = await scores(path);
    expect(await scores(path, { params: { idf: 'global' } })).toEqual(global);
    const weights = [idf(4, 3), idf(4, 3), idf(4, 1)];
    expect(global[0]).toBeCloseTo(weights[0]! + weights[1]!, 6);
    expect(global[1]).toBeCloseTo(weights[0]!, 6);
    expect(global[2]).toBeCloseTo(weights[0]! + weights[1]! + weights[2]!, 6);
    expect(global[3]).toBeCloseTo(weights[1]!, 6);
    const { points } = await ok('POST', `${path}/points/query`, { query, using: 'text' });
    expect(points.map((point: { id: number }) => point.id)).toEqual([2, 0, 1, 3]);
  });

  it('counts IDF over the corpus filter only, never narrowed by the retrieval filter (test_sparse_idf_corpus.py)', async () => {
    const path = await collection();
    await ok('PUT', `${path}/points?wait=true`, { points: layoutPoints });
    const corpus = { params: { idf: { corpus: tenant('a') } } };
    const overA = await scores(path, corpus);
    const weights = [idf(2, 2), idf(2, 1), idf(2, 0)];
    expect(overA[2]).toBeCloseTo(weights[0]! + weights[1]! + weights[2]!, 6);
    expect(overA[3]).toBeCloseTo(weights[1]!, 6);
    const narrowed = await scores(path, { ...corpus, filter: tenant('b') });
    expect(narrowed).toEqual({ 2: overA[2], 3: overA[3] });
    const empty = await scores(path, { params: { idf: { corpus: tenant('missing') } } });
    expect(empty[1]).toBeCloseTo(Math.LN2, 6);
    expect(await scores(path, { params: { idf: { corpus: { should: [tenant('a'), tenant('b')] } } } })).toEqual(await scores(path));
    // A corpus counts a point holding an empty sparse vector as a document; global statistics do not.
    await ok('PUT', `${path}/points?wait=true`, { points: [{ id: 9, vector: { '': [1, 0], text: { indices: [], values: [] } }, payload: { tenant: 'a' } }] });
    expect((await scores(path, corpus))[3]).toBeCloseTo(idf(3, 1), 6);
    expect((await scores(path))[3]).toBeCloseTo(idf(4, 3), 6);
  });

  it('keeps each shard key\'s statistics to itself', async () => {
    const path = await collection({ sharding_method: 'custom' });
    await ok('PUT', `${path}/shards`, { shard_key: 'a' });
    await ok('PUT', `${path}/shards`, { shard_key: 'b' });
    for (const key of ['a', 'b']) {
      await ok('PUT', `${path}/points?wait=true`, { points: layoutPoints.filter(({ payload }) => payload.tenant === key), shard_key: key });
    }
    const onlyA = await scores(path, { shard_key: 'a' });
    expect(onlyA[0]).toBeCloseTo(idf(2, 2) + idf(2, 1), 6);
    // Without a shard key both shards answer, each scored with its own N and df.
    expect(await scores(path)).toMatchObject({ ...onlyA, ...(await scores(path, { shard_key: 'b' })) });
  });

  it('refuses what Qdrant refuses, with its status and message', async () => {
    const path = await collection();
    const plain = await collection({ sparse_vectors: { text: {} } });
    const at = (body: unknown, status: number, target = path) => refused('POST', `${target}/points/query`, body, status);
    expect(await at({ query, using: 'nope' }, 400)).toBe('Wrong input: Not existing vector name error: nope');
    expect(await at({ query }, 400)).toBe('Wrong input: Conversion between sparse and regular vectors failed');
    expect(await at({ query: [1, 0], using: 'text' }, 400)).toBe('Wrong input: Conversion between sparse and regular vectors failed');
    const idfError = 'Wrong input: Validation failed: search param `idf` requires a sparse vector with the `idf` modifier, which vector';
    expect(await at({ query: [1, 0], params: { idf: { corpus: tenant('a') } } }, 400)).toBe(`${idfError} "" is not`);
    expect(await at({ query, using: 'text', params: { idf: 'global' } }, 400, plain)).toBe(`${idfError} "text" is not`);
    expect(await at({ query, using: 'text', params: { idf: {} } }, 400)).toMatch(/^Format error in JSON body/);
    expect(await at({ query, using: 'text', params: { idf: 'local' } }, 400)).toMatch(/^Format error in JSON body/);
    expect(await at({ query: { indices: [1, 2], values: [1] }, using: 'text' }, 422))
      .toBe('Validation error in JSON body: [internal.query.values: Validation error: must be the same length as indices [{}]]');
    expect(await at({ query: { nearest: { indices: [1, 1], values: [1, 1] } }, using: 'text' }, 422))
      .toBe('Validation error in JSON body: [internal.query.nearest.indices: Validation error: must be unique [{}]]');
    expect(await at({ query, using: 'text', params: { idf: { corpus: { must: [{ key: 'tenant' }] } } } }, 422))
      .toMatch(/^Validation error in JSON body: \[internal\.params\.idf\.must\[0\]: .*At least one field condition/);
    expect(await at({ query, using: 'text', params: { idf: { corpus: { must: [], colour: 'red' } } } }, 400)).toMatch(/unknown field `colour`/);
    expect(await at({ query: 7, using: 'text' }, 501)).toMatch(/point id as the query/);
    expect(await at({ query: { nearest: query, mmr: { diversity: 0.5 } }, using: 'text' }, 501)).toMatch(/`mmr`/);
  });
});
