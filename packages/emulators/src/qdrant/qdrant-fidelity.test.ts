import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorRequests } from './emulator-requests.js';
import { schemaProblems } from './openapi-schema-check.js';
import { startQdrantEmulator, type QdrantEmulator } from './qdrant-emulator.js';

/**
 * The emulator against Qdrant 1.19.0's own material, case by case: each expectation names the
 * test of Qdrant's `tests/openapi` suite or the source it follows (see the headers of
 * `request-schemas.ts`, `collection-admin.ts` and `payload-selection.ts`).
 */
let emulator: QdrantEmulator;
beforeAll(async () => {
  emulator = await startQdrantEmulator();
});
afterAll(() => emulator.stop());

const { call, ok } = emulatorRequests(() => emulator.url);
async function refused(method: string, path: string, body: unknown, status: number) {
  const answer = await call(method, path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return answer.body.status.error as string;
}

const vectors = { size: 4, distance: 'Dot' };
let created = 0;
const fresh = async (extra: Record<string, unknown> = {}) => {
  const name = `fidelity-${(created += 1)}`;
  await ok('PUT', `/collections/${name}`, { vectors, ...extra });
  return `/collections/${name}`;
};

describe('422 for a body that parses but breaks a rule, 400 for one that does not parse', () => {
  it('refuses a field condition without a condition with 422 (test_filter.py test_just_key)', async () => {
    const collection = await fresh();
    const filter = { must: [{ key: 'city' }] };
    for (const [path, body] of [['/points/query', { query: [0.2, 0.1, 0.9, 0.7], limit: 3, filter }], ['/points/count', { filter }]] as const) {
      const error = await refused('POST', `${collection}${path}`, body, 422);
      expect(error).toMatch(/^Validation error in JSON body: \[.*At least one field condition must be specified/);
    }
  });

  it.each(['shard_number', 'replication_factor', 'write_consistency_factor'])('refuses %s: 0 with 422 and -1 with 400 (test_validation.py)', async (field) => {
    expect(await refused('PUT', `/collections/zero-${field}`, { vectors, [field]: 0 }, 422)).toBe(
      `Validation error in JSON body: [${field}: value 0 invalid, must be 1 or larger]`,
    );
    expect(await refused('PUT', `/collections/negative-${field}`, { vectors, [field]: -1 }, 400)).toMatch(/^Format error in JSON body/);
  });

  it('refuses scroll and facet limit 0 with 422, naming the flattened field', async () => {
    const collection = await fresh();
    await ok('PUT', `${collection}/index?wait=true`, { field_name: 'city', field_schema: 'keyword' });
    expect(await refused('POST', `${collection}/points/scroll`, { limit: 0 }, 422)).toBe(
      'Validation error in JSON body: [scroll_request.limit: value 0 invalid, must be 1 or larger]',
    );
    expect(await refused('POST', `${collection}/facet`, { key: 'city', limit: 0 }, 422)).toBe(
      'Validation error in JSON body: [facet_request.limit: value 0 invalid, must be 1 or larger]',
    );
  });

  it('refuses min_should with min_count 0 with 422 (MinShould, lib/segment/src/types.rs)', async () => {
    const collection = await fresh();
    const error = await refused('POST', `${collection}/points/count`, { filter: { min_should: { conditions: [], min_count: 0 } } }, 422);
    expect(error).toContain('min_count must be greater than 0');
  });
});

describe('range limits', () => {
  it('takes vectors of 65536 dimensions and refuses 65537 with 422 (test_limits.py test_vector_dimension_limit)', async () => {
    await ok('PUT', '/collections/widest', { vectors: { size: 65_536, distance: 'Dot' } });
    expect(await refused('PUT', '/collections/too-wide', { vectors: { size: 65_537, distance: 'Dot' } }, 422)).toBe(
      'Validation error in JSON body: [vectors.size: value 65537 invalid, must be from 1 to 65536]',
    );
    expect(await refused('PUT', '/collections/empty-vectors', { vectors: { size: 0, distance: 'Dot' } }, 400)).toMatch(/^Format error/);
  });

  it('refuses hnsw_config.ef_construct below 4 with 422, wherever HNSW settings go (test_validation_body_param)', async () => {
    expect(await refused('PUT', '/collections/ef3', { vectors, hnsw_config: { ef_construct: 3 } }, 422)).toContain('hnsw_config.ef_construct: value 3 invalid, must be 4 or larger');
    expect(await refused('PUT', '/collections/ef3v', { vectors: { ...vectors, hnsw_config: { ef_construct: 0 } } }, 422)).toContain('vectors.hnsw_config.ef_construct');
    expect(await refused('PUT', '/collections/scan9', { vectors, hnsw_config: { full_scan_threshold: 9 } }, 422)).toContain('hnsw_config.full_scan_threshold');
    const collection = await fresh({ hnsw_config: { ef_construct: 4 } });
    expect(await refused('PATCH', collection, { hnsw_config: { ef_construct: 1 } }, 422)).toContain('hnsw_config.ef_construct');
  });

  it('refuses params.hnsw_ef 0 and query limit 0 with 422 (test_validation_search_hnsw_ef_zero, test_query.py)', async () => {
    const collection = await fresh();
    expect(await refused('POST', `${collection}/points/query`, { query: [0.2, 0.1, 0.9, 0.7], limit: 3, params: { hnsw_ef: 0 } }, 422)).toContain('internal.params.hnsw_ef');
    expect(await refused('POST', `${collection}/points/query`, { query: [0.2, 0.1, 0.9, 0.7], limit: 0 }, 422)).toBe(
      'Validation error in JSON body: [internal.limit: value 0 invalid, must be 1 or larger]',
    );
  });
});

describe('unknown fields: refused only in filters and payload selectors', () => {
  it('ignores extra keys in a collection, a point and a query; reads `vectors` as `vector`', async () => {
    const collection = await fresh({ colour: 'red', vectors: { ...vectors, colour: 'red' } });
    await ok('PUT', `${collection}/points?wait=true`, { points: [{ id: 1, vectors: [1, 0, 0, 0], extra: true }, { id: 2, vector: [0, 1, 0, 0] }], note: 'x' });
    const { points } = await ok('POST', `${collection}/points/query`, { query: [1, 0, 0, 0], limit: 1, with_vector: true, colour: 'red' });
    expect(points).toMatchObject([{ id: 1, vector: [1, 0, 0, 0] }]);
    expect(await refused('PUT', `${collection}/points`, { points: [{ id: 3, vector: [1, 0, 0, 0], vectors: [1, 0, 0, 0] }] }, 400)).toMatch(/duplicate field `vector`/);
  });

  it('refuses unknown keys in a filter, a nested filter and a payload selector with 400', async () => {
    const collection = await fresh();
    expect(await refused('POST', `${collection}/points/count`, { filter: { must: [], colour: 'red' } }, 400)).toMatch(/unknown field `colour`/);
    expect(await refused('POST', `${collection}/points/count`, { filter: { must: [{ should: [], colour: 'red' }] } }, 400)).toMatch(/^Format error/);
    expect(await refused('POST', `${collection}/points/scroll`, { with_payload: { include: ['a'], colour: 'red' } }, 400)).toMatch(/^Format error/);
    expect(await refused('POST', `${collection}/points/scroll`, { with_payload: { include: ['a'], exclude: ['b'] } }, 400)).toMatch(/^Format error/);
  });

  it("answers 501, not silence, for a key of Qdrant's schema the emulator does not implement", async () => {
    const collection = await fresh();
    expect(await refused('POST', `${collection}/points/query`, { query: [1, 0, 0, 0], prefetch: { query: [1, 0, 0, 0] } }, 501)).toMatch(/`prefetch`/);
    expect(await refused('PUT', '/collections/quantized', { vectors, quantization_config: { scalar: { type: 'int8' } } }, 501)).toMatch(/`quantization_config`/);
  });
});

describe('collection info as the official CollectionInfo schema has it', () => {
  it('gives params only for an index made with parameters, and counts the points that have the field', async () => {
    const collection = await fresh();
    await ok('PUT', `${collection}/index?wait=true`, { field_name: 'city', field_schema: 'keyword' });
    await ok('PUT', `${collection}/index?wait=true`, { field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true } });
    await ok('PUT', `${collection}/index?wait=true`, { field_name: 'flag', field_schema: 'bool' });
    await ok('PUT', `${collection}/points?wait=true`, {
      points: [
        { id: 1, vector: [1, 0, 0, 0], payload: { city: 'Berlin', tenant: 'a', flag: [true, false] } },
        { id: 2, vector: [0, 1, 0, 0], payload: { city: ['Berlin', 'London'], tenant: 'a' } },
        { id: 3, vector: [0, 0, 1, 0], payload: { tenant: 'b', flag: 'not a bool' } },
      ],
    });
    const info = await ok('GET', collection);
    expect(info.payload_schema).toEqual({
      city: { data_type: 'keyword', points: 2 },
      tenant: { data_type: 'keyword', params: { type: 'keyword', is_tenant: true }, points: 3 },
      flag: { data_type: 'bool', points: 1 },
    });
    expect(schemaProblems('CollectionInfo', info)).toEqual([]);
  });
});

describe('shard keys and payload selectors', () => {
  it('keeps an integer shard key an integer, distinct from its string (test_shard_key.py test_shard_keys_list)', async () => {
    const collection = await fresh({ sharding_method: 'custom' });
    await ok('PUT', `${collection}/shards`, { shard_key: 'test_key' });
    await ok('PUT', `${collection}/shards`, { shard_key: 100 });
    expect(await ok('GET', `${collection}/shards`)).toEqual({ shard_keys: [{ key: 'test_key' }, { key: 100 }] });
    await ok('PUT', `${collection}/points?wait=true`, { points: [{ id: 1, vector: [1, 0, 0, 0] }], shard_key: 100 });
    expect(await ok('POST', `${collection}/points/count`, { shard_key: 100 })).toEqual({ count: 1 });
    expect(await refused('POST', `${collection}/points/count`, { shard_key: '100' }, 400)).toMatch(/Shard key 100 not found/);
  });

  it('selects nested payload by dotted paths (test_payload_selector.py test_payload_selectors)', async () => {
    const collection = await fresh();
    const cities = [{ name: 'Berlin', population: 3.7 }, { name: 'Munich', population: 1.5 }];
    await ok('PUT', `${collection}/points?wait=true`, { points: [{ id: 1, vector: [1, 0, 0, 0], payload: { country: { name: 'Germany', capital: 'Berlin', cities } } }] });
    const select = async (with_payload: unknown) => (await ok('POST', `${collection}/points/scroll`, { with_payload })).points[0].payload;
    expect(await select({ include: ['country.name', 'country.capital'] })).toEqual({ country: { name: 'Germany', capital: 'Berlin' } });
    expect(await select(['country.cities[].name'])).toEqual({ country: { cities: [{ name: 'Berlin' }, { name: 'Munich' }] } });
    expect(await select({ exclude: ['country.cities'] })).toEqual({ country: { name: 'Germany', capital: 'Berlin' } });
    expect(await select({ include: ['country.missing'] })).toEqual({});
  });
});
