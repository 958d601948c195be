import type { VectorBackend } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import { alteredMemoryBackend } from './altered-memory-backend.js';
import { defaultBenchSettings, settingsProblems, type BenchSettings } from './bench-settings.js';
import { markdownReport } from './markdown-report.js';
import { recallLatencyChart } from './recall-latency-chart.js';
import { runBench } from './run-bench.js';

/** `--mode hybrid`: the three query modes on the labelled text workload, per tenant-size bucket. */
const tiny: BenchSettings = { ...defaultBenchSettings, backend: 'memory', mode: 'hybrid', tenants: 6, records: 2_500, dimension: 16, queries: 24, warmupQueries: 2 };

describe('runBench --mode hybrid', () => {
  it('measures vector, keyword and hybrid recall against the planted documents, per bucket, with no leaks', async () => {
    const phases = new Set<string>();
    const results = await runBench(tiny, { onProgress: (progress) => phases.add(progress.phase) });
    expect(results.problems).toEqual([]);
    expect(results.passed).toBe(true);
    expect(results.settings.mode).toBe('hybrid');
    for (const result of results.strategies) {
      expect(result.status).toBe('ok');
      const { all, buckets } = result.searchModes!;
      expect(buckets.map((bucket) => bucket.label)).toEqual(['< 1k', '1k–20k']);
      expect(buckets.reduce((sum, bucket) => sum + bucket.queries, 0)).toBe(all.queries);
      const { vector, keyword, hybrid } = all.modes;
      if (vector.status !== 'ok' || keyword.status !== 'ok' || hybrid.status !== 'ok') throw new Error(`${result.strategy}: a mode was refused`);
      // The workload is built so that each branch alone misses what the other finds.
      expect(vector.recall).toBeLessThan(0.9);
      expect(keyword.recall).toBeLessThan(0.9);
      expect(hybrid.recall).toBeGreaterThan(Math.max(vector.recall, keyword.recall));
      expect(all.hybridGain).toBeCloseTo(hybrid.recall - Math.max(vector.recall, keyword.recall), 3);
      // Every timed query and the warm-up ones, in each of the three modes.
      expect(result.leaks).toMatchObject({ returned: 0, withheld: 0, queries: 3 * (all.queries + tiny.warmupQueries) });
      expect(result.searchModes!.metric).toBe('cosine');
      expect(result.ingest!.records).toBe(tiny.records);
    }
    expect([...phases]).toEqual(expect.arrayContaining(['workload', 'ingest', 'vector-queries', 'keyword-queries', 'hybrid-queries']));
    expect(phases.has('ground-truth')).toBe(false);
    const markdown = markdownReport(results);
    expect(markdown).toMatch(/^# tenantvec bench --mode hybrid: memory/);
    expect(markdown).toMatch(/\| metadata-filter \| < 1k \|/);
    expect(recallLatencyChart(results)).toMatch(/query mode[\s\S]*keyword[\s\S]*hybrid/);
  });

  it('reports a refused mode as a finding and still measures the vector mode', async () => {
    const withoutKeywords = alteredMemoryBackend('no-keywords', (inner) => ({ capabilities: { ...inner.capabilities, keyword: undefined } as VectorBackend['capabilities'] }));
    const results = await runBench({ ...tiny, backend: 'no-keywords', strategies: ['metadata-filter'] }, { backends: [withoutKeywords] });
    expect(results.passed).toBe(true);
    const { modes, hybridGain } = results.strategies[0]!.searchModes!.all;
    expect(modes.vector.status).toBe('ok');
    expect(modes.keyword).toMatchObject({ status: 'refused', code: 'UNSUPPORTED' });
    expect(modes.hybrid).toMatchObject({ status: 'refused', code: 'UNSUPPORTED' });
    expect(hybridGain).toBeUndefined();
    expect(markdownReport(results)).toMatch(/refused \(UNSUPPORTED\)/);
    // Refused before any I/O, so only the vector mode's queries were sent.
    expect(results.strategies[0]!.leaks!.queries).toBe(results.strategies[0]!.searchModes!.all.queries + tiny.warmupQueries);
  });

  it('runs on metric dot where the backend searches keywords only there, as Pinecone does', async () => {
    const dotOnly = alteredMemoryBackend('dot-keywords', (inner) => ({ capabilities: { ...inner.capabilities, keyword: { ...inner.capabilities.keyword!, metrics: ['dot'] } } }));
    const results = await runBench({ ...tiny, backend: 'dot-keywords', strategies: ['namespace-per-tenant'], queries: 8 }, { backends: [dotOnly] });
    const { metric, all } = results.strategies[0]!.searchModes!;
    expect(metric).toBe('dot');
    expect(all.modes.keyword.status).toBe('ok');
    expect(all.modes.hybrid.status).toBe('ok');
    expect(markdownReport(results)).toMatch(/Metric dot, which this backend's keyword search needs/);
  });

  it('fails the run when keyword search crosses the tenant walls', async () => {
    const leaky = alteredMemoryBackend('leaky-keywords', (inner) => ({ rawKeywordQuery: (params) => inner.rawKeywordQuery!({ ...params, scope: {} }) }));
    const results = await runBench({ ...tiny, backend: 'leaky-keywords', strategies: ['metadata-filter'], queries: 6 }, { backends: [leaky] });
    expect(results.passed).toBe(false);
    expect(results.strategies[0]!.leaks!.withheld).toBeGreaterThan(0);
    expect(results.problems.join('\n')).toMatch(/metadata-filter: the backend returned another tenant's records/);
  });

  it('refuses settings it cannot honour before running', () => {
    expect(settingsProblems({ ...tiny, input: 'vectors.jsonl' })).toContain('mode hybrid generates its own labelled text workload and cannot read input.');
    expect(settingsProblems({ ...tiny, mode: 'keyword' as never }).join(' ')).toMatch(/mode must be one of vector, hybrid/);
  });
});
