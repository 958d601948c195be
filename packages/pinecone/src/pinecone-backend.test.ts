import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pinecone } from '@pinecone-database/pinecone';
import { TenantVecError } from '@tenantvec/core';
import { parseFilter, type StoredRecord } from '@tenantvec/core/backend';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';
import { pinecone } from './pinecone-backend.js';
import { pineconeIdOf } from './point-ids.js';
import type { PineconeBackendSettings } from './pinecone-settings.js';

let emulator: PineconeEmulator;
let counter = 0;
const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

beforeAll(async () => {
  emulator = await startPineconeEmulator();
});
afterAll(() => emulator.stop());
afterEach(() => {
  emulator.clearFaults();
  emulator.freshnessLagMs = 0;
  emulator.maxIndexes = 1000;
});

function backend(settings: PineconeBackendSettings = {}) {
  return pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, retry: fast, ...settings });
}

/** A fresh shared collection of dimension 2. */
async function shared(settings: PineconeBackendSettings = {}) {
  const handle = backend(settings);
  counter += 1;
  const collection = `unit-${process.pid}-${counter}`;
  await handle.ensureCollection({ collection: { name: collection, dimension: 2, metric: 'cosine', tenantField: true, partitioned: false } });
  return { handle, location: { collection } };
}

const record = (tenant: string, id: string, extra: Partial<StoredRecord> = {}): StoredRecord => ({
  id: `${tenant}:${id}`,
  recordId: id,
  vector: [1, 0],
  metadata: {},
  tenant,
  ...extra,
});

const requestsTo = (suffix: string) => emulator.requests.filter((request) => request.path.endsWith(suffix)).length;

async function failure(operation: () => Promise<unknown>): Promise<TenantVecError> {
  try {
    await operation();
  } catch (error) {
    expect(TenantVecError.isInstance(error)).toBe(true);
    return error as TenantVecError;
  }
  throw new Error('expected a failure');
}

