/**
 * tenantvec's per-query cost against the same plan written by hand, on native Postgres.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/db npx tsx scripts/query-overhead.ts \
 *     [--vectors 100000] [--dimension 384] [--tenants 1000] [--queries 40] [--rounds 3] [--schema tv_overhead]
 *
 * Loads the same clustered, Zipf-sized data under three strategies through `scope.upsert`
 * (timed: records/s for tenants that never reach `partialIndexAbove`, then for those that do,
 * index builds and HNSW maintenance included), then times `scope.query` / `get` / `count`
 * against the statement the backend would send for the same plan, bound and sent alone through
 * `pg` as the superuser, with no transaction and no row-level security. Calls alternate, so
 * noise lands on both sides. Prints medians per size bucket and their ratio.
 */
import { createTenantVectorStore, type IsolationStrategy } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import pg from 'pg';
import { seeded, syntheticData } from '../bench/synthetic-data.js';
import { pgvector } from '../src/index.js';
import { resolveSettings } from '../src/pgvector-settings.js';
import { indexSearchSettings, planSearch } from '../src/query-planner.js';
import { countRecords, selectByIds, selectNearest } from '../src/sql-statements.js';
import type { Target } from '../src/table-layout.js';

const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const schemaIndex = process.argv.indexOf('--schema');
const schema = schemaIndex === -1 ? 'tv_overhead' : process.argv[schemaIndex + 1]!;
const shape = { vectors: option('vectors', 100_000), dimension: option('dimension', 384), tenants: option('tenants', 1000), zipf: 1, clusters: 64, seed: 1 };
const queriesPerBucket = option('queries', 40);
const rounds = option('rounds', 3);
const connectionString = process.env.DATABASE_URL;
if (connectionString === undefined) throw new Error('Set DATABASE_URL');
const started = Date.now();
const log = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

const data = syntheticData(shape);
const { sizes } = data;
const settings = resolveSettings({ schema });
const tenantId = (index: number) => `tenant-${String(index).padStart(4, '0')}`;
const buckets = [
  { name: '< 100', holds: (size: number) => size < 100 },
  { name: '100–1k', holds: (size: number) => size >= 100 && size < 1000 },
  { name: '1k–10k', holds: (size: number) => size >= 1000 && size < 10_000 },
  { name: '> 10k', holds: (size: number) => size >= 10_000 },
];
const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? Number.NaN;

async function forEach(indexes: number[], work: (index: number) => Promise<void>, concurrency = 3): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < indexes.length) await work(indexes[next++]!);
  }));
}

