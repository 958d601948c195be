import { Status } from 'nice-grpc';
import { createTenantVectorStore, TenantVecError } from '@tenantvec/core';
import { type CollectionSpec, type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeaviateEmulator, type WeaviateEmulator } from '@tenantvec/emulators/weaviate';
import { createWeaviateBackend, type WeaviateBackend } from './weaviate-backend.js';
import type { WeaviateBehaviourSettings } from './weaviate-settings.js';

let emulator: WeaviateEmulator;
const backends: WeaviateBackend[] = [];
let counter = 0;

function backend(settings: WeaviateBehaviourSettings = {}): WeaviateBackend {
  const created = createWeaviateBackend({
    httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort,
    retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...settings,
  });
  backends.push(created);
  return created;
}

function spec(overrides: Partial<CollectionSpec> = {}): CollectionSpec {
  counter += 1;
  return { name: `unit${counter}_shared`, dimension: 2, metric: 'cosine', tenantField: true, partitioned: false, ...overrides };
}

const record = (id: string, extra: Partial<StoredRecord> = {}): StoredRecord => ({ id, recordId: id, vector: [1, 0], metadata: {}, ...extra });

async function failure(operation: Promise<unknown>): Promise<TenantVecError> {
  const error = await operation.then(() => undefined, (caught: unknown) => caught);
  expect(TenantVecError.isInstance(error)).toBe(true);
  return error as TenantVecError;
}

beforeAll(async () => {
  emulator = await startWeaviateEmulator();
});
afterAll(async () => {
  await Promise.all(backends.map((created) => created.close()));
  await emulator.stop();
});

