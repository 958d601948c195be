import type { BenchResults, BucketResult, StrategyResult } from './bench-results.js';

function bucket(name: 'small' | 'medium', p95Ms: number, recall: number): BucketResult {
  return {
    bucket: name,
    label: name === 'small' ? '< 1k' : '1k–20k',
    tenants: 10,
    tenantsQueried: 5,
    latency: { count: 20, p50Ms: p95Ms / 2, p95Ms, p99Ms: p95Ms * 1.2, maxMs: p95Ms * 1.5 },
    recall,
    worstRecall: recall,
  };
}

function strategy(name: StrategyResult['strategy'], p95Ms: number, recall: number): StrategyResult {
  const buckets = [bucket('small', p95Ms / 4, 1), bucket('medium', p95Ms, recall)];
  return {
    strategy: name,
    status: 'ok',
    ingest: { records: 1000, seconds: 1, recordsPerSecond: 1000, batchSize: 500 },
    onboarding: { count: 2, p50Ms: 1, p95Ms: 1, p99Ms: 1, maxMs: 1 },
    queries: { topK: 10, buckets, all: { ...structuredClone(buckets[1]!), tenants: 20 } },
    leaks: { queries: 40, probes: 5, returned: 0, withheld: 0, direct: 0, foreignGets: 0 },
    overhead: { queries: 10, directP50Ms: 1, tenantvecP50Ms: 1.1, overheadP50Ms: 0.1, overheadPercent: 10 },
    offboarding: { count: 2, p50Ms: 1, p95Ms: 1, p99Ms: 1, maxMs: 1, residue: 0, stillListed: 0, collateral: 0 },
    storageBytes: null,
  };
}

/** Hand-made results with round figures, for the report and comparison tests. */
export function sampleResults(): BenchResults {
  return {
    format: 1,
    tool: 'tenantvec bench',
    startedAt: '2026-11-23T19:00:00.000Z',
    finishedAt: '2026-11-23T19:01:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGb: 8, node: 'v20', platform: 'linux x64' },
    settings: { backend: 'memory', strategies: ['collection-per-tenant', 'metadata-filter'], tenants: 20, records: 1000, dimension: 8, distribution: 'zipf:1', queries: 40, topK: 10, seed: 1, batchSize: 500 },
    workload: { description: 'test', largestTenant: 300, smallestTenant: 5, buckets: [] },
    strategies: [strategy('collection-per-tenant', 8, 1), strategy('metadata-filter', 12, 0.95)],
    problems: [],
    passed: true,
  };
}
