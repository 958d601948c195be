import { describe, expect, it } from 'vitest';
import { alteredMemoryBackend } from './altered-memory-backend.js';
import { defaultBenchSettings, type BenchSettings } from './bench-settings.js';
import { runBench } from './run-bench.js';
import { tenantsToDrop } from './measure-lifecycle.js';

const tiny: BenchSettings = {
  ...defaultBenchSettings,
  backend: 'memory',
  tenants: 6,
  records: 3_000,
  dimension: 8,
  queries: 24,
  onboardingSamples: 2,
  offboardingSamples: 3,
  leakProbes: 6,
  overheadSamples: 4,
  warmupQueries: 2,
};

describe('runBench', () => {
  it('measures every strategy on the memory backend: exact recall, no leaks, no residue', async () => {
    const phases = new Set<string>();
    const results = await runBench(tiny, { onProgress: (progress) => phases.add(progress.phase) });
    expect(results.passed).toBe(true);
    expect(results.strategies.map((result) => [result.strategy, result.status])).toEqual(defaultBenchSettings.strategies.map((strategy) => [strategy, 'ok']));
    for (const result of results.strategies) {
      expect(result.queries!.all.recall).toBe(1);
      expect(result.queries!.buckets.map((bucket) => bucket.label)).toEqual(['< 1k', '1k–20k']);
      expect(result.leaks).toMatchObject({ returned: 0, withheld: 0, direct: 0, foreignGets: 0, probes: 6 });
      expect(result.offboarding).toMatchObject({ count: 3, residue: 0, stillListed: 0, collateral: 0 });
      expect(result.ingest!.records).toBe(3_000);
      expect(result.storageBytes).toBeNull();
    }
    expect([...phases]).toEqual(expect.arrayContaining(['workload', 'ground-truth', 'ingest', 'onboarding', 'queries', 'leak-probes', 'overhead', 'offboarding']));
  });

  it('fails loudly when a backend ignores the tenant walls on queries', async () => {
    const leaky = alteredMemoryBackend('leaky', (inner) => ({ rawQuery: (params) => inner.rawQuery({ ...params, scope: {} }) }));
    const results = await runBench({ ...tiny, backend: 'leaky', strategies: ['metadata-filter'] }, { backends: [leaky] });
    expect(results.passed).toBe(false);
    const leaks = results.strategies[0]!.leaks!;
    // The probes ask with another tenant's own vectors, so a backend that drops the walls
    // returns that tenant's record; the store withholds it, and the bench counts it.
    expect(leaks.withheld).toBeGreaterThanOrEqual(tiny.leakProbes);
    expect(results.problems.join('\n')).toMatch(/metadata-filter: the backend returned another tenant's records/);
  });

  it('says where the worst query\'s results really ranked when it missed', async () => {
    // Asked with the opposite vector, the backend returns the tenant's farthest records.
    const backwards = alteredMemoryBackend('backwards', (inner) => ({ rawQuery: (params) => inner.rawQuery({ ...params, vector: params.vector.map((value) => -value) }) }));
    const results = await runBench({ ...tiny, backend: 'backwards', strategies: ['metadata-filter'] }, { backends: [backwards] });
    for (const bucket of results.strategies[0]!.queries!.buckets) {
      const worst = bucket.worstQuery!;
      expect(worst.recall).toBe(0);
      expect(worst.returnedRanks!.returned).toBe(tiny.topK);
      // The last ranks of the tenant: nothing near the true top 10.
      expect(worst.returnedRanks!.worst).toBe(worst.tenantSize);
      expect(worst.returnedRanks!.best).toBeGreaterThan(worst.tenantSize - 2 * tiny.topK);
    }
    const { markdownReport } = await import('./markdown-report.js');
    expect(markdownReport(results)).toMatch(/returned 10, true ranks [\d,]+–[\d,]+/);
  });

  it('fails when dropping a tenant leaves records behind', async () => {
    const sticky = alteredMemoryBackend('sticky', () => ({ rawDelete: async () => {} }));
    const results = await runBench({ ...tiny, backend: 'sticky', strategies: ['metadata-filter'] }, { backends: [sticky] });
    expect(results.passed).toBe(false);
    expect(results.strategies[0]!.offboarding!.residue).toBeGreaterThan(0);
    expect(results.problems.join('\n')).toMatch(/records were left after dropTenant/);
  });

  it('drops tenants across the sizes: the largest, the smallest and ranks between', () => {
    expect(tenantsToDrop(1000, 5)).toEqual([0, 250, 500, 749, 999]);
    expect(tenantsToDrop(3, 10)).toEqual([0, 1, 2]);
    expect(tenantsToDrop(4, 0)).toEqual([]);
  });
});