describe('weaviate backend', () => {
  it('retries transient gRPC and REST failures with backoff, then succeeds', async () => {
    const weaviate = backend();
    const collection = spec();
    await weaviate.ensureCollection({ collection });
    emulator.injectFault({ transport: 'rest', times: 2, status: 503 });
    await weaviate.ensureCollection({ collection });
    await weaviate.rawUpsert({ location: { collection: collection.name }, records: [record('a')] });
    emulator.injectFault({ transport: 'grpc', times: 2, code: Status.RESOURCE_EXHAUSTED });
    const before = emulator.calls.grpc;
    expect(await weaviate.rawCount({ location: { collection: collection.name }, scope: {} })).toBe(1);
    expect(emulator.calls.grpc - before).toBe(3);
  });

  it('gives up after the last attempt with a retryable BackendError, and does not retry what is not transient', async () => {
    const weaviate = backend({ retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const collection = spec();
    await weaviate.ensureCollection({ collection });
    emulator.injectFault({ transport: 'grpc', times: 2, code: Status.RESOURCE_EXHAUSTED });
    const error = await failure(weaviate.rawCount({ location: { collection: collection.name }, scope: {} }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true });
    emulator.injectFault({ transport: 'rest', times: 1, status: 422 });
    const before = emulator.calls.rest;
    expect(await failure(weaviate.ensureCollection({ collection: spec() }))).toMatchObject({ code: 'BACKEND', isRetryable: false });
    expect(emulator.calls.rest - before).toBe(1);
  });

  it('refuses oversize batches, missing locations and wrong dimensions itself', async () => {
    const weaviate = backend({ maxBatchSize: 2 });
    const collection = spec();
    await weaviate.ensureCollection({ collection });
    const location = { collection: collection.name };
    expect((await failure(weaviate.rawUpsert({ location, records: [record('a'), record('b'), record('c')] }))).message).toMatch(/More than 2/);
    expect((await failure(weaviate.rawUpsert({ location, records: [record('a', { vector: [1, 0, 0] })] }))).message).toMatch(/wrong dimension/);
    expect((await failure(weaviate.rawUpsert({ location: { collection: 'unit_nowhere' }, records: [record('a')] }))).message).toMatch(/does not exist/);
    expect((await failure(weaviate.rawUpsert({ location, records: [record('huge', { metadata: { n: 2 ** 60 } })] }))).message).toMatch(/huge.*2\^53/);
    await expect(weaviate.ensureCollection({ collection: { ...collection, metric: 'dot' } })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', message: expect.stringContaining('its metric is cosine, asked for dot') });
  });

  it('reads missing collections and partitions as empty, without creating them', async () => {
    const weaviate = backend();
    expect(await weaviate.rawQuery({ location: { collection: 'unit_never' }, scope: {}, vector: [1, 0], topK: 3 })).toEqual([]);
    const collection = spec({ partitioned: true, tenantField: false });
    await weaviate.ensureCollection({ collection });
    const ghost = { collection: collection.name, partition: 't_ghost' };
    expect(await weaviate.rawCount({ location: ghost, scope: {} })).toBe(0);
    expect(await weaviate.rawScan({ location: ghost, scope: {}, limit: 5 })).toEqual({ records: [] });
    await weaviate.rawDelete({ location: ghost, scope: {}, ids: ['a'] });
    expect(emulator.state.classes.get(collection.name[0]!.toUpperCase() + collection.name.slice(1))!.shards.has('t_ghost')).toBe(false);
    expect((await failure(weaviate.rawUpsert({ location: ghost, records: [record('a')] }))).message).toMatch(/does not exist/);
  });

  it('labels partitions and collections with the exact tenant id, and lists them back', async () => {
    const weaviate = backend();
    const shared = spec({ partitioned: true, tenantField: false });
    await weaviate.ensureCollection({ collection: shared });
    await weaviate.ensurePartition({ collection: shared.name, partition: 't_acme_x', tenant: 'Acme.Corp' });
    await weaviate.ensurePartition({ collection: shared.name, partition: 't_acme_x', tenant: 'Acme.Corp' });
    await weaviate.ensurePartition({ collection: shared.name, partition: 't_beta_y', tenant: 'beta' });
    expect((await weaviate.listPartitions({ collection: shared.name })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 't_acme_x', tenant: 'Acme.Corp' }, { name: 't_beta_y', tenant: 'beta' },
    ]);
    await weaviate.dropPartition({ collection: shared.name, partition: 't_acme_x' });
    expect(await weaviate.listPartitions({ collection: shared.name })).toEqual([{ name: 't_beta_y', tenant: 'beta' }]);
    const base = `unitlabel${counter}`;
    const own = spec({ name: `${base}_t_acme_h`, tenant: 'Acme.Corp', tenantField: false });
    await weaviate.ensureCollection({ collection: own });
    expect(await weaviate.listCollections({ prefix: `${base}_t_` })).toEqual([{ name: own.name, tenant: 'Acme.Corp' }]);
  });

  it('activates an inactive tenant by default, or reports it clearly when told to', async () => {
    const activating = backend();
    const collection = spec({ partitioned: true, tenantField: false });
    await activating.ensureCollection({ collection });
    await activating.ensurePartition({ collection: collection.name, partition: 't_sleepy', tenant: 'sleepy' });
    const location = { collection: collection.name, partition: 't_sleepy' };
    await activating.rawUpsert({ location, records: [record('a')] });
    const shard = () => emulator.state.classes.get(collection.name[0]!.toUpperCase() + collection.name.slice(1))!.shards.get('t_sleepy')!;
    // A collection created elsewhere without auto-activation: the adapter activates the tenant itself.
    emulator.state.classes.get(collection.name[0]!.toUpperCase() + collection.name.slice(1))!.schema.multiTenancyConfig.autoTenantActivation = false;
    shard().status = 'INACTIVE';
    expect(await activating.rawCount({ location, scope: {} })).toBe(1);
    expect(shard().status).toBe('ACTIVE');
    shard().status = 'INACTIVE';
    const strict = backend({ inactiveTenants: 'error' });
    expect((await failure(strict.rawCount({ location, scope: {} }))).message).toMatch(/inactive or offloaded/);
    expect(shard().status).toBe('INACTIVE');
  });

  it('warns once the database holds more collections than the threshold', async () => {
    const warnings: string[] = [];
    const weaviate = backend({ collectionWarningThreshold: 1, onWarning: (message) => warnings.push(message) });
    await weaviate.ensureCollection({ collection: spec({ tenant: 'acme', tenantField: false }) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/namespace-per-tenant/);
  });

  it('reports objects Weaviate refused, by position and record id', async () => {
    const weaviate = backend();
    const collection = spec();
    await weaviate.ensureCollection({ collection });
    // Another writer fixes a property's type first: Weaviate then refuses the record, not the batch.
    await fetch(`http://${emulator.httpHost}:${emulator.httpPort}/v1/schema/${collection.name[0]!.toUpperCase()}${collection.name.slice(1)}/properties`, {
      method: 'POST', body: JSON.stringify({ name: 'm_year__i', dataType: ['text'] }), headers: { 'content-type': 'application/json' },
    });
    const error = await failure(weaviate.rawUpsert({ location: { collection: collection.name }, records: [record('ok'), record('bad', { metadata: { year: 2024 } })] }));
    expect(error.message).toMatch(/refused 1 of 2 objects .*#1 \(bad\)/);
  });

  it('refuses servers older than 1.33, which lack Not filters', async () => {
    const old = await startWeaviateEmulator({ version: '1.30.2' });
    const weaviate = createWeaviateBackend({ httpHost: old.httpHost, httpPort: old.httpPort, grpcHost: old.grpcHost, grpcPort: old.grpcPort });
    await expect(weaviate.listCollections({ prefix: 'x' })).rejects.toMatchObject({ code: 'CONFIGURATION' });
    await weaviate.close();
    await old.stop();
  });

  it('is loaded by name from a plain config, settings included', async () => {
    const store = await createTenantVectorStore({
      backend: { type: 'weaviate', httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort, vectorIndexType: 'flat' },
      strategy: { type: 'namespace-per-tenant' },
      dimension: 2,
      name: 'unitconfig',
    });
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0], metadata: { year: 2024 } }]);
    expect((await acme.query({ vector: [1, 0], filter: { year: { $gte: 2023.5 } } })).map((hit) => hit.id)).toEqual(['a']);
    expect((await store.listTenants()).tenants).toEqual(['acme']);
    expect(emulator.state.classes.get('Unitconfig_partitioned')!.schema.vectorConfig.default!.vectorIndexType).toBe('flat');
    await store.close();
  });

  it('reports an unreachable server as a retryable BackendError', async () => {
    const late = await startWeaviateEmulator();
    const port = late.httpPort;
    await late.stop();
    const weaviate = createWeaviateBackend({ httpHost: '127.0.0.1', httpPort: port, grpcHost: '127.0.0.1', grpcPort: 1, retry: { maxAttempts: 2, baseDelayMs: 1 }, timeoutSeconds: { init: 1 } });
    expect(await failure(weaviate.listCollections({ prefix: 'x' }))).toMatchObject({ code: 'BACKEND', isRetryable: true });
    await weaviate.close();
  });
});
