import { expect, it } from 'vitest';
import { type Metric } from '@tenantvec/core';
import { similarity } from '@tenantvec/core/backend';
import { randomVector, seededRandom } from '../vectors.js';
import type { Harness } from '../harness.js';

/** The exact answer, computed here from the written vectors: the oracle every backend must match. */
function exactTopK(metric: Metric, records: { id: string; vector: number[] }[], query: number[], topK: number) {
  return records
    .map((record) => ({ id: record.id, score: similarity(metric, query, record.vector) }))
    .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1))
    .slice(0, topK);
}

export function rankingSuite(harness: Harness): void {
  for (const metric of ['cosine', 'dot', 'euclidean'] as const) {
    it(`ranks like exact search under ${metric}, scores as similarities`, async () => {
      const { store } = await harness.newStore({ metric });
      const random = seededRandom(metric.length * 7919);
      const records = Array.from({ length: 60 }, (_, n) => ({ id: `r${n}`, vector: randomVector(random, 8) }));
      const acme = store.forTenant('acme');
      await acme.upsert(records);
      // A neighbour with closer vectors must not change acme's answers.
      await store.forTenant('acme-corp').upsert(records.map((record) => ({ id: record.id, vector: record.vector.map((value) => value * 1.01) })));
      for (let round = 0; round < 5; round += 1) {
        const query = randomVector(random, 8);
        const hits = await acme.query({ vector: query, topK: 7 });
        const expected = exactTopK(metric, records, query, 7);
        expect(hits.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
        hits.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index]!.score, 4));
        for (let index = 1; index < hits.length; index += 1) expect(hits[index - 1]!.score).toBeGreaterThanOrEqual(hits[index]!.score);
      }
    });
  }

  it('gives an identical vector the best possible score under cosine', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'same', vector: [3, 4, 0, 0, 0, 0, 0, 0] }, { id: 'opposite', vector: [-3, -4, 0, 0, 0, 0, 0, 0] }]);
    const [best, worst] = await acme.query({ vector: [3, 4, 0, 0, 0, 0, 0, 0] });
    expect(best!.id).toBe('same');
    expect(best!.score).toBeCloseTo(1, 5);
    expect(worst!.score).toBeCloseTo(-1, 5);
  });

  it('returns everything when topK exceeds the scope, and vectors only when asked', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    const random = seededRandom(42);
    await acme.upsert([0, 1, 2].map((n) => ({ id: `r${n}`, vector: randomVector(random, 8) })));
    const withoutVectors = await acme.query({ vector: randomVector(random, 8), topK: 50 });
    expect(withoutVectors).toHaveLength(3);
    expect(withoutVectors.every((hit) => hit.vector === undefined)).toBe(true);
    const withVectors = await acme.query({ vector: randomVector(random, 8), topK: 2, includeVectors: true });
    expect(withVectors).toHaveLength(2);
    expect(withVectors.every((hit) => hit.vector?.length === 8)).toBe(true);
  });

  it('answers an empty tenant with no results, without creating storage for it', async () => {
    const { store } = await harness.newStore();
    expect(await store.forTenant('nobody').query({ vector: randomVector(seededRandom(1), 8) })).toEqual([]);
    expect((await store.listTenants()).tenants).not.toContain('nobody');
  });
}
