/**
 * Where an exact scan stops being as fast as a tenant's own HNSW index: the measurement behind
 * the defaults of `exactScanBelow` and `partialIndexAbove`.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/exact-scan-crossover.ts \
 *     [--dimension 384] [--sizes 500,1000,2000,5000,10000,20000] [--queries 40]
 *
 * One shared table, one tenant per size, each with a partial HNSW index. For each tenant the
 * same queries run as the exact plan (`ORDER BY distance, id`) and through the partial index
 * (`ef_search` 200, iterative scan); prints p50/p95 of both as a Markdown table.
 */
import pg from 'pg';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
};
const dimension = Number(argument('dimension', '384'));
const sizes = argument('sizes', '500,1000,2000,5000,10000,20000').split(',').map(Number);
const queryCount = Number(argument('queries', '40'));
const schema = 'tenantvec_crossover';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(3);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const centres = Array.from({ length: 64 }, () => Array.from({ length: dimension }, gaussian));
const point = () => {
  const centre = centres[Math.floor(random() * centres.length)]!;
  return JSON.stringify(centre.map((value) => Math.round((value + 0.45 * gaussian()) * 1e4) / 1e4));
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const table = `"${schema}".shared`;
await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
await pool.query(`CREATE SCHEMA "${schema}"`);
await pool.query(`CREATE TABLE ${table} (tenant text COLLATE "C" NOT NULL, id integer NOT NULL, embedding vector(${dimension}) NOT NULL, PRIMARY KEY (tenant, id))`);
for (const size of sizes) {
  for (let start = 0; start < size; start += 500) {
    const count = Math.min(500, size - start);
    await pool.query(`INSERT INTO ${table} SELECT $1, id, embedding::vector FROM unnest($2::int[], $3::text[]) AS input(id, embedding)`, [
      `t${size}`, Array.from({ length: count }, (_, n) => start + n), Array.from({ length: count }, point),
    ]);
  }
  await pool.query(`CREATE INDEX ON ${table} USING hnsw (embedding vector_cosine_ops) WHERE tenant = 't${size}'`);
  process.stderr.write(`loaded and indexed ${size}\n`);
}
await pool.query(`ANALYZE ${table}`);

const client = await pool.connect();
const time = async (sql: string, params: unknown[], settings: string) => {
  await client.query('BEGIN');
  if (settings !== '') await client.query(settings);
  const began = performance.now();
  await client.query(sql, params);
  const elapsed = performance.now() - began;
  await client.query('COMMIT');
  return elapsed;
};
const lines = ['| tenant size | exact p50 ms | exact p95 ms | partial HNSW p50 ms | partial HNSW p95 ms |', '|---|---|---|---|---|'];
for (const size of sizes) {
  const exact: number[] = [];
  const indexed: number[] = [];
  for (let query = 0; query < queryCount + 5; query += 1) {
    const vector = point();
    const exactTime = await time(`SELECT id FROM ${table} WHERE tenant = $1 ORDER BY embedding <=> $2::vector, id LIMIT 10`, [`t${size}`, vector], '');
    const indexTime = await time(
      `SELECT id FROM ${table} WHERE tenant = 't${size}' ORDER BY embedding <=> $1::vector LIMIT 10`,
      [vector],
      "SET LOCAL hnsw.ef_search = 200; SET LOCAL hnsw.iterative_scan = strict_order; SET LOCAL enable_sort = off",
    );
    if (query >= 5) {
      exact.push(exactTime);
      indexed.push(indexTime);
    }
  }
  lines.push(`| ${size} | ${percentile(exact, 50).toFixed(2)} | ${percentile(exact, 95).toFixed(2)} | ${percentile(indexed, 50).toFixed(2)} | ${percentile(indexed, 95).toFixed(2)} |`);
}
client.release();
process.stdout.write(`${lines.join('\n')}\n`);
await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
await pool.end();
