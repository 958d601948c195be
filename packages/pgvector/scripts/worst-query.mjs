/* global process, console, performance */
// Worst-query recall of the bench's largest tenant on an HNSW index of its own, per search setting.
// node packages/pgvector/scripts/worst-query.mjs   (DATABASE_URL; the bench's 200k workload, seed 1)
// Loads only the one > 20k tenant into a table of its own (as collection-per-tenant does), builds
// the index as the backend does (m 16, ef_construction 64, or CONSTRUCTION=...), and compares
// each of its queries with the exact answer.
import pg from 'pg';
import { exactTopK, parseDistribution, recallAtK, syntheticWorkload } from '../../bench/dist/index.js';

const workload = syntheticWorkload({ tenants: 1000, records: 200_000, dimension: 384, distribution: parseDistribution('zipf:1'), queries: 600, seed: 1 });
const big = workload.tenants.reduce((best, tenant, index) => (tenant.size > workload.tenants[best].size ? index : best), 0);
const tenant = workload.tenants[big];
const queries = workload.queries.filter((query) => query.tenant === big);
const literal = (vector) => `[${Array.from(vector).join(',')}]`;
const vectorAt = (local) => workload.vectors.subarray((tenant.offset + local) * 384, (tenant.offset + local + 1) * 384);
const [m, efConstruction] = (process.env.CONSTRUCTION ?? '16,64').split(',').map(Number);
// BUILD_AT=2000: build the index once that many rows are in, then insert the rest through it in
// batches of 500, as the backend does when a write takes a table past partialIndexAbove.
const buildAt = Number(process.env.BUILD_AT ?? tenant.size);

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const table = `worst_${m}_${efConstruction}${buildAt < tenant.size ? `_at_${buildAt}` : ''}`;
const exists = (await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0].found;
const load = async (from, to) => {
  for (let start = from; start < to; start += 500) {
    const ids = [];
    const vectors = [];
    for (let local = start; local < Math.min(to, start + 500); local += 1) {
      ids.push(`${big}.${local}`);
      vectors.push(literal(vectorAt(local)));
    }
    await client.query(`INSERT INTO ${table} SELECT * FROM unnest($1::text[], $2::vector[])`, [ids, vectors]);
  }
};
if (!exists) {
  await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY, embedding vector(384) NOT NULL)`);
  await load(0, buildAt);
  await client.query("SET maintenance_work_mem = '1GB'");
  const started = performance.now();
  await client.query(`CREATE INDEX ON ${table} USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`);
  await load(buildAt, tenant.size);
  console.log(`index m=${m} ef_construction=${efConstruction} built at ${buildAt} rows, then filled, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`tenant ${big}: ${tenant.size} records, ${queries.length} queries`);

const exactScore = (query, id) => {
  const local = Number(id.split('.')[1]);
  let sum = 0;
  const vector = vectorAt(local);
  for (let index = 0; index < 384; index += 1) sum += query.vector[index] * vector[index];
  return sum;
};

// One search configuration: transaction-local settings, and `window` candidates re-ranked to 10.
async function run(name, settings, window = 10) {
  const recalls = [];
  const latencies = [];
  for (const query of queries) {
    await client.query('BEGIN');
    for (const [setting, value] of Object.entries(settings)) await client.query(`SELECT set_config($1, $2, true)`, [setting, value]);
    const started = performance.now();
    const text = window === 10
      ? `SELECT id FROM ${table} ORDER BY embedding <=> $1::vector LIMIT 10`
      : `SELECT id FROM (SELECT id, embedding <=> $1::vector AS distance FROM ${table} ORDER BY embedding <=> $1::vector LIMIT ${window}) AS candidates ORDER BY distance, id LIMIT 10`;
    const { rows } = await client.query(text, [literal(query.vector)]);
    latencies.push(performance.now() - started);
    await client.query('COMMIT');
    const expected = exactTopK(workload, big, query.vector, 10);
    recalls.push(recallAtK({ returned: rows.map((row) => row.id), expected, scoreOf: (id) => exactScore(query, id) }));
  }
  const sorted = [...recalls].sort((a, b) => a - b);
  const times = [...latencies].sort((a, b) => a - b);
  const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
  const worstQuery = recalls.indexOf(sorted[0]);
  console.log(`${name.padEnd(58)} mean ${mean.toFixed(3)}  p5 ${sorted[Math.floor(sorted.length * 0.05)].toFixed(3)}  worst ${sorted[0].toFixed(3)} (query ${worstQuery})  p50 ${times[Math.floor(times.length / 2)].toFixed(2)} ms  p95 ${times[Math.floor(times.length * 0.95)].toFixed(2)} ms`);
  return recalls;
}

const backend = { enable_sort: 'off', 'hnsw.iterative_scan': 'strict_order', 'hnsw.max_scan_tuples': '40000' };
const configs = (process.env.CONFIGS ?? 'all').split(',');
const want = (name) => configs.includes('all') || configs.includes(name);
if (want('exact')) await run('exact (enable_indexscan off)', { enable_indexscan: 'off' });
if (want('backend')) await run('backend today: ef_search 200, strict_order', { ...backend, 'hnsw.ef_search': '200' });
if (want('ef40')) await run('ef_search 40, no iterative scan', { enable_sort: 'off', 'hnsw.ef_search': '40' });
if (want('ef400')) await run('ef_search 400, strict_order', { ...backend, 'hnsw.ef_search': '400' });
if (want('ef1000')) await run('ef_search 1000, strict_order', { ...backend, 'hnsw.ef_search': '1000' });
if (want('rerank')) await run('ef_search 200, 100 candidates re-ranked', { ...backend, 'hnsw.ef_search': '200' }, 100);
if (want('relaxed')) await run('ef_search 200, relaxed_order, 200 re-ranked', { ...backend, 'hnsw.iterative_scan': 'relaxed_order', 'hnsw.ef_search': '200' }, 200);
await client.end();
