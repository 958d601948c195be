import { expect, it } from 'vitest';
import { type Filter, type Metadata } from '@tenantvec/core';
import { matchesFilter, parseFilter } from '@tenantvec/core/backend';
import type { Harness } from '../harness.js';

const corpus: { id: string; metadata: Metadata }[] = [
  { id: 'a', metadata: { kind: 'pdf', year: 2022, tags: ['finance', 'q4'], public: true } },
  { id: 'b', metadata: { kind: 'pdf', year: 2024, tags: ['hr'], public: false } },
  { id: 'c', metadata: { kind: 'html', year: 2024.5, tags: [] } },
  { id: 'd', metadata: { kind: 'md', year: '2024' } },
  { id: 'e', metadata: { kind: 'html', year: 2025, tags: ['finance'] } },
  { id: 'f', metadata: {} },
];

/**
 * Every operator, alone and combined. The expected ids come from core's reference evaluator,
 * and a few hand-checked cases pin the reference itself.
 */
const filters: Filter[] = [
  { kind: 'pdf' },
  { kind: { $eq: 'html' } },
  { kind: { $ne: 'pdf' } },
  { year: { $gt: 2022 } },
  { year: { $gte: 2024 } },
  { year: { $lt: 2024.5 } },
  { year: { $lte: 2024.5 } },
  { year: { $gte: 2023, $lt: 2025 } },
  { kind: { $in: ['md', 'html'] } },
  { kind: { $nin: ['md', 'html'] } },
  { tags: 'finance' },
  { tags: { $in: ['hr', 'q4'] } },
  { tags: { $nin: ['finance'] } },
  { tags: { $ne: 'finance' } },
  { public: true },
  { public: { $exists: true } },
  { tags: { $exists: false } },
  { year: 2024 },
  { year: '2024' },
  { kind: 'pdf', public: false },
  { $and: [{ kind: 'html' }, { year: { $gt: 2024.6 } }] },
  { $or: [{ kind: 'md' }, { public: true }] },
  { $not: { kind: 'pdf' } },
  { $or: [{ $and: [{ kind: 'html' }, { tags: 'finance' }] }, { $not: { year: { $exists: true } } }] },
  // An empty filter inside $or or $and matches everything, as it does at the top.
  { $or: [{}] },
  { $and: [{}, { kind: 'pdf' }] },
  // Names every JavaScript object inherits: a record holds them only if it stored them.
  { constructor: { $exists: true } },
  { toString: { $exists: false } },
  { hasOwnProperty: { $ne: 'x' } },
];

const handChecked: [Filter, string[]][] = [
  [{ kind: { $ne: 'pdf' } }, ['c', 'd', 'e', 'f']],
  [{ tags: 'finance' }, ['a', 'e']],
  [{ year: 2024 }, ['b']],
  [{ tags: { $nin: ['finance'] } }, ['b', 'c', 'd', 'f']],
  [{ $or: [{}] }, ['a', 'b', 'c', 'd', 'e', 'f']],
  [{ constructor: { $exists: true } }, []],
  [{ toString: { $exists: false } }, ['a', 'b', 'c', 'd', 'e', 'f']],
];

const vector = [1, 1, 0, 0, 0, 0, 0, 0];

export function filterSuite(harness: Harness): void {
  it('the reference evaluator agrees with the hand-checked cases', () => {
    for (const [filter, ids] of handChecked) {
      expect(corpus.filter((record) => matchesFilter(parseFilter(filter), record.metadata)).map((record) => record.id)).toEqual(ids);
    }
  });

  it('query, count and delete select exactly what the reference evaluator selects, for every operator', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert(corpus.map((record) => ({ ...record, vector })));
    // Another tenant holding every record too: a filter must never reach it.
    await store.forTenant('acme2').upsert(corpus.map((record) => ({ ...record, vector })));
    for (const filter of filters) {
      const expected = corpus.filter((record) => matchesFilter(parseFilter(filter), record.metadata)).map((record) => record.id);
      const hits = await acme.query({ vector, topK: 100, filter });
      expect({ filter, ids: hits.map((hit) => hit.id).sort() }).toEqual({ filter, ids: expected });
      expect({ filter, count: await acme.count({ filter }) }).toEqual({ filter, count: expected.length });
    }
    await acme.delete({ filter: { $or: [{ kind: 'pdf' }, { tags: { $exists: false } }] } });
    expect((await acme.query({ vector, topK: 100 })).map((hit) => hit.id).sort()).toEqual(['c', 'e']);
    expect(await store.forTenant('acme2').count()).toBe(corpus.length);
  });
}
