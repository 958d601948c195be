import { similarity, type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings } from './pgvector-settings.js';
import type { SqlClient } from './sql-client.js';
import { pgliteEngine, uniqueSchema, type TestEngine } from './test-engines.js';

/** mulberry32, so every run plans over the same data. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clustered vectors: a few centres with noise around them, like real embeddings; queries come from the same centres. */
function clusters(random: () => number, dimension: number): (count: number) => number[][] {
  const centres = Array.from({ length: 8 }, () => Array.from({ length: dimension }, () => random() * 2 - 1));
  return (count) =>
    Array.from({ length: count }, () => {
      const centre = centres[Math.floor(random() * centres.length)]!;
      return centre.map((value) => value + (random() - 0.5) * 0.6);
    });
}

function records(tenant: string, vectors: number[][]): StoredRecord[] {
  return vectors.map((vector, index) => ({ id: `${tenant}:${index}`, recordId: String(index), vector, metadata: { even: index % 2 === 0 }, tenant }));
}

/** Wraps a client so every search statement is also EXPLAINed, in the same transaction. */
function explaining(client: SqlClient, plans: string[]): SqlClient {
  return {
    ...client,
    close: () => client.close(),
    session: (work) => client.session(work),
    transaction: (work) => client.transaction(work),
    parameters: () => client.parameters(),
    async run(statements) {
      const search = statements.findIndex((statement) => statement.text.includes('AS distance'));
      if (search === -1) return client.run(statements);
      const explain = { ...statements[search]!, text: `EXPLAIN (COSTS OFF) ${statements[search]!.text}` };
      const results = await client.run([...statements.slice(0, search), explain, ...statements.slice(search)]);
      plans.push(results[search]!.rows.map((row) => Object.values(row)[0]).join('\n'));
      return results.filter((_, index) => index !== search);
    },
  };
}

describe('search planning on a shared table (PGlite)', () => {
  const dimension = 16;
  const location = { collection: 'planned' };
  let engine: TestEngine;
  let backend: PgvectorBackend;
  const plans: string[] = [];
  const random = seeded(7);
  const clustered = clusters(random, dimension);
  const big = records('big', clustered(1500));
  const small = records('small', clustered(40));

  beforeAll(async () => {
    engine = await pgliteEngine();
    const settings = resolveSettings({ schema: uniqueSchema(), exactScanBelow: 1000, partialIndexAbove: 1000, maxBatchSize: 500 });
    backend = new PgvectorBackend(explaining(engine.client(), plans), settings);
    await backend.ensureCollection({ collection: { name: 'planned', dimension, metric: 'cosine', tenantField: true, partitioned: false } });
    for (let start = 0; start < big.length; start += 500) await backend.rawUpsert({ location, records: big.slice(start, start + 500) });
    await backend.rawUpsert({ location, records: small });
  }, 240_000);

  afterAll(async () => {
    await engine.close();
  });

  async function planFor(tenant: string, filter?: Parameters<PgvectorBackend['rawQuery']>[0]['filter']): Promise<string> {
    plans.length = 0;
    await backend.rawQuery({ location, scope: { tenant }, vector: big[0]!.vector, topK: 10, ...(filter === undefined ? {} : { filter }) });
    expect(plans).toHaveLength(1);
    return plans[0]!;
  }

  it('searches a small tenant exactly: the tenant btree and a full sort, no vector index', async () => {
    const plan = await planFor('small');
    expect(plan).toMatch(/Sort/);
    expect(plan).not.toMatch(/_v_/);
  });

  it('gives a tenant that crossed partialIndexAbove its own partial HNSW index, and searches through it', async () => {
    const plan = await planFor('big');
    expect(plan).toMatch(/Index Scan using _v_\w+/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('keeps recall@10 at or above 0.98 through the partial index, with and without a filter', async () => {
    const exact = (tenantRecords: StoredRecord[], query: number[], keep: (record: StoredRecord) => boolean) =>
      tenantRecords
        .filter(keep)
        .map((record) => ({ id: record.id, score: similarity('cosine', query, record.vector) }))
        .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1))
        .slice(0, 10)
        .map((hit) => hit.id);
    let found = 0;
    let wanted = 0;
    for (let round = 0; round < 20; round += 1) {
      const query = clustered(1)[0]!;
      const filter = round % 2 === 0 ? undefined : ({ kind: 'eq', field: 'even', value: true } as const);
      const hits = await backend.rawQuery({ location, scope: { tenant: 'big' }, vector: query, topK: 10, ...(filter === undefined ? {} : { filter }) });
      const expected = exact(big, query, (record) => filter === undefined || record.metadata.even === true);
      wanted += expected.length;
      found += hits.filter((hit) => expected.includes(hit.id)).length;
      expect(hits.every((hit) => hit.tenant === 'big' && (filter === undefined || hit.metadata.even === true))).toBe(true);
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.98);
  });

  it('answers a small tenant exactly: the same ids and order as brute force', async () => {
    for (let round = 0; round < 5; round += 1) {
      const query = clustered(1)[0]!;
      const hits = await backend.rawQuery({ location, scope: { tenant: 'small' }, vector: query, topK: 10 });
      const expected = small
        .map((record) => ({ id: record.id, score: similarity('cosine', query, record.vector) }))
        .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1))
        .slice(0, 10);
      expect(hits.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
    }
  });
});

describe('search planning on tables of their own (PGlite)', () => {
  let engine: TestEngine;
  let backend: PgvectorBackend;
  const plans: string[] = [];
  const random = seeded(11);
  const clustered = clusters(random, 8);
  const vectors = clustered(120);
  const rows = vectors.map((vector, index) => ({ id: String(index), recordId: String(index), vector, metadata: {} }));

  beforeAll(async () => {
    engine = await pgliteEngine();
    const settings = resolveSettings({ schema: uniqueSchema(), exactScanBelow: 100, partialIndexAbove: 100 });
    backend = new PgvectorBackend(explaining(engine.client(), plans), settings);
    await backend.ensureCollection({ collection: { name: 'parts', dimension: 8, metric: 'euclidean', tenantField: false, partitioned: true } });
    await backend.ensurePartition({ collection: 'parts', partition: 't_big', tenant: 'big' });
    await backend.ensurePartition({ collection: 'parts', partition: 't_small', tenant: 'small' });
    await backend.rawUpsert({ location: { collection: 'parts', partition: 't_big' }, records: rows });
    await backend.rawUpsert({ location: { collection: 'parts', partition: 't_small' }, records: rows.slice(0, 30) });
    await backend.ensureCollection({ collection: { name: 'own_big', dimension: 8, metric: 'dot', tenantField: false, partitioned: false, tenant: 'big' } });
    await backend.rawUpsert({ location: { collection: 'own_big' }, records: rows });
  }, 120_000);

  afterAll(async () => {
    await engine.close();
  });

  async function planFor(location: { collection: string; partition?: string }): Promise<string> {
    plans.length = 0;
    await backend.rawQuery({ location, scope: {}, vector: vectors[0]!, topK: 5 });
    return plans[0]!;
  }

  it('indexes a partition that grew past the threshold, and only that one', async () => {
    expect(await planFor({ collection: 'parts', partition: 't_big' })).toMatch(/Index Scan using _v_\w+ on _p_t_big_\w+/);
    const small = await planFor({ collection: 'parts', partition: 't_small' });
    expect(small).toMatch(/Sort/);
    expect(small).not.toMatch(/_v_/);
  });

  it("indexes a tenant's own table once it grew past the threshold", async () => {
    expect(await planFor({ collection: 'own_big' })).toMatch(/Index Scan using _v_\w+ on own_big/);
  });
});
