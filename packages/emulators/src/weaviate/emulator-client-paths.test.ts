import weaviate, { Filters, type Collection, type WeaviateClient } from 'weaviate-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeaviateEmulator, type WeaviateEmulator } from './weaviate-emulator.js';

/**
 * The data and query paths the tenantvec adapter takes, driven through the official
 * weaviate-client in a multi-tenant collection, asserting what the client's own integration
 * tests assert against a real server (weaviate/typescript-client at 096808dd, test/collections/):
 * data ("insert many objects with a vector without specifying the name", "dryRun delete many
 * objects with a filter", "delete many objects with a filter"), query ("query with nearVector"),
 * filters (contains-all / contains-any / contains-none, AND, OR, NOT), aggregate ("multi-tenancy
 * collection": 100 objects counted over the tenant, a non-existent tenant throws
 * WeaviateQueryError) and tenants ("deactivate and activate a tenant using helper methods").
 */
// The client throws its WeaviateQueryError (not exported from the package entry) for refused searches.
const queryError = { name: 'WeaviateQueryError' };
let emulator: WeaviateEmulator;
let client: WeaviateClient;
let acme: Collection;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  emulator = await startWeaviateEmulator();
  client = await weaviate.connectToCustom({ httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort });
  await client.collections.create({
    name: 'Paths',
    multiTenancy: weaviate.configure.multiTenancy({ enabled: true }),
    properties: [
      { name: 'text', dataType: 'text', tokenization: 'field' },
      { name: 'int', dataType: 'int' },
      { name: 'testProp', dataType: 'text', tokenization: 'field' },
    ],
    vectorizers: weaviate.configure.vectors.selfProvided(),
  });
  await client.collections.use('Paths').tenants.create([{ name: 'acme' }, { name: 'beta' }, { name: 'dozing', activityStatus: 'INACTIVE' }]);
  acme = client.collections.use('Paths').withTenant('acme');
});
afterAll(async () => {
  await client.close();
  await emulator.stop();
});

