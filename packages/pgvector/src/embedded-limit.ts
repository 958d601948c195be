import type { RecordLimit } from '@tenantvec/core/backend';

const limit = 20_000;

/**
 * Where embedded Postgres (PGlite: Postgres and pgvector compiled to WebAssembly, in the
 * application's process) stops being the right choice. Measured with `tenantvec bench` and a
 * bare `INSERT … unnest` on this repository's 2-core machine (docs/benchmarks.md, "PGlite at real
 * sizes"): rows of tenants without a vector index load at ~2,500–3,600 records per CPU-second at
 * any size, but every write to a tenant past the index threshold also inserts into its HNSW graph
 * inside WebAssembly, at ~400–900 records per CPU-second, and each crossing builds a graph in one
 * statement. Past about 20,000 records a load is dominated by that; a server does the same work natively.
 * A bulk load (`bulkLoad`, `tenantvec import`) skips the per-row graph upkeep and builds each index
 * once at the end — a 60,000-record bench loads in under a minute — so the limit is about live
 * writes to large tenants, which a bulk load cannot help.
 */
export const embeddedRecordLimit: RecordLimit = {
  name: 'embedded Postgres up to (records)',
  value: limit,
  source: 'tenantvec default, measured with tenantvec bench on PGlite 0.5.14 / pgvector 0.8: past ~20,000 records, HNSW maintenance in WebAssembly cuts ingest to ~400–900 records per CPU-second',
  warning: (records) =>
    `Embedded Postgres (PGlite) with ${records.toLocaleString('en')} records is past its measured limit of ${limit.toLocaleString('en')}: ` +
    'live writes to tenants with their own HNSW index run in WebAssembly at a few hundred records per second (a bulk load builds each index once at the end instead). Use a Postgres server with pgvector (backend type pgvector) for this size.',
  reason: `Embedded Postgres (PGlite) suits stores of up to about ${limit.toLocaleString('en')} records; past that, use a Postgres server.`,
};
