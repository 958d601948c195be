import { describe, expect, it } from 'vitest';
import { dot, exactTopK, recallAtK } from './exact-search.js';
import { foreignResults } from './leak-check.js';
import { syntheticWorkload } from './synthetic-workload.js';
import { recordId, vectorOf } from './workload.js';

const workload = syntheticWorkload({ tenants: 5, records: 600, dimension: 12, distribution: { kind: 'zipf', exponent: 1 }, queries: 20, seed: 7 });

describe('exactTopK', () => {
  it('returns the k most similar records of the asking tenant only, best first', () => {
    for (const query of workload.queries) {
      const answer = exactTopK(workload, query.tenant, query.vector, 10);
      const size = workload.tenants[query.tenant]!.size;
      const sorted = Array.from({ length: size }, (_, local) => ({ id: recordId(query.tenant, local), score: dot(query.vector, vectorOf(workload, query.tenant, local)) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      expect(answer.ids).toEqual(sorted.map((entry) => entry.id));
      expect(answer.kthScore).toBe(sorted.at(-1)!.score);
    }
  });

  it('returns fewer than k for a tenant holding fewer records', () => {
    const smallest = workload.tenants.length - 1;
    expect(exactTopK(workload, smallest, workload.queries[0]!.vector, 500).ids).toHaveLength(workload.tenants[smallest]!.size);
  });
});

describe('recallAtK', () => {
  const expected = { ids: ['0.1', '0.2', '0.3', '0.4'], kthScore: 0.5 };

  it('is the share of the true top k that came back, whatever the order', () => {
    expect(recallAtK({ returned: ['0.4', '0.3', '0.2', '0.1'], expected })).toBe(1);
    expect(recallAtK({ returned: ['0.1', '0.2', '0.9', '0.8'], expected })).toBe(0.5);
    expect(recallAtK({ returned: [], expected })).toBe(0);
  });

  it('counts a record tied with the k-th true result as found, and only looks at the first k', () => {
    const scoreOf = (id: string) => (id === '0.7' ? 0.5 : 0.1);
    expect(recallAtK({ returned: ['0.1', '0.2', '0.3', '0.7'], expected, scoreOf })).toBe(1);
    expect(recallAtK({ returned: ['0.1', '0.2', '0.3', '0.8'], expected, scoreOf })).toBe(0.75);
    expect(recallAtK({ returned: ['0.1', '0.2', '0.8', '0.8', '0.3', '0.4'], expected })).toBe(0.5);
  });

  it('is 1 when there is nothing to find', () => {
    expect(recallAtK({ returned: [], expected: { ids: [], kthScore: Number.NEGATIVE_INFINITY } })).toBe(1);
  });
});

describe('foreignResults', () => {
  it('flags a planted result of another tenant and ids the bench never wrote', () => {
    expect(foreignResults(3, ['3.0', '3.17', '3.2'])).toEqual([]);
    expect(foreignResults(3, ['3.0', '4.1', '3.2'])).toEqual(['4.1']);
    expect(foreignResults(3, ['3.0', '13.0', '3.5x', 'other'])).toEqual(['13.0', '3.5x', 'other']);
  });
});