describe('weaviate emulator through the official client, the adapter paths', () => {
  it('batch-inserts objects with an unnamed vector and returns it as the default one', async () => {
    const insert = await acme.data.insertMany([
      { id: id(1), properties: { text: 'one', int: 1 }, vectors: [1, 2, 3, 4] },
      { id: id(2), properties: { text: 'two', int: 2 }, vectors: [5, 6, 7, 8] },
      { id: id(3), properties: { text: 'three', int: 3 }, vectors: [4, 3, 2, 1] },
    ]);
    expect(insert.hasErrors).toBe(false);
    expect(insert.allResponses).toHaveLength(3);
    expect(Object.values(insert.uuids)).toEqual([id(1), id(2), id(3)]);
    expect((await acme.query.fetchObjectById(id(1), { includeVector: true }))?.vectors.default).toEqual([1, 2, 3, 4]);
    expect((await acme.query.fetchObjectById(id(2), { includeVector: true }))?.vectors.default).toEqual([5, 6, 7, 8]);
    // Tenants are walls: the same id in another tenant is another object, and acme's are not visible there.
    const beta = client.collections.use('Paths').withTenant('beta');
    expect(await beta.query.fetchObjectById(id(1))).toBeNull();
  });

  it('searches near a vector, closest first, within the filters', async () => {
    const near = await acme.query.nearVector([1, 2, 3, 4], { limit: 1 });
    expect(near.objects.map((object) => [object.uuid, object.properties.text])).toEqual([[id(1), 'one']]);
    const uuids = async (filters: Parameters<typeof acme.query.nearVector>[1]) =>
      (await acme.query.nearVector([1, 2, 3, 4], { limit: 10, ...filters })).objects.map((object) => object.properties.text);
    const text = acme.filter.byProperty('text');
    const int = acme.filter.byProperty('int');
    expect(await uuids({ filters: text.containsAny(['two', 'three']) })).toEqual(['two', 'three']);
    expect(await uuids({ filters: text.containsAll(['two']) })).toEqual(['two']);
    expect(await uuids({ filters: text.containsNone(['one', 'three']) })).toEqual(['two']);
    expect(await uuids({ filters: Filters.and(text.equal('one'), int.equal(1)) })).toEqual(['one']);
    expect(await uuids({ filters: Filters.or(text.equal('three'), int.equal(2)) })).toEqual(['two', 'three']);
    expect(await uuids({ filters: Filters.not(text.equal('one')) })).toEqual(['two', 'three']);
    expect(await uuids({ filters: int.greaterThan(1), returnMetadata: ['distance'] })).toEqual(['two', 'three']);
  });

  it('counts with aggregate over the tenant, and throws WeaviateQueryError for a tenant that does not exist', async () => {
    const crowd = client.collections.use('Paths').withTenant('beta');
    const inserted = await crowd.data.insertMany(Array.from({ length: 100 }, () => ({ properties: { text: 'test' }, vectors: [1, 0, 0, 0] })));
    expect(inserted.hasErrors).toBe(false);
    expect((await crowd.aggregate.overAll()).totalCount).toBe(100);
    expect((await acme.aggregate.overAll()).totalCount).toBe(3);
    expect((await acme.aggregate.overAll({ filters: acme.filter.byProperty('int').greaterOrEqual(2) })).totalCount).toBe(2);
    await expect(client.collections.use('Paths').withTenant('non-existing-tenant').aggregate.overAll()).rejects.toMatchObject(queryError);
  });

  it('deletes by filter: a dry run reports the matches as successful and deletes nothing, then they go', async () => {
    await acme.data.insertMany([1, 2, 3].map((n) => ({ id: id(10 + n), properties: { testProp: 'DELETE ME' }, vectors: [0, 0, 1, n] })));
    const byProp = acme.filter.byProperty('testProp').equal('DELETE ME');
    const dry = await acme.data.deleteMany(byProp, { dryRun: true, verbose: true });
    expect(dry).toMatchObject({ failed: 0, matches: 3, successful: 3 });
    expect(dry.objects.map((object) => object.id).sort()).toEqual([id(11), id(12), id(13)]);
    expect((await acme.aggregate.overAll({ filters: byProp })).totalCount).toBe(3);
    expect(await acme.data.deleteMany(byProp)).toMatchObject({ failed: 0, matches: 3, successful: 3 });
    expect(await acme.query.fetchObjectById(id(11))).toBeNull();
    expect((await acme.aggregate.overAll()).totalCount).toBe(3);
  });

  it('follows tenant activity: an inactive tenant refuses reads and writes until activated, and keeps its data', async () => {
    const paths = client.collections.use('Paths');
    const beta = paths.withTenant('beta');
    await paths.tenants.deactivate('beta');
    expect((await paths.tenants.get()).beta!.activityStatus).toBe('INACTIVE');
    expect((await paths.tenants.getByName('beta'))?.activityStatus).toBe('INACTIVE');
    await expect(beta.query.nearVector([1, 0, 0, 0])).rejects.toMatchObject(queryError);
    await expect(beta.aggregate.overAll()).rejects.toMatchObject(queryError);
    expect((await beta.data.insertMany([{ properties: { text: 'late' }, vectors: [1, 0, 0, 0] }])).hasErrors).toBe(true);
    await paths.tenants.activate(['beta']);
    expect((await paths.tenants.get()).beta!.activityStatus).toBe('ACTIVE');
    expect((await beta.aggregate.overAll()).totalCount).toBe(100);
    expect((await paths.tenants.getByNames(['acme', 'dozing', 'non-existing']))).toEqual({
      acme: { name: 'acme', activityStatus: 'ACTIVE' },
      dozing: { name: 'dozing', activityStatus: 'INACTIVE' },
    });
    expect(await paths.tenants.getByName('non-existing')).toBeNull();
  });
});
