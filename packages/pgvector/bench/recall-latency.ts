/**
 * Recall and latency of tenant isolation on native Postgres + pgvector, per tenant-size bucket.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/recall-latency.ts \
 *     [--vectors 200000] [--dimension 384] [--tenants 1000] [--zipf 1] [--clusters 64] \
 *     [--queries 60] [--rounds 3] [--seed 1] [--schema tenantvec_bench] [--keep]
 *
 * Data: a seeded Gaussian mixture (clustered, like real embeddings); tenant sizes follow Zipf.
 * The same records are loaded through the store under metadata-filter, namespace-per-tenant and
 * collection-per-tenant, and into one plain table with a shared HNSW index — the naive baseline
 * (`WHERE tenant = $1 ORDER BY embedding <=> $2 LIMIT 10` at default settings). Ground truth is
 * an exact scan. Progress goes to stderr; a Markdown table to stdout.
 */
import { createTenantVectorStore, type TenantVectorStore } from '@tenantvec/core';
import { type IsolationStrategy } from '@tenantvec/core/backend';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import pg from 'pg';
import { pgvector } from '../src/index.js';
import { seeded, syntheticData } from './synthetic-data.js';

function option(name: string, fallback: number): number;
function option(name: string, fallback: string): string;
function option(name: string, fallback: number | string): number | string {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = process.argv[index + 1] ?? '';
  return typeof fallback === 'number' ? Number(value) : value;
}

const settings = {
  vectors: option('vectors', 200_000),
  dimension: option('dimension', 384),
  tenants: option('tenants', 1000),
  zipf: option('zipf', 1),
  clusters: option('clusters', 64),
  queries: option('queries', 60),
  rounds: option('rounds', 3),
  seed: option('seed', 1),
  schema: option('schema', 'tenantvec_bench'),
  keep: process.argv.includes('--keep'),
};
const connectionString = process.env.DATABASE_URL;
if (connectionString === undefined) throw new Error('Set DATABASE_URL to a Postgres server with pgvector, e.g. postgres://postgres@127.0.0.1:5432/test');

const started = Date.now();
const log = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

const { sizes, point, recordsOf } = syntheticData(settings);
const tenantId = (index: number) => `tenant-${String(index).padStart(4, '0')}`;
const buckets = [
  { name: '< 1k', holds: (size: number) => size < 1000 },
  { name: '1k–20k', holds: (size: number) => size >= 1000 && size <= 20_000 },
  { name: '> 20k', holds: (size: number) => size > 20_000 },
];

/** Query tenants per bucket (weighted to cover sizes), and one query vector each. */
function workload(): { bucket: string; tenant: number; vector: number[] }[] {
  const random = seeded(settings.seed + 99);
  const queries: { bucket: string; tenant: number; vector: number[] }[] = [];
  for (const bucket of buckets) {
    const members = sizes.map((size, index) => ({ size, index })).filter(({ size }) => bucket.holds(size));
    if (members.length === 0) continue;
    for (let query = 0; query < settings.queries; query += 1) {
      queries.push({ bucket: bucket.name, tenant: members[query % members.length]!.index, vector: point(random) });
    }
  }
  return queries;
}

async function forEachTenant(work: (index: number) => Promise<void>, concurrency = 3): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < sizes.length) {
        const index = next;
        next += 1;
        await work(index);
        done += 1;
        if (done % 100 === 0) log(`  ${done}/${sizes.length} tenants`);
      }
    }),
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/**
 * Drops the bench schema a hundred tables per transaction: one DROP SCHEMA CASCADE over a
 * thousand tables and a thousand partitions runs out of lock slots (max_locks_per_transaction).
 */
