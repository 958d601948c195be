import type { Threshold } from './strategy-thresholds.js';

/**
 * Where embedded Postgres (PGlite: Postgres and pgvector compiled to WebAssembly, in the
 * application's process) stops being the right default. Measured with `tenantvec bench` and a
 * bare `INSERT … unnest` on this repository's 2-core machine (docs/benchmarks.md, "PGlite at real
 * sizes"): rows of tenants without a vector index load at ~2,500–3,600 records per CPU-second at
 * any size, but every write to a tenant past the index threshold (2,000 records) also inserts into
 * its HNSW graph inside WebAssembly, at ~400–900 records per CPU-second, and each crossing builds
 * a graph in one statement. Past about 20,000 records a load is dominated by that and a 60,000-record
 * bench takes minutes; a Postgres server does the same work natively.
 */
export const embeddedPostgresLimit: Threshold = {
  value: 20_000,
  source: 'tenantvec bench on PGlite 0.5.14 / pgvector 0.8 (docs/benchmarks.md, PGlite at real sizes): past ~20,000 records, HNSW maintenance in WebAssembly cuts ingest to ~400–900 records per CPU-second',
};

/** Records a tenant shape implies at least: every tenant at the median, or the largest alone. */
export function impliedRecords(tenants: { count: number; median?: number; largest?: number }): number | undefined {
  const candidates = [tenants.median === undefined ? undefined : tenants.median * tenants.count, tenants.largest].filter((value): value is number => value !== undefined);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

/** The sentence `recommend` and `inspect` print when an embedded store is, or will be, past the limit. */
export function embeddedLimitWarning(records: number): string {
  return `Embedded Postgres (PGlite) with ${records.toLocaleString('en')} records is past its measured limit of ${embeddedPostgresLimit.value.toLocaleString('en')}: ` +
    'writes to tenants with their own HNSW index run in WebAssembly at a few hundred records per second. Use a Postgres server with pgvector (backend type pgvector) for this size.';
}
