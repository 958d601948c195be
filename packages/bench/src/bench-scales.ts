import type { BenchSettings } from './bench-settings.js';
import { parseDistribution, type SizeDistribution } from './tenant-sizes.js';

export interface BenchScale {
  /** One line for `--help` and the report. */
  description: string;
  settings: Pick<BenchSettings, 'tenants' | 'records' | 'dimension' | 'queries' | 'distribution'>;
  /**
   * Settings of the Postgres backends (pgvector, pglite) the scale needs to mean what it says;
   * a config's own backend settings win.
   */
  postgresSettings: Record<string, unknown>;
}

/**
 * 5 tenants (0.05 %) hold 15 % of the records (30,000 each at full size), 45 hold 18 % (4,000),
 * 1,100 hold 57 % (about 518) and the 8,850 left share 10 % (11 or 12 each).
 */
const saasDistribution = parseDistribution('tiers:0.05%:15%,0.45%:18%,11%:57%') as SizeDistribution;

/**
 * Named workloads for `--scale`. `saas` is the run of issue #14: 10,000 tenants and 1,000,000
 * × 384 clustered vectors with more than 1,000 tenants holding their own partial index. A
 * thousand tenants above the default index threshold (2,000 records) would need two million
 * records on their own, so the scale lowers the threshold to 500: the planner then weighs
 * 1,150 partial indexes on every query of a shared table, which is what the run is for.
 */
export const benchScales = {
  saas: {
    description: '10,000 tenants, 1,000,000 × 384 clustered vectors, 1,150 tenants above the index threshold (500) and 5 of 30,000 records, 300 queries',
    settings: { tenants: 10_000, records: 1_000_000, dimension: 384, queries: 300, distribution: saasDistribution },
    postgresSettings: { partialIndexAbove: 500 },
  },
} as const satisfies Record<string, BenchScale>;

export type BenchScaleName = keyof typeof benchScales;

export function benchScale(name: string): BenchScale | undefined {
  return Object.hasOwn(benchScales, name) ? benchScales[name as BenchScaleName] : undefined;
}

export const postgresBackends: readonly string[] = ['pgvector', 'pglite'];
