import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pinecone } from '@pinecone-database/pinecone';
import { createTenantVectorStore, type IsolationStrategy } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import { sourcePrefix } from '@tenantvec/source-prefix';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';
import { pinecone } from './pinecone-backend.js';

/** With `indexName` or `indexHost`, stores share one existing index, each collection a group of namespaces. */
let emulator: PineconeEmulator;
let host: string;
const one = [1, 0, 0, 0];
const two = [0, 1, 0, 0];

beforeAll(async () => {
  emulator = await startPineconeEmulator();
  const client = new Pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl });
  const model = await client.createIndex({ name: 'shared-index', dimension: 4, metric: 'cosine', spec: { serverless: { cloud: 'aws', region: 'us-east-1' } } });
  host = model!.host;
});
afterAll(() => emulator.stop());

const strategies: [string, () => IsolationStrategy][] = [
  ['namespace-per-tenant', namespacePerTenant],
  ['metadata-filter', metadataFilter],
  ['source-prefix', sourcePrefix],
];

describe.each(strategies)('one configured index × %s', (name, strategy) => {
  it('keeps tenants apart, lists and drops them, in namespaces of the one index', async () => {
    const backend = pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, indexName: 'shared-index' });
    const store = await createTenantVectorStore({ backend, strategy: strategy(), dimension: 4, metric: 'cosine', name: `s_${name.replaceAll('-', '_')}` });
    const [acme, beta] = [store.forTenant('acme'), store.forTenant('beta')];
    await acme.upsert([{ id: 'a', vector: one, metadata: { kind: 'x' }, source: 'kb/fin' }, { id: 'b', vector: two }]);
    await beta.upsert([{ id: 'a', vector: one, metadata: { kind: 'secret' } }]);
    expect((await acme.query({ vector: one, topK: 10 })).map((hit) => hit.id)).toEqual(['a', 'b']);
    expect((await acme.get('a'))!.metadata).toEqual({ kind: 'x' });
    expect(await acme.count({ filter: { kind: 'secret' } })).toBe(0);
    expect(await acme.scope('kb').count()).toBe(1);
    expect((await store.listTenants()).tenants).toEqual(['acme', 'beta']);
    await store.dropTenant('acme');
    expect(await acme.count()).toBe(0);
    expect(await beta.count()).toBe(1);
    expect((await store.listTenants()).tenants).toEqual(['beta']);
    const collections = await backend.listCollections({ prefix: '' });
    expect(collections.length).toBeGreaterThan(0);
    for (const { name: collection } of collections) await backend.dropCollection({ collection });
    expect(await backend.listCollections({ prefix: '' })).toEqual([]);
    expect(await beta.count()).toBe(0);
    await store.close();
  });
});

describe('one configured index', () => {
  it('is reached by host alone, without the control plane', async () => {
    const backend = pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, indexHost: host });
    const before = emulator.requests.filter((request) => request.path.startsWith('/indexes')).length;
    await backend.ensureCollection({ collection: { name: 'by-host', dimension: 4, metric: 'cosine', tenantField: true, partitioned: false } });
    await backend.rawUpsert({ location: { collection: 'by-host' }, records: [{ id: 't:1', recordId: '1', vector: one, metadata: {}, tenant: 't' }] });
    expect(await backend.rawCount({ location: { collection: 'by-host' }, scope: { tenant: 't' } })).toBe(1);
    expect(emulator.requests.filter((request) => request.path.startsWith('/indexes')).length).toBe(before);
    await backend.dropCollection({ collection: 'by-host' });
  });

  it('refuses collection-per-tenant, and a store whose dimension or metric is not the index', async () => {
    const settings = { apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, indexName: 'shared-index' };
    expect(pinecone(settings).capabilities.collections).toBe(false);
    await expect(createTenantVectorStore({ backend: pinecone(settings), strategy: collectionPerTenant(), dimension: 4 })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(createTenantVectorStore({ backend: pinecone(settings), strategy: metadataFilter(), dimension: 8 })).rejects.toMatchObject({ code: 'BACKEND' });
    await expect(createTenantVectorStore({ backend: pinecone(settings), strategy: metadataFilter(), dimension: 4, metric: 'dot' })).rejects.toMatchObject({ code: 'BACKEND' });
  });

  it('reads a collection that was never created as empty, and refuses writes to it', async () => {
    const backend = pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, indexName: 'shared-index' });
    expect(await backend.rawQuery({ location: { collection: 'never' }, scope: {}, vector: one, topK: 3 })).toEqual([]);
    expect(await backend.listPartitions({ collection: 'never' })).toEqual([]);
    await expect(backend.rawUpsert({ location: { collection: 'never' }, records: [{ id: '1', recordId: '1', vector: one, metadata: {} }] })).rejects.toMatchObject({ code: 'BACKEND' });
  });
});
