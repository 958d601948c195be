import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, createTenantVectorStore } from '@tenantvec/core';
import { type StoredRecord } from '@tenantvec/core/backend';
import { startQdrantEmulator, type QdrantEmulator } from '@tenantvec/emulators/qdrant';
import { pointIdOf } from './point-ids.js';
import { qdrant, type QdrantBackend } from './qdrant-backend.js';
import type { QdrantBackendSettings } from './qdrant-settings.js';

let emulator: QdrantEmulator;
let counter = 0;
const uniqueName = () => `unit-${(counter += 1)}`;

beforeAll(async () => {
  emulator = await startQdrantEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.requests.length = 0;
});

function backend(settings: Partial<QdrantBackendSettings> = {}): QdrantBackend {
  return qdrant({ url: emulator.url, checkCompatibility: false, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...settings } as QdrantBackendSettings);
}

const record = (id: string, extra: Partial<StoredRecord> = {}): StoredRecord => ({
  id, recordId: id.split(':').at(-1)!, vector: [3, 4, 0], metadata: {}, ...extra,
});

async function sharedCollection(target: QdrantBackend, metric: 'cosine' | 'dot' | 'euclidean' = 'cosine') {
  const name = uniqueName();
  await target.ensureCollection({ collection: { name, dimension: 3, metric, tenantField: true, partitioned: false } });
  return name;
}

const pointRequests = () => emulator.requests.filter((request) => request.path.includes('/points'));