async function dropSchema(pool: pg.Pool): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relispartition DESC, c.relkind LIMIT 100`,
      [schema],
    );
    if (rows.length === 0) break;
    await pool.query(`DROP TABLE IF EXISTS ${rows.map((row) => `"${schema}"."${row.name}"`).join(', ')} CASCADE`);
  }
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Where a strategy put a tenant, read from the catalogue, as the backend resolves it. */
async function targetOf(pool: pg.Pool, strategy: string, tenant: string): Promise<{ target: Target; scope: { tenant?: string }; key: string }> {
  const name = strategy.replaceAll('-', '_');
  if (strategy === 'metadata-filter') {
    const { rows } = await pool.query(`SELECT name FROM "${schema}"._collections WHERE kind = 'tenant' AND starts_with(name, $1)`, [name]);
    return { target: { table: rows[0].name, metric: 'cosine', keyColumn: 'tenant' }, scope: { tenant }, key: tenant };
  }
  if (strategy === 'namespace-per-tenant') {
    const { rows } = await pool.query(`SELECT table_name, name FROM "${schema}"._partitions WHERE tenant = $1 AND starts_with(collection, $2)`, [tenant, name]);
    return { target: { table: rows[0].table_name, metric: 'cosine', partition: rows[0].name }, scope: {}, key: '' };
  }
  const { rows } = await pool.query(`SELECT name FROM "${schema}"._collections WHERE tenant = $1 AND kind = 'single'`, [tenant]);
  return { target: { table: rows[0].name, metric: 'cosine' }, scope: {}, key: '' };
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString, max: 4 });
  // The hand-written index plan runs under the same search settings, set once per connection.
  const options = Object.entries(indexSearchSettings(settings)).map(([name, value]) => `-c ${name}=${value}`).join(' ');
  const indexPool = new pg.Pool({ connectionString, max: 2, options });
  await dropSchema(pool);
  log(`${shape.vectors} × ${shape.dimension}, ${shape.tenants} tenants (largest ${sizes[0]}); buckets ${buckets.map((bucket) => `${bucket.name}: ${sizes.filter(bucket.holds).length}`).join(', ')}`);
  const strategies: [string, () => IsolationStrategy][] = [
    ['metadata-filter', metadataFilter],
    ['namespace-per-tenant', namespacePerTenant],
    ['collection-per-tenant', collectionPerTenant],
  ];
  const lines: string[] = ['| strategy | bucket | queries | tenantvec p50 ms | hand-written p50 ms | ratio | get ratio | count ratio |', '|---|---|---|---|---|---|---|---|'];
  const ingest: string[] = [];
  for (const [name, strategy] of strategies) {
    const store = await createTenantVectorStore({ backend: pgvector({ pool, schema }), strategy: strategy(), dimension: shape.dimension, name: name.replaceAll('-', '_'), maxBatchSize: 500 });
    const all = sizes.map((_, index) => index);
    const load = async (indexes: number[]) => {
      const began = performance.now();
      let count = 0;
      await forEach(indexes, async (index) => {
        const records = data.recordsOf(index);
        const scope = store.forTenant(tenantId(index));
        for (let start = 0; start < records.length; start += 500) await scope.upsert(records.slice(start, start + 500));
        count += records.length;
      });
      return { count, seconds: (performance.now() - began) / 1000 };
    };
    const small = await load(all.filter((index) => sizes[index]! < settings.partialIndexAbove));
    const large = await load(all.filter((index) => sizes[index]! >= settings.partialIndexAbove));
    ingest.push(`| ${name} | ${(small.count / small.seconds).toFixed(0)} (${small.count} records) | ${(large.count / large.seconds).toFixed(0)} (${large.count} records) |`);
    log(`loaded ${name}: ${ingest.at(-1)}`);
    await pool.query('VACUUM (ANALYZE)');

    const random = seeded(7);
    for (const bucket of buckets) {
      const members = all.filter((index) => bucket.holds(sizes[index]!));
      if (members.length === 0) continue;
      const times = { query: [[], []] as number[][], get: [[], []] as number[][], count: [[], []] as number[][] };
      for (let round = 0; round <= rounds; round += 1) {
        for (let query = 0; query < queriesPerBucket; query += 1) {
          const index = members[query % members.length]!;
          const tenant = tenantId(index);
          const scope = store.forTenant(tenant);
          const { target, scope: wall, key } = await targetOf(pool, name, tenant);
          const size = (await pool.query(`SELECT records, indexed FROM "${schema}"._vector_indexes WHERE table_name = $1 AND key = $2`, [target.table, key])).rows[0];
          const plan = planSearch(size === undefined ? undefined : { records: Number(size.records), indexed: size.indexed }, settings);
          const vector = data.point(random);
          const physical = (await pool.query(`SELECT id FROM "${schema}"."${target.table}" WHERE record_id = 'r0' ${target.keyColumn === 'tenant' ? 'AND tenant = $1' : 'AND $1::text IS NOT NULL'}`, [tenant])).rows[0].id as string;
          const search = selectNearest({ schema, target, scope: wall, vector, topK: 10, includeVectors: false, plan });
          const byId = selectByIds({ schema, target, scope: wall, ids: [physical] });
          const counting = countRecords({ schema, target, scope: wall });
          const pairs: [keyof typeof times, () => Promise<unknown>, () => Promise<unknown>][] = [
            ['query', () => scope.query({ vector, topK: 10 }), () => (plan === 'index' ? indexPool : pool).query(search.text, search.values)],
            ['get', () => scope.get('r0'), () => pool.query(byId.text, byId.values)],
            ['count', () => scope.count(), () => pool.query(counting.text, counting.values)],
          ];
          for (const [what, ours, theirs] of pairs) {
            const order = (query + round) % 2 === 0 ? [0, 1] : [1, 0];
            for (const side of order) {
              const began = performance.now();
              await (side === 0 ? ours() : theirs());
              if (round > 0) times[what][side]!.push(performance.now() - began);
            }
          }
        }
      }
      const ratio = (what: keyof typeof times) => median(times[what][0]!) / median(times[what][1]!);
      lines.push(`| ${name} | ${bucket.name} | ${times.query[0]!.length} | ${median(times.query[0]!).toFixed(3)} | ${median(times.query[1]!).toFixed(3)} | ${ratio('query').toFixed(2)}× | ${ratio('get').toFixed(2)}× | ${ratio('count').toFixed(2)}× |`);
      log(lines.at(-1)!);
    }
    await store.close();
  }
  process.stdout.write(`${lines.join('\n')}\n\nupsert records/s (scope.upsert, 500 per call, 3 tenants at a time)\n\n| strategy | tenants below partialIndexAbove | tenants reaching it (index builds + HNSW upkeep) |\n|---|---|---|\n${ingest.join('\n')}\n`);
  await dropSchema(pool);
  await indexPool.end();
  await pool.end();
}

await main();