describe('pinecone backend against the emulator', () => {
  it('speaks the API version the emulator follows, through the official client', async () => {
    const { handle, location } = await shared();
    await handle.rawUpsert({ location, records: [record('a', '1')] });
    expect(await handle.rawCount({ location, scope: { tenant: 'a' } })).toBe(1);
  });

  it('retries 429 with backoff (the client retries only 5xx) and then succeeds', async () => {
    const { handle, location } = await shared();
    const before = requestsTo('/vectors/upsert');
    emulator.inject({ status: 429, times: 2, pathEndsWith: '/vectors/upsert' });
    await handle.rawUpsert({ location, records: [record('a', '1')] });
    expect(requestsTo('/vectors/upsert') - before).toBe(3);
    expect((await handle.rawGet({ location, scope: { tenant: 'a' }, ids: ['a:1'] })).map((found) => found.recordId)).toEqual(['1']);
  });

  it('waits what Retry-After asks before resending a 429', async () => {
    const { handle, location } = await shared({ retry: { ...fast, maxDelayMs: 2000 } });
    const before = requestsTo('/query');
    emulator.inject({ status: 429, times: 1, pathEndsWith: '/query', retryAfterSeconds: 0.3 });
    const started = Date.now();
    await handle.rawQuery({ location, scope: { tenant: 'a' }, vector: [1, 0], topK: 3 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(requestsTo('/query') - before).toBe(2);
  });

  it('reports a persistent 429 or 503 as a retryable BackendError, bounded in attempts', async () => {
    const { handle, location } = await shared();
    emulator.inject({ status: 429, times: 10, pathEndsWith: '/query' });
    const limited = await failure(() => handle.rawQuery({ location, scope: { tenant: 'a' }, vector: [1, 0], topK: 3 }));
    expect(limited).toMatchObject({ code: 'BACKEND', isRetryable: true });
    expect(limited.message).toContain('429');
    // The client retries 5xx itself; with its retries off, ours are the only ones.
    const client = new Pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, maxRetries: 0 });
    const plain = pinecone({ client, retry: fast });
    const before = requestsTo('/vectors/fetch');
    emulator.inject({ status: 503, times: 100, pathEndsWith: '/vectors/fetch' });
    const unavailable = await failure(() => plain.rawGet({ location, scope: { tenant: 'a' }, ids: ['a:1'] }));
    expect(unavailable).toMatchObject({ code: 'BACKEND', isRetryable: true });
    expect(requestsTo('/vectors/fetch') - before).toBe(fast.maxAttempts);
  });

  it('reports a bad API key as a non-retryable BackendError', async () => {
    const handle = pinecone({ apiKey: 'wrong', controllerHostUrl: emulator.controllerHostUrl, retry: fast });
    const error = await failure(() => handle.listCollections({ prefix: '' }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: false });
  });

  it("never names another tenant's ids in an error", async () => {
    const { handle, location } = await shared();
    await handle.rawUpsert({ location, records: [record('other', 'secret-id')] });
    emulator.inject({ status: 400, times: 1, pathEndsWith: '/query' });
    const error = await failure(() => handle.rawQuery({ location, scope: { tenant: 'a' }, vector: [1, 0], topK: 3 }));
    expect(error.message).not.toContain('secret-id');
    expect(error.message).not.toContain('other');
  });

  it('splits an upsert that would pass the request size into several requests', async () => {
    const { handle, location } = await shared({ maxRequestBytes: 4000 });
    const before = requestsTo('/vectors/upsert');
    const records = Array.from({ length: 10 }, (_, n) => record('a', `r${n}`, { text: 'z'.repeat(900) }));
    await handle.rawUpsert({ location, records });
    expect(requestsTo('/vectors/upsert') - before).toBeGreaterThanOrEqual(3);
    expect(await handle.rawCount({ location, scope: { tenant: 'a' } })).toBe(10);
  });

  it("refuses metadata past Pinecone's per-vector limit before any request", async () => {
    const { handle, location } = await shared();
    const before = requestsTo('/vectors/upsert');
    const error = await failure(() => handle.rawUpsert({ location, records: [record('a', 'big', { text: 'x'.repeat(41_000) })] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: false });
    expect(requestsTo('/vectors/upsert')).toBe(before);
  });

  it('refuses batches over 1,000 records and a maxBatchSize Pinecone cannot take', async () => {
    const { handle, location } = await shared();
    const records = Array.from({ length: 1001 }, (_, n) => record('a', `r${n}`));
    expect((await failure(() => handle.rawUpsert({ location, records }))).code).toBe('BACKEND');
    expect(() => backend({ maxBatchSize: 5000 })).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });

  it('refuses an index past the project limit, before any request with maxIndexes, and on 403 without', async () => {
    const handle = backend({ maxIndexes: 0 });
    const before = emulator.requests.filter((request) => request.method === 'POST' && request.path === '/indexes').length;
    const spec = { name: `quota-${process.pid}`, dimension: 2, metric: 'cosine' as const, tenantField: false, partitioned: false, tenant: 'acme' };
    expect((await failure(() => handle.ensureCollection({ collection: spec }))).message).toMatch(/limit \(maxIndexes = 0\)/);
    expect(emulator.requests.filter((request) => request.method === 'POST' && request.path === '/indexes').length).toBe(before);
    emulator.maxIndexes = 0;
    expect((await failure(() => backend().ensureCollection({ collection: spec }))).message).toMatch(/403 QUOTA_EXCEEDED/);
  });

  it("takes the index and namespace caps of the project's plan", async () => {
    const own = await startPineconeEmulator();
    try {
      const settings = { apiKey: own.apiKey, controllerHostUrl: own.controllerHostUrl, retry: fast };
      const spec = (n: number) => ({ name: `plan-${n}`, dimension: 2, metric: 'cosine' as const, tenantField: false, partitioned: n === 0 });
      for (let n = 0; n < 5; n += 1) await pinecone(settings).ensureCollection({ collection: spec(n) });
      const starter = pinecone({ ...settings, plan: 'starter' });
      expect((await failure(() => starter.ensureCollection({ collection: spec(5) }))).message).toMatch(/maxIndexes = 5/);
      await pinecone({ ...settings, plan: 'starter', maxIndexes: 6 }).ensureCollection({ collection: spec(5) });
      for (let n = 0; n < 100; n += 1) await pinecone(settings).ensurePartition({ collection: 'plan-0', partition: `t-${n}`, tenant: `t${n}` });
      expect((await failure(() => starter.ensurePartition({ collection: 'plan-0', partition: 't-100', tenant: 't100' }))).message).toContain('maxNamespaces');
    } finally {
      await own.stop();
    }
  });

  it('keeps the exact tenant id of an index in its tags, even past a tag value length', async () => {
    const handle = backend();
    const tenant = `T.${'x'.repeat(125)}`;
    const name = `tagged-${process.pid}`;
    await handle.ensureCollection({ collection: { name, dimension: 2, metric: 'dot', tenantField: false, partitioned: false, tenant } });
    expect(await handle.listCollections({ prefix: name })).toEqual([{ name, tenant }]);
    await expect(handle.ensureCollection({ collection: { name, dimension: 3, metric: 'dot', tenantField: false, partitioned: false } })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', message: expect.stringContaining('it holds 2-dimensional vectors, asked for 3') });
    await handle.dropCollection({ collection: name });
    await handle.dropCollection({ collection: name });
    expect(await handle.listCollections({ prefix: name })).toEqual([]);
    expect(await handle.rawCount({ location: { collection: name }, scope: {} })).toBe(0);
  });

  it('lists tenant namespaces from its catalog, caps them with maxNamespaces, refuses writes to unknown ones', async () => {
    const handle = backend({ maxNamespaces: 2 });
    const collection = `parts-${process.pid}`;
    await handle.ensureCollection({ collection: { name: collection, dimension: 2, metric: 'cosine', tenantField: false, partitioned: true } });
    await handle.ensurePartition({ collection, partition: 't-acme', tenant: 'Acme' });
    await handle.ensurePartition({ collection, partition: 't-acme', tenant: 'Acme' });
    await handle.ensurePartition({ collection, partition: 't-beta', tenant: 'beta' });
    expect((await failure(() => handle.ensurePartition({ collection, partition: 't-gamma', tenant: 'gamma' }))).message).toContain('maxNamespaces');
    expect(await handle.listPartitions({ collection })).toEqual([{ name: 't-acme', tenant: 'Acme' }, { name: 't-beta', tenant: 'beta' }]);
    await expect(handle.rawUpsert({ location: { collection, partition: 't-nobody' }, records: [record('x', '1')] })).rejects.toMatchObject({ code: 'BACKEND' });
    await handle.rawUpsert({ location: { collection, partition: 't-acme' }, records: [{ id: '1', recordId: '1', vector: [1, 0], metadata: {} }] });
    await handle.dropPartition({ collection, partition: 't-acme' });
    expect(await handle.listPartitions({ collection })).toEqual([{ name: 't-beta', tenant: 'beta' }]);
    expect(await handle.rawCount({ location: { collection, partition: 't-acme' }, scope: {} })).toBe(0);
    await handle.dropCollection({ collection });
  });

  it('accepts a ready client', async () => {
    const client = new Pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl });
    const handle = pinecone({ client });
    expect(Array.isArray(await handle.listCollections({ prefix: 'unit-' }))).toBe(true);
  });

  it('refuses unknown or malformed settings, as a config file may hold them', () => {
    expect(() => backend({ maxIndexs: 3 } as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION', message: expect.stringContaining('maxIndexs') }));
    expect(() => backend({ consistency: 'strong' } as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    expect(() => backend({ plan: 'free' } as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });

  it('needs an API key from settings or PINECONE_API_KEY', () => {
    const saved = process.env.PINECONE_API_KEY;
    delete process.env.PINECONE_API_KEY;
    try {
      expect(() => pinecone({})).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    } finally {
      if (saved !== undefined) process.env.PINECONE_API_KEY = saved;
    }
  });
});

describe('eventual consistency', () => {
  it('with read-your-writes, waits until writes and deletes show, however Pinecone lags', async () => {
    const { handle, location } = await shared();
    emulator.freshnessLagMs = 120;
    await handle.rawUpsert({ location, records: [record('a', '1'), record('a', '2', { metadata: { kind: 'x' } })] });
    expect(await handle.rawCount({ location, scope: { tenant: 'a' } })).toBe(2);
    await handle.rawUpsert({ location, records: [record('a', '1', { metadata: { version: 2 } })] });
    expect((await handle.rawGet({ location, scope: { tenant: 'a' }, ids: ['a:1'] }))[0]!.metadata).toEqual({ version: 2 });
    await handle.rawDelete({ location, scope: { tenant: 'a' }, ids: ['a:1'] });
    expect(await handle.rawGet({ location, scope: { tenant: 'a' }, ids: ['a:1'] })).toEqual([]);
    await handle.rawDelete({ location, scope: { tenant: 'a' }, filter: { kind: 'eq', field: 'kind', value: 'x' } });
    expect(await handle.rawCount({ location, scope: { tenant: 'a' } })).toBe(0);
    expect(handle.capabilities.readYourWrites).toBe(true);
  });

  it('with eventual, returns at once and says so in its capabilities; the write shows later', async () => {
    const { handle, location } = await shared({ consistency: 'eventual' });
    expect(handle.capabilities.readYourWrites).toBe(false);
    emulator.freshnessLagMs = 150;
    await handle.rawUpsert({ location, records: [record('a', '1')] });
    expect(await handle.rawCount({ location, scope: { tenant: 'a' } })).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await handle.rawCount({ location, scope: { tenant: 'a' } })).toBe(1);
  });

  it('fails with a retryable error when a write does not show within freshnessTimeoutMs', async () => {
    const { handle, location } = await shared({ freshnessTimeoutMs: 100 });
    emulator.freshnessLagMs = 1000;
    const error = await failure(() => handle.rawUpsert({ location, records: [record('a', '1')] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true });
  });
});

describe('ids and filters against the emulator', () => {
  it('keeps a long non-ASCII id and the id that spells its shortened form as two records', async () => {
    const { handle, location } = await shared();
    const long = '日'.repeat(250);
    await handle.rawUpsert({ location, records: [record('acme', long, { metadata: { which: 'long' } })] });
    // Written the way the stored id reads once its escapes are decoded: kept whole, it would
    // land on the same Pinecone id and overwrite the long one.
    const stored = pineconeIdOf(`acme:${long}`).id;
    const spelled = stored.replace(/(?:%E6%97%A5)+/g, (escapes) => decodeURIComponent(escapes)).slice('acme:'.length);
    expect(spelled.length).toBeLessThan(200);
    await handle.rawUpsert({ location, records: [record('acme', spelled, { metadata: { which: 'spelled' } })] });
    const scope = { tenant: 'acme' };
    expect(await handle.rawCount({ location, scope })).toBe(2);
    const found = await handle.rawGet({ location, scope, ids: [`acme:${long}`, `acme:${spelled}`] });
    expect(found.map((one) => [one.recordId, one.metadata.which])).toEqual([[long, 'long'], [spelled, 'spelled']]);
  });

  it('takes an empty filter inside $or as everything, inside a negated $or as nothing', async () => {
    const { handle, location } = await shared();
    await handle.rawUpsert({ location, records: [record('a', '1'), record('a', '2'), record('b', '1')] });
    const scope = { tenant: 'a' };
    const everything = parseFilter({ $or: [{}] });
    expect(await handle.rawCount({ location, scope, filter: everything })).toBe(2);
    expect(await handle.rawCount({ location, scope, filter: parseFilter({ $not: { $or: [{}] } }) })).toBe(0);
    expect((await handle.rawQuery({ location, scope, vector: [1, 0], topK: 10, filter: everything, includeVectors: false })).length).toBe(2);
  });
});