describe('QdrantBackend on the wire', () => {
  it('is loaded by name from a plain store config', async () => {
    const store = await createTenantVectorStore({
      backend: { type: 'qdrant', url: emulator.url, checkCompatibility: false },
      strategy: { type: 'metadata-filter' },
      dimension: 3,
      name: 'from_config',
    });
    expect(store.backend).toBe('qdrant');
    await store.forTenant('acme').upsert([{ id: 'a', vector: [1, 0, 0] }]);
    expect(await store.forTenant('acme').count()).toBe(1);
    expect(emulator.collections.has('from-config-shared')).toBe(true);
    await store.close();
  });

  it("passes the client's version check: the emulator answers GET / with a compatible version", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const target = qdrant({ url: emulator.url });
      await target.listCollections({ prefix: 'none-' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(emulator.requests.some((request) => request.method === 'GET' && request.path === '/')).toBe(true);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('declares honest capabilities and lowercase, hyphenated names', () => {
    expect(backend().capabilities).toMatchObject({
      maxBatchSize: 256, maxTopK: 1000, readYourWrites: true, collections: true, partitions: true,
      collectionNames: { maxLength: 255, letterCase: 'lower', separator: '-' },
    });
  });

  it('writes UUID point ids, keeps the physical id, tenant and source in the payload and metadata nested', async () => {
    const target = backend();
    const collection = await sharedCollection(target);
    await target.rawUpsert({ location: { collection }, records: [record('acme:doc-1', { tenant: 'acme', source: 'acme/kb/q4', text: 't', metadata: { id: 'user-key' } })] });
    const point = [...emulator.collections.get(collection)!.shards.get('')!.values()][0]!;
    expect(point.id).toBe(pointIdOf('acme:doc-1'));
    expect(point.payload).toMatchObject({
      id: 'acme:doc-1', record_id: 'doc-1', tenant: 'acme', source: 'acme/kb/q4', text: 't',
      source_ancestors: ['acme', 'acme/kb', 'acme/kb/q4'], source_root: 'acme', metadata: { id: 'user-key' },
    });
    expect(emulator.collections.get(collection)!.indexes.get('tenant')).toEqual({ type: 'keyword', is_tenant: true });
  });

  it('builds per-tenant graphs only (payload_m: 16, m: 0) in shared collections when asked', async () => {
    const target = backend({ perTenantGraphs: true });
    const shared = await sharedCollection(target);
    expect(emulator.collections.get(shared)!.hnsw).toMatchObject({ payload_m: 16, m: 0 });
    const own = uniqueName();
    await target.ensureCollection({ collection: { name: own, dimension: 3, metric: 'dot', tenantField: false, partitioned: false, tenant: 'acme' } });
    expect(emulator.collections.get(own)!.hnsw).toMatchObject({ m: 16 });
    expect(emulator.collections.get(own)!.hnsw.payload_m).toBeUndefined();
  });

  it('returns the vector that was written although Qdrant normalises cosine vectors', async () => {
    const target = backend();
    const collection = await sharedCollection(target);
    const written = [0.1, -3.3, 7];
    await target.rawUpsert({ location: { collection }, records: [record('a:x', { tenant: 'a', vector: written })] });
    const [found] = await target.rawGet({ location: { collection }, scope: { tenant: 'a' }, ids: ['a:x'] });
    // Exactly the float32 of what was written, not the unit vector Qdrant keeps.
    expect(found!.vector).toEqual(written.map(Math.fround));
    const [stored] = emulator.collections.get(collection)!.shards.get('')!.values();
    expect(Math.hypot(...stored!.vector)).toBeCloseTo(1, 6);
    emulator.requests.length = 0;
    const [hit] = await target.rawQuery({ location: { collection }, scope: { tenant: 'a' }, vector: [1, 0, 0], topK: 1 });
    expect(hit!.vector).toBeUndefined();
    expect(pointRequests()[0]!.body).toMatchObject({ with_payload: { exclude: ['vector_f32'] }, with_vector: false });
    const [withVector] = await target.rawQuery({ location: { collection }, scope: { tenant: 'a' }, vector: [1, 0, 0], topK: 1, includeVectors: true });
    expect(withVector!.vector).toEqual(written.map(Math.fround));
  });

  it('converts Euclid distances into similarities', async () => {
    const target = backend();
    const collection = await sharedCollection(target, 'euclidean');
    await target.rawUpsert({ location: { collection }, records: [record('a:x', { tenant: 'a', vector: [0, 0, 0] })] });
    const [hit] = await target.rawQuery({ location: { collection }, scope: { tenant: 'a' }, vector: [3, 4, 0], topK: 1 });
    expect(hit!.score).toBeCloseTo(1 / 6, 6);
  });

  it('sends the shard key with every point operation on a partitioned collection, and labels partitions', async () => {
    const target = backend();
    const collection = uniqueName();
    await target.ensureCollection({ collection: { name: collection, dimension: 3, metric: 'dot', tenantField: false, partitioned: true } });
    await target.ensurePartition({ collection, partition: 't-acme-abc', tenant: 'acme' });
    await target.ensurePartition({ collection, partition: 't-acme-abc', tenant: 'acme' });
    const location = { collection, partition: 't-acme-abc' };
    await target.rawUpsert({ location, records: [record('doc')] });
    await target.rawQuery({ location, scope: {}, vector: [1, 0, 0], topK: 3 });
    await target.rawGet({ location, scope: {}, ids: ['doc'] });
    await target.rawCount({ location, scope: {} });
    await target.rawScan({ location, scope: {}, limit: 5 });
    await target.rawDelete({ location, scope: {}, ids: ['doc'] });
    expect(pointRequests().length).toBe(6);
    for (const request of pointRequests()) expect(request.body).toMatchObject({ shard_key: 't-acme-abc' });
    expect(await target.listPartitions({ collection })).toEqual([{ name: 't-acme-abc', tenant: 'acme' }]);
    await target.dropPartition({ collection, partition: 't-acme-abc' });
    expect(await target.listPartitions({ collection })).toEqual([]);
  });

  it('reads a missing collection or shard key as empty and refuses to write there', async () => {
    const target = backend();
    const missing = { collection: 'never-made' };
    expect(await target.rawQuery({ location: missing, scope: {}, vector: [1, 0, 0], topK: 1 })).toEqual([]);
    expect(await target.rawCount({ location: missing, scope: {} })).toBe(0);
    expect(await target.rawScan({ location: missing, scope: {}, limit: 1 })).toEqual({ records: [] });
    expect(await target.rawListTenantKeys({ collection: 'never-made', key: 'tenant', limit: 5 })).toEqual([]);
    await target.rawDelete({ location: missing, scope: {} });
    await expect(target.rawUpsert({ location: missing, records: [record('x')] })).rejects.toSatisfy(BackendError.isInstance);
    const collection = uniqueName();
    await target.ensureCollection({ collection: { name: collection, dimension: 3, metric: 'dot', tenantField: false, partitioned: true } });
    const noShard = { collection, partition: 't-nobody' };
    expect(await target.rawGet({ location: noShard, scope: {}, ids: ['x'] })).toEqual([]);
    expect(await target.rawCount({ location: noShard, scope: {} })).toBe(0);
    await expect(target.rawUpsert({ location: noShard, records: [record('x')] })).rejects.toThrow(/Shard key t-nobody not found/);
  });

  it('labels tenant collections in collection metadata and warns past the collection threshold', async () => {
    const warnings: string[] = [];
    const target = backend({ collectionWarningThreshold: 1, onWarning: (message) => warnings.push(message) });
    const name = `labels-${uniqueName()}`;
    await target.ensureCollection({ collection: { name, dimension: 3, metric: 'dot', tenantField: false, partitioned: false, tenant: 'Acme.Corp' } });
    expect(await target.listCollections({ prefix: 'labels-' })).toEqual([{ name, tenant: 'Acme.Corp' }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/collections/);
    await target.ensureCollection({ collection: { name: `${name}-2`, dimension: 3, metric: 'dot', tenantField: false, partitioned: false, tenant: 'b' } });
    expect(warnings).toHaveLength(1);
    await expect(target.ensureCollection({ collection: { name, dimension: 4, metric: 'dot', tenantField: false, partitioned: false } }))
      .rejects.toThrow(/another dimension or metric/);
  });

  it('reports when a scope was last written, from the written_at index', async () => {
    const target = backend();
    const collection = await sharedCollection(target);
    expect(await target.rawScopeStats({ location: { collection }, scope: { tenant: 'a' } })).toEqual({});
    const before = Date.now();
    await target.rawUpsert({ location: { collection }, records: [record('a:x', { tenant: 'a' })] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await target.rawUpsert({ location: { collection }, records: [record('b:x', { tenant: 'b' })] });
    const a = await target.rawScopeStats({ location: { collection }, scope: { tenant: 'a' } });
    const b = await target.rawScopeStats({ location: { collection }, scope: { tenant: 'b' } });
    expect(a.lastWriteAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(b.lastWriteAt!.getTime()).toBeGreaterThan(a.lastWriteAt!.getTime());
    expect(await target.rawScopeStats({ location: { collection: 'never-made' }, scope: {} })).toEqual({});
  });

  it('lists every tenant key across facet pages', async () => {
    const target = backend({ facetPageSize: 2 });
    const collection = await sharedCollection(target);
    const tenants = ['e', 'a', 'd', 'b', 'c'];
    await target.rawUpsert({ location: { collection }, records: tenants.map((tenant) => record(`${tenant}:x`, { tenant })) });
    expect(await target.rawListTenantKeys({ collection, key: 'tenant', limit: 10 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await target.rawListTenantKeys({ collection, key: 'tenant', after: 'b', limit: 2 })).toEqual(['c', 'd']);
  });

  it('refuses oversize batches before sending anything', async () => {
    const target = backend({ maxBatchSize: 2, maxRequestBytes: 2000 });
    const collection = await sharedCollection(target);
    emulator.requests.length = 0;
    const three = ['a', 'b', 'c'].map((id) => record(`t:${id}`, { tenant: 't' }));
    await expect(target.rawUpsert({ location: { collection }, records: three })).rejects.toThrow(/More than 2 records/);
    const bulky = [record('t:a', { tenant: 't', text: 'x'.repeat(3000) })];
    await expect(target.rawUpsert({ location: { collection }, records: bulky })).rejects.toThrow(/over Qdrant's request limit/);
    expect(pointRequests()).toEqual([]);
  });
});

describe('QdrantBackend retries and errors', () => {
  const isCount = (request: { path: string }) => request.path.endsWith('/points/count');

  it('retries 503, 429 with Retry-After, and connection resets, then answers', async () => {
    const target = backend();
    const collection = await sharedCollection(target);
    emulator.injectFaults([{ status: 503 }, { status: 429, retryAfter: '0' }, { reset: true }, { status: 502 }], isCount);
    expect(await target.rawCount({ location: { collection }, scope: { tenant: 'a' } })).toBe(0);
    expect(emulator.requests.filter(isCount)).toHaveLength(5);
  });

  it('abandons a request that outlives timeoutMs and retries it', async () => {
    const target = backend({ timeoutMs: 100 });
    const collection = await sharedCollection(target);
    emulator.requests.length = 0;
    emulator.injectFaults([{ delayMs: 400 }], isCount);
    expect(await target.rawCount({ location: { collection }, scope: {} })).toBe(0);
    expect(emulator.requests.filter(isCount)).toHaveLength(2);
  });

  it('gives up after maxAttempts with a retryable BackendError', async () => {
    const target = backend({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
    const collection = await sharedCollection(target);
    emulator.injectFaults([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }], isCount);
    const error = await target.rawCount({ location: { collection }, scope: {} }).catch((caught: unknown) => caught);
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as BackendError).isRetryable).toBe(true);
    expect(emulator.requests.filter(isCount)).toHaveLength(3);
    emulator.injectFaults([], isCount);
    await target.rawCount({ location: { collection }, scope: {} });
  });

  it('does not retry a refused request, and its error carries no payload', async () => {
    const target = backend();
    const collection = uniqueName();
    await target.ensureCollection({ collection: { name: collection, dimension: 3, metric: 'dot', tenantField: false, partitioned: true } });
    emulator.requests.length = 0;
    const secret = record('doc', { metadata: { note: 'secret-of-b' }, text: 'secret text' });
    // No shard key was created for this partition: Qdrant answers 400.
    const refused = await target.rawUpsert({ location: { collection, partition: 't-b' }, records: [secret] }).catch((caught: unknown) => caught);
    expect(BackendError.isInstance(refused)).toBe(true);
    expect((refused as BackendError).isRetryable).toBe(false);
    expect((refused as BackendError).message).toMatch(/HTTP 400.*Shard key t-b not found/);
    expect((refused as BackendError).message).not.toMatch(/secret/);
    expect(pointRequests()).toHaveLength(1);
  });
});
