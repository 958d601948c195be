import type { StrategyType } from '@tenantvec/core';
import type { LatencySummary } from './percentiles.js';
import type { BenchMode, SearchModesResult } from './search-mode-results.js';
import type { SizeBucketName } from './size-buckets.js';

export const RESULTS_FORMAT_VERSION = 1 as const;

export interface BucketResult {
  bucket: SizeBucketName;
  /** `< 1k`, `1k–20k`, `> 20k` records per tenant. */
  label: string;
  /** Tenants of this size in the workload, and how many of them asked at least one query. */
  tenants: number;
  tenantsQueried: number;
  latency: LatencySummary;
  /** Mean recall@k against exact search over the asking tenant's records. */
  recall: number;
  /** Lowest recall of a single query: one tenant getting nothing is hidden by a mean. */
  worstRecall: number;
  /** 5th percentile of per-query recall: how bad the bad tail is, not only its single worst. */
  p5Recall?: number;
  /** The query behind `worstRecall`: whose it was and how large that tenant is. */
  /**
   * The query with the lowest recall, and when it missed, the true ranks (1 = nearest) of the
   * best and worst record it returned: just past k is a lost near tie, far past it a search that
   * ended in the wrong part of the graph.
   */
  worstQuery?: { tenant: string; tenantSize: number; recall: number; returnedRanks?: { best: number; worst: number; returned: number } };
}

/** tenantvec ÷ the hand-written baseline at p50, with both absolute figures beside it. */
export interface BaselineRatio {
  samples: number;
  tenantvecP50Ms: number;
  baselineP50Ms: number;
  ratio: number;
}

/**
 * "Hand-written SQL, same plan" (Postgres backends only): the same work as one parameterised
 * statement through the driver, as the login, no transaction, with the plan tenantvec chose.
 */
export interface BaselineResult {
  label: 'hand-written SQL, same plan';
  /** Queries whose ids were compared with tenantvec's before timing (all matched, or the run failed). */
  verifiedQueries: number;
  queries: { bucket: SizeBucketName; label: string; queries: number; indexPlanQueries: number; tenantvecP50Ms: number; baselineP50Ms: number; ratio: number }[];
  get: BaselineRatio;
  count: BaselineRatio;
  /** records/s of `INSERT … SELECT FROM unnest(…)` into a copy of the table without vector indexes; `ratio` is baseline ÷ tenantvec rate (time ratio). */
  upsert: { records: number; baselineRecordsPerSecond: number; tenantvecRecordsPerSecond: number; ratio: number };
}

/** `EXPLAIN (ANALYZE, SUMMARY)` planning time of sample queries, per bucket (Postgres backends only). */
export interface PlanningResult {
  buckets: { bucket: SizeBucketName; label: string; samples: number; medianMs: number; maxMs: number; partialIndexes: number }[];
}

export interface StrategyResult {
  strategy: StrategyType;
  /** `ok`; `skipped` when the backend cannot host the strategy; `failed` when the run broke. */
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  ingest?: {
    records: number;
    seconds: number;
    recordsPerSecond: number;
    batchSize: number;
    /** Batches that took a tenant across the index threshold (and so built its index), and the seconds of the builds: their time less their rows at the other batches' rate. */
    indexBuildBatches?: number;
    /** On a backend with `bulkLoad`: the indexes built once after the load, which took `indexBuildSeconds`. */
    indexesBuiltAfterLoad?: number;
    indexBuildSeconds?: number;
    /** The rate of the load itself, without index builds (over every other batch, or before the deferred builds). */
    recordsPerSecondWithoutIndexBuilds?: number;
    /** Highest resident set size seen during the load, in MB. */
    peakRssMb?: number;
  };
  /** First write of a brand-new tenant: the write that creates its storage, if it has any. */
  onboarding?: LatencySummary;
  queries?: { topK: number; buckets: BucketResult[]; all: Omit<BucketResult, 'bucket' | 'label'> };
  /** `--mode hybrid`: recall@k and latency of vector, keyword and hybrid queries of the labelled workload. */
  searchModes?: SearchModesResult;
  /**
   * Results that belonged to another tenant. `returned` came back to the caller; `withheld` were
   * returned by the backend but stopped by the store's ownership check (still a bug, still a
   * failure); `direct` came back from the backend when asked directly with the tenant's walls.
   */
  leaks?: { queries: number; probes: number; returned: number; withheld: number; direct: number; foreignGets: number };
  /** The same query through tenantvec and straight through the backend with the same walls. */
  overhead?: { queries: number; directP50Ms: number; tenantvecP50Ms: number; overheadP50Ms: number; overheadPercent: number };
  offboarding?: LatencySummary & {
    /** Records of dropped tenants still readable afterwards: must be 0. */
    residue: number;
    /** Dropped tenants still listed by `listTenants`: must be 0. */
    stillListed: number;
    /** Records other tenants lost while a tenant was dropped: must be 0. */
    collateral: number;
  };
  baseline?: BaselineResult;
  planning?: PlanningResult;
  /** Bytes of everything the run stored, where the backend reports it; null elsewhere. */
  storageBytes?: number | null;
}

export interface BenchResults {
  format: typeof RESULTS_FORMAT_VERSION;
  tool: 'tenantvec bench';
  startedAt: string;
  finishedAt: string;
  /** The command line that produced the results, when run from the CLI. */
  command?: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; backendVersion?: string };
  settings: {
    backend: string;
    /** Absent in results written before `--mode` existed: those are `vector`. */
    mode?: BenchMode;
    strategies: StrategyType[];
    tenants: number;
    records: number;
    dimension: number;
    distribution: string;
    queries: number;
    topK: number;
    seed: number;
    batchSize: number;
    scale?: string;
    /** Backend settings the run changed from the backend's defaults (a scale's index threshold). */
    backendSettings?: Record<string, unknown>;
    input?: string;
  };
  workload: {
    description: string;
    largestTenant: number;
    smallestTenant: number;
    buckets: { bucket: SizeBucketName; label: string; tenants: number; records: number }[];
  };
  strategies: StrategyResult[];
  /** Every broken promise of the run (leaks, residue, failures); empty when it passed. */
  problems: string[];
  passed: boolean;
}
