import { expect, it } from 'vitest';
import { BatchRejectedError, BatchWriteError, localEmbedder, TenantVecError, type Filter } from '@tenantvec/core';
import type { Harness } from '../harness.js';

const good = [1, 0, 0, 0, 0, 0, 0, 0];

/** Runs an operation that must fail, and returns its error. */
async function failure(operation: () => Promise<unknown>): Promise<TenantVecError> {
  try {
    await operation();
  } catch (error) {
    expect(TenantVecError.isInstance(error)).toBe(true);
    return error as TenantVecError;
  }
  throw new Error('expected the operation to fail');
}

export function badInputSuite(harness: Harness): void {
  it('rejects a batch with bad items before any I/O, naming each bad item, writing nothing', async () => {
    const { store, calls } = await harness.newStore();
    const acme = store.forTenant('acme');
    const error = await failure(() =>
      acme.upsert([
        { id: 'ok', vector: good },
        { id: 'short', vector: [1, 2, 3] },
        { id: 'nan', vector: [Number.NaN, 0, 0, 0, 0, 0, 0, 0] },
        { id: 'inf', vector: [Number.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 0, 0] },
        { id: 'zero', vector: [0, 0, 0, 0, 0, 0, 0, 0] },
        { id: '', vector: good },
        { id: 'ok', vector: good },
        { id: 'reserved', vector: good, metadata: { tenant: 'other' } },
        { id: 'nested', vector: good, metadata: { deep: { a: 1 } as never } },
        { id: 'huge', vector: good, metadata: { blob: 'x'.repeat(50_000) } },
        { id: 'climb', vector: good, source: 'kb/../other-tenant' },
        { id: 'text-only', text: 'no embedder here' },
      ]),
    );
    expect(BatchRejectedError.isInstance(error)).toBe(true);
    const failures = (error as BatchRejectedError).failures;
    expect(failures.map((item) => item.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(failures.find((item) => item.id === 'short')!.code).toBe('DIMENSION_MISMATCH');
    expect(failures.find((item) => item.id === 'climb')!.code).toBe('INVALID_SOURCE');
    expect(failures.find((item) => item.id === 'text-only')!.code).toBe('EMBEDDER_REQUIRED');
    expect(calls).toEqual([]);
    expect(await acme.count()).toBe(0);
  });

  it('rejects empty batches and bad ids lists before any I/O', async () => {
    const { store, calls } = await harness.newStore({ maxBatchSize: 5 });
    const acme = store.forTenant('acme');
    expect((await failure(() => acme.upsert([]))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(() => acme.getMany([]))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(() => acme.delete({ ids: ['a', 'x'.repeat(300)] }))).code).toBe('BATCH_REJECTED');
    expect((await failure(() => acme.delete({ ids: ['a'], filter: { kind: 'x' } } as never))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(() => acme.delete({} as never))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(() => acme.delete({ filter: {} }))).code).toBe('INVALID_FILTER');
    expect(calls).toEqual([]);
  });

  it('rejects bad queries before any I/O', async () => {
    const { store, calls } = await harness.newStore();
    const acme = store.forTenant('acme');
    expect((await failure(() => acme.query({ vector: [1, 2] }))).code).toBe('DIMENSION_MISMATCH');
    expect((await failure(() => acme.query({ vector: [Number.NaN, 0, 0, 0, 0, 0, 0, 0] }))).code).toBe('INVALID_ARGUMENT');
    for (const topK of [0, 1.5, -1, 1_000_000]) {
      expect((await failure(() => acme.query({ vector: good, topK }))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await failure(() => acme.query({ text: 'hello' }))).code).toBe('EMBEDDER_REQUIRED');
    expect((await failure(() => acme.query({ vector: good, text: 'both' } as never))).code).toBe('INVALID_ARGUMENT');
    expect(calls).toEqual([]);
  });

  it('rejects malformed filters before any I/O', async () => {
    const { store, calls } = await harness.newStore();
    const acme = store.forTenant('acme');
    let deep: Filter = { kind: 'x' };
    for (let level = 0; level < 12; level += 1) deep = { $and: [deep] };
    const malformed: unknown[] = [
      { kind: { $where: 'x' } },
      { $nor: [{ kind: 'x' }] },
      { year: { $gt: '2020' } },
      { year: { $in: [] } },
      { year: { $in: 'x' } },
      { kind: { $exists: 'yes' } },
      { kind: null },
      { kind: { a: 1 } },
      { 'a.b': 1 },
      { $or: [] },
      { $not: {} },
      { kind: {} },
      deep,
      [],
      'kind = x',
    ];
    for (const filter of malformed) {
      expect({ filter, code: (await failure(() => acme.query({ vector: good, filter: filter as Filter }))).code }).toEqual({ filter, code: 'INVALID_FILTER' });
    }
    expect(calls).toEqual([]);
  });

  it('splits a batch larger than one backend request, writing every record', async () => {
    const { store, calls } = await harness.newStore({ backendMaxBatchSize: 3 });
    const acme = store.forTenant('acme');
    await acme.upsert(Array.from({ length: 10 }, (_, n) => ({ id: `r${n}`, vector: good })));
    expect(calls.filter((call) => call === 'rawUpsert')).toHaveLength(4);
    expect(await acme.count()).toBe(10);
  });

  it('says which records were written when a later request of a batch fails', async () => {
    const { store } = await harness.newStore({
      backendMaxBatchSize: 3,
      intercept: async (method, call, index) => {
        if (method === 'rawUpsert' && index === 1) throw new Error('connection reset');
        return call();
      },
    });
    const acme = store.forTenant('acme');
    const error = await failure(() => acme.upsert(Array.from({ length: 7 }, (_, n) => ({ id: `r${n}`, vector: good }))));
    expect(BatchWriteError.isInstance(error)).toBe(true);
    expect((error as BatchWriteError).writtenIds).toEqual(['r0', 'r1', 'r2']);
    expect((error as BatchWriteError).failedIds).toEqual(['r3', 'r4', 'r5', 'r6']);
    expect(await acme.count()).toBe(3);
  });

  it('embeds text-only records and queries with the store embedder; refuses an embedder of another dimension', async () => {
    const embedder = localEmbedder({ dimension: 16 });
    const { store } = await harness.newStore({ dimension: 16, embedder });
    const acme = store.forTenant('acme');
    await acme.upsert([
      { id: 'rev', text: 'quarterly revenue rose twelve percent' },
      { id: 'hr', text: 'holiday policy for employees' },
    ]);
    const [best] = await acme.query({ text: 'revenue this quarter' });
    expect(best!.id).toBe('rev');
    expect(best!.text).toBe('quarterly revenue rose twelve percent');
    await expect(harness.newStore({ dimension: 8, embedder })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });
}
