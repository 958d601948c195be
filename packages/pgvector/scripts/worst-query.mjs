/* global process, console, performance */
// Worst-query recall of one large bench tenant on an HNSW index of its own, per search setting.
//   DATABASE_URL=… node packages/pgvector/scripts/worst-query.mjs
// Settings (environment): SCALE=saas-tenth (default; the `--scale saas --tenants 1000 --vectors
// 100000` workload, whose largest tenant holds 15,000 records) or 200k (1,000 zipf:1 tenants,
// 200,000 records); CONSTRUCTION=m,ef_construction (default 16,64, the backend's); CONFIGS=a list
// of the configurations below (default all).
// Loads only that tenant into a table of its own (as collection-per-tenant does), builds the
// index once at full size, and compares each of its queries with the exact answer: recall@10,
// and how much farther the returned tenth neighbour is than the true tenth (cosine distance),
// which tells a search that went to the wrong place from one that chose among near ties.
import pg from 'pg';
import { benchScales, exactTopK, parseDistribution, recallAtK, syntheticWorkload } from '../../bench/dist/index.js';

const scales = {
  'saas-tenth': { ...benchScales.saas.settings, tenants: 1000, records: 100_000 },
  '200k': { tenants: 1000, records: 200_000, dimension: 384, distribution: parseDistribution('zipf:1'), queries: 600 },
};
const scaleName = process.env.SCALE ?? 'saas-tenth';
const scale = scales[scaleName];
if (scale === undefined) throw new Error(`SCALE must be one of ${Object.keys(scales).join(', ')}`);
const workload = syntheticWorkload({ ...scale, seed: 1 });
const dimension = workload.dimension;
const big = workload.tenants.reduce((best, tenant, index) => (tenant.size > workload.tenants[best].size ? index : best), 0);
const tenant = workload.tenants[big];
const vectors = workload.tenantVectors(big);
const queries = workload.queries.filter((query) => query.tenant === big);
const literal = (vector) => `[${Array.from(vector).join(',')}]`;
const vectorAt = (local) => vectors.subarray(local * dimension, (local + 1) * dimension);
const [m, efConstruction] = (process.env.CONSTRUCTION ?? '16,64').split(',').map(Number);

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const table = `worst_${scaleName.replace('-', '_')}_${m}_${efConstruction}`;
const exists = (await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0].found;
if (!exists) {
  await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY, embedding vector(${dimension}) NOT NULL)`);
  for (let start = 0; start < tenant.size; start += 500) {
    const ids = [];
    const texts = [];
    for (let local = start; local < Math.min(tenant.size, start + 500); local += 1) {
      ids.push(`${big}.${local}`);
      texts.push(literal(vectorAt(local)));
    }
    await client.query(`INSERT INTO ${table} SELECT * FROM unnest($1::text[], $2::vector[])`, [ids, texts]);
  }
  await client.query("SET maintenance_work_mem = '1GB'");
  const started = performance.now();
  await client.query(`CREATE INDEX ${table}_embedding_idx ON ${table} USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`);
  console.log(`index m=${m} ef_construction=${efConstruction} built on ${tenant.size} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`tenant ${big}: ${tenant.size} records, ${queries.length} queries`);

const similarity = (query, id) => {
  const local = Number(id.split('.')[1]);
  const vector = vectorAt(local);
  let sum = 0;
  for (let index = 0; index < dimension; index += 1) sum += query.vector[index] * vector[index];
  return sum;
};

// One search configuration: transaction-local settings, and `window` candidates re-ranked to 10.
async function run(name, settings, window = 10) {
  const outcomes = [];
  const latencies = [];
  for (const query of queries) {
    await client.query('BEGIN');
    for (const [setting, value] of Object.entries(settings)) await client.query('SELECT set_config($1, $2, true)', [setting, value]);
    const started = performance.now();
    const text = window === 10
      ? `SELECT id FROM ${table} ORDER BY embedding <=> $1::vector LIMIT 10`
      : `SELECT id FROM (SELECT id, embedding <=> $1::vector AS distance FROM ${table} ORDER BY embedding <=> $1::vector LIMIT ${window}) AS candidates ORDER BY distance, id LIMIT 10`;
    const { rows } = await client.query(text, [literal(query.vector)]);
    latencies.push(performance.now() - started);
    await client.query('COMMIT');
    const expected = exactTopK(workload, big, query.vector, 10);
    const returned = rows.map((row) => row.id);
    const recall = recallAtK({ returned, expected, scoreOf: (id) => similarity(query, id) });
    // Cosine distances of the tenth result returned and the true tenth.
    const trueTenth = 1 - expected.kthScore;
    const returnedTenth = 1 - Math.min(...returned.map((id) => similarity(query, id)));
    outcomes.push({ recall, excess: returnedTenth / trueTenth - 1, trueTenth, nearest: 1 - similarity(query, expected.ids[0]) });
  }
  const sorted = [...outcomes].sort((a, b) => a.recall - b.recall);
  const times = [...latencies].sort((a, b) => a - b);
  const mean = outcomes.reduce((sum, outcome) => sum + outcome.recall, 0) / outcomes.length;
  const worst = sorted[0];
  console.log(
    `${name.padEnd(52)} mean ${mean.toFixed(3)}  p5 ${sorted[Math.floor(sorted.length * 0.05)].recall.toFixed(3)}  worst ${worst.recall.toFixed(3)}` +
      ` (its 10th returned ${(worst.excess * 100).toFixed(1)} % farther than the true 10th, at ${worst.trueTenth.toFixed(3)}; nearest ${worst.nearest.toFixed(3)})` +
      `  p50 ${times[Math.floor(times.length / 2)].toFixed(2)} ms  p95 ${times[Math.floor(times.length * 0.95)].toFixed(2)} ms`,
  );
}

// REBUILDS=N: build the index N more times (a build draws each node's level at random, so two
// builds of the same rows differ) and report the default search on each graph.
for (let build = 1; build <= Number(process.env.REBUILDS ?? 0); build += 1) {
  await client.query(`DROP INDEX IF EXISTS ${table}_embedding_idx`);
  await client.query("SET maintenance_work_mem = '1GB'");
  await client.query(`CREATE INDEX ${table}_embedding_idx ON ${table} USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`);
  await run(`build ${build}: ef_search 200, strict_order`, { enable_sort: 'off', 'hnsw.iterative_scan': 'strict_order', 'hnsw.max_scan_tuples': '40000', 'hnsw.ef_search': '200' });
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
await client.end();
