import { describe, expect, it } from 'vitest';
import type { BenchResults } from './bench-results.js';
import { compareResults, comparisonMarkdown } from './compare-results.js';
import { sampleResults } from './sample-results.test-support.js';

function slower(results: BenchResults, factor: number, recallDrop: number): BenchResults {
  const copy = structuredClone(results);
  const bucket = copy.strategies[1]!.queries!.buckets[1]!;
  bucket.latency.p95Ms *= factor;
  bucket.recall -= recallDrop;
  return copy;
}

describe('compareResults', () => {
  it('finds nothing between a run and itself', () => {
    const comparison = compareResults(sampleResults(), sampleResults());
    expect(comparison.regressions).toEqual([]);
    expect(comparison.workloadDiffers).toBe(false);
    expect(comparisonMarkdown(comparison)).toContain('No regressions.');
  });

  it('reports a p95 more than 20% slower and a recall more than 0.01 lower, bucket by bucket', () => {
    const comparison = compareResults(sampleResults(), slower(sampleResults(), 1.5, 0.05));
    expect(comparison.regressions).toEqual(['metadata-filter (1k–20k): p95 12.0 → 18.0 ms (+50%).', 'metadata-filter (1k–20k): recall 0.950 → 0.900.']);
    expect(comparisonMarkdown(comparison)).toContain('| metadata-filter | 1k–20k | 6.00 → 6.00 | 12.0 → 18.0 | +50% | 0.950 → 0.900 |');
    expect(compareResults(sampleResults(), slower(sampleResults(), 1.1, 0.005)).regressions).toEqual([]);
  });

  it('reports new problems and a changed workload', () => {
    const after = { ...sampleResults(), problems: ['metadata-filter: 3 query results belonged to another tenant.'], passed: false, settings: { ...sampleResults().settings, seed: 2 } };
    const comparison = compareResults(sampleResults(), after);
    expect(comparison.regressions).toEqual(['new problem: metadata-filter: 3 query results belonged to another tenant.']);
    expect(comparison.workloadDiffers).toBe(true);
    expect(comparison.after.passed).toBe(false);
  });
});