async function dropSchema(pool: pg.Pool): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relispartition DESC, c.relkind LIMIT 100`,
      [settings.schema],
    );
    if (rows.length === 0) break;
    await pool.query(`DROP TABLE IF EXISTS ${rows.map((row) => `"${settings.schema}"."${row.name}"`).join(', ')} CASCADE`);
  }
  await pool.query(`DROP SCHEMA IF EXISTS "${settings.schema}" CASCADE`);
}

interface Measured { bucket: string; approach: string; recall: number; p50: number; p95: number }

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString, max: 4 });
  await dropSchema(pool);
  log(`${settings.vectors} vectors × ${settings.dimension} dims, ${settings.tenants} tenants (largest ${sizes[0]}, smallest ${sizes.at(-1)})`);
  for (const bucket of buckets) log(`  bucket ${bucket.name}: ${sizes.filter(bucket.holds).length} tenants`);

  // Ground truth and the naive baseline: one table, one shared HNSW index over every tenant.
  const naive = `"${settings.schema}".naive`;
  await pool.query(`CREATE SCHEMA "${settings.schema}"`);
  await pool.query(`CREATE TABLE ${naive} (tenant text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, embedding vector(${settings.dimension}) NOT NULL, PRIMARY KEY (tenant, id))`);
  log('loading the naive table');
  await forEachTenant(async (index) => {
    const records = recordsOf(index);
    for (let start = 0; start < records.length; start += 500) {
      const batch = records.slice(start, start + 500);
      await pool.query(`INSERT INTO ${naive} SELECT $1, id, embedding::vector FROM unnest($2::text[], $3::text[]) AS input(id, embedding)`, [
        tenantId(index),
        batch.map((record) => record.id),
        batch.map((record) => JSON.stringify(record.vector)),
      ]);
    }
  });
  log('building the shared HNSW index of the naive baseline');
  const indexing = await pool.connect();
  await indexing.query("SET maintenance_work_mem = '2GB'");
  await indexing.query('SET max_parallel_maintenance_workers = 1');
  await indexing.query(`CREATE INDEX ON ${naive} USING hnsw (embedding vector_cosine_ops)`);
  indexing.release();
  await pool.query(`VACUUM (ANALYZE) ${naive}`);

  const queries = workload();
  log(`computing exact answers for ${queries.length} queries`);
  const truth: string[][] = [];
  for (const query of queries) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM ${naive} WHERE tenant = $1 ORDER BY embedding <=> $2::vector, id LIMIT 10`,
      [tenantId(query.tenant), JSON.stringify(query.vector)],
    );
    truth.push(rows.map((row) => row.id));
  }

  type Search = (tenant: string, vector: number[]) => Promise<string[]>;
  const searches = new Map<string, Search>();
  searches.set('naive: shared HNSW + WHERE tenant', async (tenant, vector) => {
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${naive} WHERE tenant = $1 ORDER BY embedding <=> $2::vector LIMIT 10`, [tenant, JSON.stringify(vector)]);
    return rows.map((row) => row.id);
  });

  const strategies: [string, () => IsolationStrategy][] = [
    ['metadata-filter', metadataFilter],
    ['namespace-per-tenant', namespacePerTenant],
    ['collection-per-tenant', collectionPerTenant],
  ];
  const stores: TenantVectorStore[] = [];
  for (const [name, strategy] of strategies) {
    const backend = pgvector({ pool, schema: settings.schema });
    const store: TenantVectorStore = await createTenantVectorStore({ backend, strategy: strategy(), dimension: settings.dimension, name: name.replaceAll('-', '_'), maxBatchSize: 500 });
    stores.push(store);
    log(`loading ${name}`);
    const loadStarted = Date.now();
    await forEachTenant(async (index) => {
      const records = recordsOf(index);
      const scope = store.forTenant(tenantId(index));
      for (let start = 0; start < records.length; start += 500) await scope.upsert(records.slice(start, start + 500));
    });
    log(`loaded ${name} in ${((Date.now() - loadStarted) / 1000).toFixed(0)}s`);
    searches.set(name, async (tenant, vector) => (await store.forTenant(tenant).query({ vector, topK: 10 })).map((hit) => hit.id));
  }
  // Measure in a steady state: no autovacuum of the fresh rows running under the queries.
  log('vacuum and analyze');
  await pool.query('VACUUM (ANALYZE)');

  // Every approach once untimed (warm caches alike), then timed rounds that alternate the
  // approaches, so a noisy minute on the machine does not land on one approach only.
  const timings = new Map<string, { found: number; wanted: number; times: number[] }>();
  for (let round = 0; round <= settings.rounds; round += 1) {
    for (const [approach, search] of searches) {
      for (const [index, query] of queries.entries()) {
        const began = performance.now();
        const ids = await search(tenantId(query.tenant), query.vector);
        const elapsed = performance.now() - began;
        if (round === 0) continue;
        const expected = truth[index]!;
        const key = `${query.bucket}|${approach}`;
        const entry = timings.get(key) ?? { found: 0, wanted: 0, times: [] };
        entry.found += ids.filter((id) => expected.includes(id)).length;
        entry.wanted += expected.length;
        entry.times.push(elapsed);
        timings.set(key, entry);
      }
    }
    log(round === 0 ? 'warm-up pass done' : `timed round ${round} of ${settings.rounds} done`);
  }
  const results: Measured[] = [...timings].map(([key, entry]) => {
    const [bucket, approach] = key.split('|') as [string, string];
    return { bucket, approach, recall: entry.found / entry.wanted, p50: percentile(entry.times, 50), p95: percentile(entry.times, 95) };
  });
  for (const store of stores) await store.close();

  const approaches = ['metadata-filter', 'namespace-per-tenant', 'collection-per-tenant', 'naive: shared HNSW + WHERE tenant'];
  const lines = [
    `${settings.vectors.toLocaleString('en')} vectors × ${settings.dimension} dims, ${settings.tenants} tenants (Zipf s=${settings.zipf}), ${settings.queries} queries per bucket × ${settings.rounds} rounds, top-10, cosine.`,
    '',
    '| tenant size | tenants | approach | recall@10 | p50 ms | p95 ms |',
    '|---|---|---|---|---|---|',
  ];
  for (const bucket of buckets) {
    for (const approach of approaches) {
      const result = results.find((item) => item.bucket === bucket.name && item.approach === approach);
      if (result === undefined) continue;
      lines.push(`| ${bucket.name} | ${sizes.filter(bucket.holds).length} | ${approach} | ${result.recall.toFixed(3)} | ${result.p50.toFixed(2)} | ${result.p95.toFixed(2)} |`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!settings.keep) await dropSchema(pool);
  await pool.end();
  log('done');
}

await main();
