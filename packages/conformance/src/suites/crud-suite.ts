import { expect, it } from 'vitest';
import type { TenantRecord } from '@tenantvec/core';
import type { Harness } from '../harness.js';

/** Vectors come back as float32 on some backends: compare to 1e-6. */
export function expectSameVector(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
}

const one = [1, 0, 0, 0, 0, 0, 0, 0];
const two = [0, 1, 0, 0, 0, 0, 0, 0];

export function crudSuite(harness: Harness): void {
  it('returns what was written: id, vector, text, metadata and source', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    const metadata = { kind: 'pdf', year: 2024, draft: false, tags: ['finance', 'q4'] };
    await acme.upsert([{ id: 'q4#0', vector: one, text: 'Revenue rose 12%', metadata, source: 'kb/finance/q4' }]);
    const record = await acme.get('q4#0');
    expect(record).not.toBeNull();
    expect(record!.id).toBe('q4#0');
    expect(record!.text).toBe('Revenue rose 12%');
    expect(record!.metadata).toEqual(metadata);
    expect(record!.source).toBe('kb/finance/q4');
    expectSameVector(record!.vector, one);
  });

  it('replaces a record written again under the same id', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: one, metadata: { version: 1 } }]);
    await acme.upsert([{ id: 'a', vector: two, metadata: { version: 2 } }]);
    expect(await acme.count()).toBe(1);
    const record = await acme.get('a');
    expect(record!.metadata).toEqual({ version: 2 });
    expectSameVector(record!.vector, two);
    expect(record!.source).toBeUndefined();
  });

  it('answers null for an id it does not hold, and getMany returns only what exists', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    expect(await acme.get('missing')).toBeNull();
    await acme.upsert([{ id: 'a', vector: one }, { id: 'b', vector: two }]);
    const found = await acme.getMany(['b', 'missing', 'a']);
    expect(found.map((record) => record.id).sort()).toEqual(['a', 'b']);
  });

  it('deletes by ids, by filter and by source folder, segment-wise', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert([
      { id: 'a', vector: one, metadata: { kind: 'x' }, source: 'kb/fin' },
      { id: 'b', vector: one, metadata: { kind: 'y' }, source: 'kb/fin/q4' },
      { id: 'c', vector: two, metadata: { kind: 'x' }, source: 'kb/finance' },
      { id: 'd', vector: two, metadata: { kind: 'z' } },
      { id: 'e', vector: two, metadata: { kind: 'z' }, source: 'other' },
    ]);
    await acme.delete({ ids: ['d', 'never-written'] });
    expect((await acme.get('d'))).toBeNull();
    await acme.delete({ source: 'kb/fin/' });
    expect((await acme.getMany(['a', 'b', 'c', 'e'])).map((record) => record.id).sort()).toEqual(['c', 'e']);
    await acme.delete({ filter: { kind: 'x' } });
    expect((await acme.getMany(['c', 'e'])).map((record) => record.id)).toEqual(['e']);
    expect(await acme.count()).toBe(1);
  });

  it('counts with and without a filter', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    expect(await acme.count()).toBe(0);
    await acme.upsert([1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, vector: one, metadata: { n } })));
    expect(await acme.count()).toBe(5);
    expect(await acme.count({ filter: { n: { $gte: 4 } } })).toBe(2);
    const stats = await acme.stats();
    expect(stats).toMatchObject({ tenantId: 'acme', records: 5, strategy: harness.strategyName, dimension: 8, metric: harness.metric });
  });

  it('exports every record of the scope across several pages, each once', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    const written = Array.from({ length: 11 }, (_, n) => ({ id: `r${String(n).padStart(2, '0')}`, vector: n % 2 === 0 ? one : two, metadata: { n } }));
    await acme.upsert(written);
    await store.forTenant('other').upsert([{ id: 'r00', vector: one }]);
    const exported: TenantRecord[] = [];
    for await (const record of acme.export({ pageSize: 3 })) exported.push(record);
    expect(exported.map((record) => record.id).sort()).toEqual(written.map((record) => record.id));
    expect(exported.find((record) => record.id === 'r04')!.metadata).toEqual({ n: 4 });
  });

  it('narrows to a source folder with scope(), relative to the current scope', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert([
      { id: 'q4', vector: one, source: 'kb/finance/q4' },
      { id: 'fin', vector: one, source: 'kb/finance' },
      { id: 'fins', vector: one, source: 'kb/financials/2024' },
      { id: 'hr', vector: one, source: 'kb/hr' },
      { id: 'loose', vector: one },
    ]);
    const finance = acme.scope('kb').scope('finance/');
    expect(finance.path).toBe('kb/finance');
    const hits = await finance.query({ vector: one, topK: 10 });
    expect(hits.map((hit) => hit.id).sort()).toEqual(['fin', 'q4']);
    expect(await finance.count()).toBe(2);
    expect(await finance.get('hr')).toBeNull();
    expect(hits.find((hit) => hit.id === 'q4')!.source).toBe('kb/finance/q4');
  });

  it('writes through a narrowed scope only inside its folder', async () => {
    const { store } = await harness.newStore();
    const finance = store.forTenant('acme').scope('kb/finance');
    await finance.upsert([{ id: 'in', vector: one, source: 'kb/finance/q1' }, { id: 'default', vector: two }]);
    expect((await finance.get('default'))!.source).toBe('kb/finance');
    await expect(finance.upsert([{ id: 'out', vector: one, source: 'kb/hr' }])).rejects.toMatchObject({ code: 'BATCH_REJECTED' });
    await expect(finance.delete({ source: 'kb/hr' })).rejects.toMatchObject({ code: 'INVALID_SOURCE' });
    expect(await store.forTenant('acme').count()).toBe(2);
  });

  it('refuses every call once the store is closed', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await store.close();
    await expect(acme.query({ vector: one })).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    expect(() => store.forTenant('acme')).toThrow(expect.objectContaining({ code: 'STORE_CLOSED' }));
  });
}
