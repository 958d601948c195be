import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency } from './percentiles.js';
import { bucketOf } from './size-buckets.js';

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(hundred, 0.5)).toBe(50.5);
    expect(percentile(hundred, 0.95)).toBeCloseTo(95.05, 10);
    expect(percentile(hundred, 0.99)).toBeCloseTo(99.01, 10);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile(hundred, 1)).toBe(100);
  });

  it('does not depend on the order of the samples, and does not reorder them', () => {
    const samples = [9, 1, 5, 3, 7];
    expect(percentile(samples, 0.5)).toBe(5);
    expect(samples).toEqual([9, 1, 5, 3, 7]);
  });

  it('is NaN for no samples and refuses p outside 0..1', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it('summarizes latency as count, p50, p95, p99 and max', () => {
    expect(summarizeLatency([4, 1, 3, 2])).toEqual({ count: 4, p50Ms: 2.5, p95Ms: 3.85, p99Ms: 3.97, maxMs: 4 });
  });
});

describe('bucketOf', () => {
  it('puts < 1,000 records in small, 1,000 to 20,000 in medium, more in large', () => {
    expect([1, 999, 1000, 20_000, 20_001, 1e6].map(bucketOf)).toEqual(['small', 'small', 'medium', 'medium', 'large', 'large']);
  });
});
