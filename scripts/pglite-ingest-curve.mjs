#!/usr/bin/env node
// Where PGlite's ingest time goes (issue #14 part 4): records per CPU-second, window by window, as
// an embedded database fills. CPU time, not wall time, because the build machine is shared; PGlite
// runs in this process, so its WebAssembly work is this process's CPU time.
//   node scripts/pglite-ingest-curve.mjs MODE RECORDS [DIMENSION]
//   MODE: tenantvec        metadata-filter store, 100 zipf:1 tenants, default index threshold (2,000)
//         tenantvec-noindex the same with partialIndexAbove = 1e9: no tenant ever gets an HNSW index
//         raw               hand-written INSERT … unnest into one table, no vector index
//         raw-hnsw          the same into one table with an HNSW index (m 16, ef_construction 64)
// Run after `npm run build`. Prints one line per window and the WebAssembly heap size.
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { syntheticWorkload } from '@tenantvec/bench';
import { createTenantVectorStore } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { createEmbeddedDatabase, pglite } from '@tenantvec/pgvector';

const [mode, recordsText, dimensionText = '128'] = process.argv.slice(2);
const records = Number(recordsText);
const dimension = Number(dimensionText);
if (!['tenantvec', 'tenantvec-noindex', 'raw', 'raw-hnsw'].includes(mode) || !Number.isInteger(records) || !Number.isInteger(dimension)) {
  console.error('usage: node scripts/pglite-ingest-curve.mjs tenantvec|tenantvec-noindex|raw|raw-hnsw RECORDS [DIMENSION]');
  process.exit(2);
}
const workload = syntheticWorkload({ tenants: 100, records, dimension, distribution: { kind: 'zipf', exponent: 1 }, queries: 1, seed: 1 });
const database = await createEmbeddedDatabase();
const quoted = (values) => `{${values.map((value) => `"${value}"`).join(',')}}`;
let write;
let store;
if (mode.startsWith('raw')) {
  await database.query('CREATE EXTENSION IF NOT EXISTS vector');
  await database.query(`CREATE TABLE curve (id text PRIMARY KEY, embedding vector(${dimension}) NOT NULL, metadata jsonb NOT NULL DEFAULT '{}')`);
  if (mode === 'raw-hnsw') await database.query('CREATE INDEX ON curve USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)');
  write = (_tenant, batch) => database.query('INSERT INTO curve (id, embedding) SELECT * FROM unnest($1::text[], $2::vector[])', [
    quoted(batch.map((record) => record.id)),
    quoted(batch.map((record) => `[${Array.from(record.vector).join(',')}]`)),
  ]);
} else {
  const backend = pglite({ pglite: database, ...(mode === 'tenantvec-noindex' ? { partialIndexAbove: 1e9 } : {}) });
  store = await createTenantVectorStore({ backend, strategy: metadataFilter(), dimension, metric: 'cosine', name: 'curve', maxBatchSize: 1000 });
  write = (tenant, batch) => store.forTenant(tenant).upsert(batch);
}

const window = Math.max(1000, Math.round(records / 12));
let written = 0;
let inWindow = 0;
let cpu = process.cpuUsage();
let wall = performance.now();
for (const [index, tenant] of workload.tenants.entries()) {
  const vectors = workload.tenantVectors(index);
  for (let start = 0; start < tenant.size; start += 500) {
    const batch = [];
    for (let local = start; local < Math.min(tenant.size, start + 500); local += 1) batch.push({ id: `${index}.${local}`, vector: vectors.subarray(local * dimension, (local + 1) * dimension) });
    await write(tenant.id, batch);
    written += batch.length;
    inWindow += batch.length;
    if (inWindow >= window || written === records) {
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      console.log(`${mode} records=${written} per_cpu_second=${Math.round(inWindow / ((used.user + used.system) / 1e6))} per_wall_second=${Math.round(inWindow / ((now - wall) / 1000))} wasm_heap_mb=${Math.round((database.Module?.HEAPU8?.length ?? 0) / 2 ** 20)}`);
      inWindow = 0;
      cpu = process.cpuUsage();
      wall = now;
    }
  }
}
await store?.close();
await database.close();
