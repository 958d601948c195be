import type { LatencySummary } from './percentiles.js';
import type { SizeBucketName } from './size-buckets.js';

/** What `--mode` measures: `vector`, the default run; `hybrid`, the three query modes on a labelled text workload. */
export type BenchMode = 'vector' | 'hybrid';

export const benchModes: readonly BenchMode[] = ['vector', 'hybrid'];

export const searchModes = ['vector', 'keyword', 'hybrid'] as const;

export type SearchMode = (typeof searchModes)[number];

/** One query mode's figures over a set of queries. */
export interface ModeMeasurement {
  status: 'ok';
  /** Mean recall@k against the planted relevant documents. */
  recall: number;
  /** 5th percentile and lowest recall of a single query. */
  p5Recall: number;
  worstRecall: number;
  latency: LatencySummary;
}

/**
 * A mode the store refused for this backend × strategy before any I/O: `TERM_STATISTICS_SHARED`
 * (the backend's keyword statistics would cross tenants under this strategy) or `UNSUPPORTED`
 * (no keyword search). Reported, not a failure of the run.
 */
export interface ModeRefusal {
  status: 'refused';
  code: string;
  reason: string;
}

export type ModeOutcome = ModeMeasurement | ModeRefusal;

export interface SearchModesBucket {
  bucket: SizeBucketName;
  label: string;
  /** Tenants of this size in the workload, and how many of them asked at least one query. */
  tenants: number;
  tenantsQueried: number;
  queries: number;
  modes: Record<SearchMode, ModeOutcome>;
  /** Hybrid recall minus the better single branch's; absent when a mode was refused. */
  hybridGain?: number;
}

/** `--mode hybrid`: the three query modes per tenant-size bucket, and over all queries. */
export interface SearchModesResult {
  topK: number;
  /** The store's metric; dot where the backend searches keywords only in dot indexes (the vectors have length 1, so it ranks as cosine). */
  metric: 'cosine' | 'dot';
  /** How hybrid fused its branches (the store's default), for the report. */
  fusion: string;
  buckets: SearchModesBucket[];
  all: Omit<SearchModesBucket, 'bucket' | 'label'>;
}
