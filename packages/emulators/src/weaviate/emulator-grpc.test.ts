import { Status } from 'nice-grpc';
import weaviate, { Filters, type WeaviateClient } from 'weaviate-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToEmulator, type EmulatorConnections } from './emulator-connections.js';
import type { WeaviateEmulator } from './weaviate-emulator.js';

/**
 * The gRPC half. Accepted requests go through weaviate-client (the wire format it really
 * sends); malformed ones the client would not build go through a raw nice-grpc client made
 * from the same service definitions.
 */
let emulator: WeaviateEmulator;
let client: WeaviateClient;
let connections: EmulatorConnections;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let raw: any;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const filter = weaviate.filter;

beforeAll(async () => {
  connections = await connectToEmulator();
  ({ emulator, client, raw } = connections);
  await client.collections.create({
    name: 'Doc',
    properties: [
      { name: 'path', dataType: 'text', tokenization: 'field' },
      { name: 'words', dataType: 'text' },
      { name: 'year', dataType: 'number' },
      { name: 'pages', dataType: 'int' },
      { name: 'hidden', dataType: 'text', indexFilterable: false },
    ],
    vectorizers: weaviate.configure.vectors.selfProvided({ vectorIndexConfig: weaviate.configure.vectorIndex.hnsw({ distanceMetric: 'cosine' }) }),
  });
  await client.collections.create({
    name: 'Shared',
    multiTenancy: weaviate.configure.multiTenancy({ enabled: true }),
    properties: [{ name: 'path', dataType: 'text', tokenization: 'field' }],
    vectorizers: weaviate.configure.vectors.selfProvided(),
  });
  await client.collections.use('Shared').tenants.create([{ name: 'acme' }, { name: 'sleepy', activityStatus: 'INACTIVE' }]);
});
afterAll(async () => {
  await connections.close();
});

describe('weaviate emulator, gRPC', () => {
  it('writes, searches exactly by cosine distance, and filters by field-tokenized text', async () => {
    const docs = client.collections.use('Doc');
    const written = await docs.data.insertMany([
      { id: id(1), properties: { path: 'kb/a_c/doc', words: 'kb/a_c/doc', year: 2024, pages: 3 }, vectors: [1, 0, 0] },
      { id: id(2), properties: { path: 'kb/abc/doc', words: 'kb/abc/doc', year: 2022.5, pages: 10 }, vectors: [0, 1, 0] },
      { id: id(3), properties: { path: 'kb/a_c', words: 'kb/a_c', year: 2025, pages: 7 }, vectors: [0.9, 0.1, 0] },
    ]);
    expect(written.hasErrors).toBe(false);
    const near = await docs.query.nearVector([1, 0, 0], { limit: 2, returnMetadata: ['distance'] });
    expect(near.objects.map((object) => object.uuid)).toEqual([id(1), id(3)]);
    expect(near.objects[0]!.metadata!.distance).toBeCloseTo(0, 6);
    const exact = await docs.query.fetchObjects({ filters: filter.byProperty('path').equal('kb/a_c') });
    expect(exact.objects.map((object) => object.uuid)).toEqual([id(3)]);
    // `word` tokenization splits on punctuation: the same filter matches more, as on Weaviate.
    const words = await docs.query.fetchObjects({ filters: filter.byProperty('words').equal('kb/a_c') });
    expect(words.objects.map((object) => object.uuid).sort()).toEqual([id(1), id(3)]);
    const range = await docs.aggregate.overAll({ filters: filter.byProperty('year').greaterOrEqual(2023.5) });
    expect(range.totalCount).toBe(2);
    expect((await docs.aggregate.overAll({ filters: filter.byProperty('pages').lessThan(8) })).totalCount).toBe(2);
  });

  it('reports per-object batch errors: unknown property, wrong type, wrong dimension, bad tenant use', async () => {
    const result = await client.collections.use('Doc').data.insertMany([
      { id: id(10), properties: { nope: 'x' }, vectors: [1, 0, 0] },
      { id: id(11), properties: { year: 'not a number', pages: 1.5 }, vectors: [1, 0, 0] },
      { id: id(12), properties: { path: 'p' }, vectors: [1, 0] },
      { id: id(13), properties: { path: 'ok' }, vectors: [0, 0, 1] },
    ]);
    expect(Object.keys(result.errors).map(Number)).toEqual([0, 1, 2]);
    expect(result.errors[0]!.message).toMatch(/no such prop with name 'nope'/);
    expect(result.errors[1]!.message).toMatch(/invalid number property 'year'/);
    expect(result.errors[2]!.message).toMatch(/vector with length 2/);
    const shared = client.collections.use('Shared');
    expect(Object.values((await shared.data.insertMany([{ properties: { path: 'x' } }])).errors)[0]!.message).toMatch(/multi-tenancy enabled, but request was without tenant/);
    expect(Object.values((await shared.withTenant('ghost').data.insertMany([{ properties: { path: 'x' } }])).errors)[0]!.message).toMatch(/tenant not found/);
    const withTenant = client.collections.use('Doc').withTenant('acme');
    expect(Object.values((await withTenant.data.insertMany([{ properties: { path: 'x' } }])).errors)[0]!.message).toMatch(/multi-tenancy disabled/);
  });

  it('refuses malformed UUIDs and objects of unknown collections, object by object', async () => {
    const reply = await raw.batchObjects({
      objects: [
        { uuid: 'not-a-uuid', collection: 'Doc', properties: { nonRefProperties: { path: 'x' } } },
        { uuid: id(20), collection: 'Nowhere', properties: { nonRefProperties: {} } },
        { uuid: id(21), collection: 'Doc', properties: { nonRefProperties: { path: 'fine' } } },
      ],
    });
    expect(reply.errors.map((error: { index: number }) => error.index)).toEqual([0, 1]);
    expect(reply.errors[0].error).toMatch(/invalid UUID/);
    expect(reply.errors[1].error).toMatch(/could not find class Nowhere/);
    await client.collections.use('Doc').data.deleteMany(filter.byProperty('path').equal('fine'));
  });

  it('refuses reads of unknown collections and tenants, and of inactive tenants until activated', async () => {
    await expect(client.collections.use('Nowhere').query.fetchObjects()).rejects.toThrow(/could not find class Nowhere/);
    await expect(client.collections.use('Shared').withTenant('ghost').query.fetchObjects()).rejects.toThrow(/tenant not found/);
    await expect(client.collections.use('Shared').query.fetchObjects()).rejects.toThrow(/without tenant/);
    await expect(client.collections.use('Shared').withTenant('sleepy').query.fetchObjects()).rejects.toThrow(/tenant not active/);
    await client.collections.use('Shared').tenants.activate('sleepy');
    expect((await client.collections.use('Shared').withTenant('sleepy').query.fetchObjects()).objects).toEqual([]);
    const tenants = await client.collections.use('Shared').tenants.get();
    expect(Object.keys(tenants).sort()).toEqual(['acme', 'sleepy']);
  });

  it('refuses filters Weaviate refuses: unknown or unfilterable property, wrong value type, IsNull without its index', async () => {
    const docs = client.collections.use('Doc');
    await expect(docs.query.fetchObjects({ filters: filter.byProperty('nope').equal('x') })).rejects.toThrow(/no such prop/);
    await expect(docs.query.fetchObjects({ filters: filter.byProperty('hidden').equal('x') })).rejects.toThrow(/requires inverted index/);
    await expect(docs.query.fetchObjects({ filters: filter.byProperty('year').equal('2024' as never) })).rejects.toThrow(/cannot use "valueText" on type "number"/);
    // The client sends integers as valueInt, which Weaviate refuses on number properties.
    await expect(docs.query.fetchObjects({ filters: filter.byProperty('year').greaterThan(2024) })).rejects.toThrow(/cannot use "valueInt" on type "number", use "valueNumber" instead/);
    await expect(docs.query.fetchObjects({ filters: filter.byProperty('pages').greaterThan(2.5) })).rejects.toThrow(/cannot use "valueNumber" on type "int"/);
    await expect(docs.query.fetchObjects({ filters: filter.byProperty('path').isNull(true) })).rejects.toThrow(/indexNullState/);
  });

  it('refuses a cursor combined with a filter, and pages past QUERY_MAXIMUM_RESULTS', async () => {
    const error = await raw.search({ collection: 'Doc', after: id(1), limit: 2, filters: { operator: 1, valueText: 'x', target: { property: 'path' } }, uses127Api: true }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: Status.INVALID_ARGUMENT });
    const deep = await raw.search({ collection: 'Doc', offset: 9_999, limit: 2, uses127Api: true }).catch((failure: unknown) => failure);
    expect(deep).toMatchObject({ code: Status.INVALID_ARGUMENT });
    const page = await raw.search({ collection: 'Doc', after: id(1), limit: 10, metadata: { uuid: true }, uses127Api: true });
    expect(page.results.map((result: { metadata: { id: string } }) => result.metadata.id)).toEqual([id(2), id(3), id(13)]);
  });

  it('deletes by filter only: a batch delete without filters is refused', async () => {
    const missing = await raw.batchDelete({ collection: 'Doc' }).catch((failure: unknown) => failure);
    expect(missing).toMatchObject({ code: Status.INVALID_ARGUMENT });
    // As the client's "should be able to dryRun delete many objects with a filter": a dry run counts its matches as successful.
    const dry = await client.collections.use('Doc').data.deleteMany(filter.byProperty('year').lessThan(2024.5), { dryRun: true });
    expect(dry).toMatchObject({ matches: 2, successful: 2, failed: 0 });
    expect((await client.collections.use('Doc').aggregate.overAll()).totalCount).toBe(4);
    const done = await client.collections.use('Doc').data.deleteMany(filter.byProperty('year').lessThan(2024.5));
    expect(done).toMatchObject({ matches: 2, successful: 2, failed: 0 });
    expect((await client.collections.use('Doc').aggregate.overAll()).totalCount).toBe(2);
  });

  it('negates with Not (Weaviate 1.33), keeping objects that lack the property', async () => {
    const docs = client.collections.use('Doc');
    const notYear = await docs.query.fetchObjects({ filters: Filters.not(filter.byProperty('pages').equal(7)) });
    expect(notYear.objects.map((object) => object.uuid)).toEqual([id(13)]);
  });

  it('fails injected calls with the injected code, then serves again', async () => {
    emulator.injectFault({ transport: 'grpc', times: 1, code: Status.RESOURCE_EXHAUSTED });
    await expect(client.collections.use('Doc').aggregate.overAll()).rejects.toThrow(/RESOURCE_EXHAUSTED/);
    expect((await client.collections.use('Doc').aggregate.overAll()).totalCount).toBe(2);
  });
});
