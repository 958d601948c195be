import { type ScoredRecord, type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeySizeCache } from './key-size-cache.js';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings } from './pgvector-settings.js';
import type { SqlClient } from './sql-client.js';
import { describeOnNativeServer, nativeEngine, pgliteEngine, schemaTracker, type TestEngine } from './test-engines.js';

describe('the key size cache', () => {
  it('plans on an entry alone within its lifetime, and asks for a re-read after it', () => {
    let now = 1000;
    const cache = new KeySizeCache(50, () => now);
    expect(cache.lookup('docs', 'a')).toBeUndefined();
    cache.remember('docs', 'a', { records: 3, indexed: false });
    expect(cache.lookup('docs', 'a')).toEqual({ size: { records: 3, indexed: false }, fresh: true });
    now += 50;
    expect(cache.lookup('docs', 'a')).toEqual({ size: { records: 3, indexed: false }, fresh: false });
    cache.remember('docs', 'a', undefined);
    expect(cache.lookup('docs', 'a')).toEqual({ size: { records: 0, indexed: false }, fresh: true });
  });

  it('forgets one key, or every key of a table, and no other', () => {
    const cache = new KeySizeCache(1000);
    for (const [table, key] of [['docs', 'a'], ['docs', 'b'], ['docs_2', 'a'], ['doc', 'sa']] as const) cache.remember(table, key, { records: 1, indexed: false });
    cache.forget('docs', 'b');
    expect(cache.lookup('docs', 'b')).toBeUndefined();
    cache.forgetTable('docs');
    expect(cache.lookup('docs', 'a')).toBeUndefined();
    expect(cache.lookup('docs_2', 'a')).toBeDefined();
    expect(cache.lookup('doc', 'sa')).toBeDefined();
  });

  it('holds at most its capacity, dropping the least recently written first', () => {
    const cache = new KeySizeCache(1000, Date.now, 2);
    cache.remember('docs', 'a', undefined);
    cache.remember('docs', 'b', undefined);
    cache.remember('docs', 'a', undefined);
    cache.remember('docs', 'c', undefined);
    expect(cache.lookup('docs', 'b')).toBeUndefined();
    expect(cache.lookup('docs', 'a')).toBeDefined();
    expect(cache.lookup('docs', 'c')).toBeDefined();
  });
});

/** Records which plan each search statement used: the index plan alone orders by distance only. */
function recordingPlans(client: SqlClient, plans: string[]): SqlClient {
  return {
    ...client,
    async run(statements) {
      const search = statements.find((statement) => statement.text.includes('AS distance'));
      if (search !== undefined) plans.push(/ORDER BY distance, id LIMIT/.test(search.text) ? 'exact' : 'index');
      return client.run(statements);
    },
  };
}

const vectorOf = (index: number) => [1, index / 40, (index % 7) / 7, 0.5];
function records(tenant: string, from: number, to: number): StoredRecord[] {
  return Array.from({ length: to - from }, (_, offset) => {
    const index = from + offset;
    return { id: `${tenant}:${String(index).padStart(3, '0')}`, recordId: String(index), vector: vectorOf(index), metadata: {}, tenant };
  });
}

/** The exact answer, by cosine distance then id, as the exact plan orders. */
function nearest(candidates: StoredRecord[], vector: readonly number[], topK: number): string[] {
  const norm = (values: readonly number[]) => Math.hypot(...values);
  const distance = (other: readonly number[]) => 1 - other.reduce((sum, value, index) => sum + value * vector[index]!, 0) / (norm(other) * norm(vector));
  return candidates
    .map((record) => ({ id: record.id, distance: distance(record.vector) }))
    .sort((left, right) => left.distance - right.distance || (left.id < right.id ? -1 : 1))
    .slice(0, topK)
    .map((hit) => hit.id);
}

function staleSizeTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const schemas = schemaTracker();
  const location = { collection: 'sized' };
  const spec = { name: 'sized', dimension: 4, metric: 'cosine' as const, tenantField: true, partitioned: false };
  const options = { exactScanBelow: 10, partialIndexAbove: 20, maxBatchSize: 500 };
  const ids = (hits: ScoredRecord[]) => hits.map((hit) => hit.id);

  beforeAll(async () => {
    engine = await start();
  });
  afterAll(async () => {
    await schemas.dropAll(engine);
    await engine.close();
  });

  it("picks up another process's index within one query of the lifetime, answering exactly all along", async () => {
    const schema = schemas.fresh();
    const plans: string[] = [];
    const here = new PgvectorBackend(recordingPlans(engine.client(), plans), resolveSettings({ schema, ...options, keySizeLifetimeMs: 0 }));
    const elsewhere = new PgvectorBackend(engine.secondClient(), resolveSettings({ schema, ...options }));
    await here.ensureCollection({ collection: spec });
    await here.rawUpsert({ location, records: records('t', 0, 5) });
    const vector = vectorOf(3);
    expect(ids(await here.rawQuery({ location, scope: { tenant: 't' }, vector, topK: 3 }))).toEqual(nearest(records('t', 0, 5), vector, 3));
    await elsewhere.rawUpsert({ location, records: records('t', 5, 40) });
    // Planned on the size read with the previous query (5 records, no index): exact, and right.
    const exact = ids(await here.rawQuery({ location, scope: { tenant: 't' }, vector, topK: 3 }));
    expect(exact).toEqual(nearest(records('t', 0, 40), vector, 3));
    expect(await here.rawCount({ location, scope: { tenant: 't' } })).toBe(40);
    // That query re-read the size in its round trip: this one walks the new index.
    const walked = ids(await here.rawQuery({ location, scope: { tenant: 't' }, vector, topK: 3 }));
    expect(plans).toEqual(['exact', 'exact', 'index']);
    expect(walked).toEqual(exact);
  });

  it('answers exactly on a stale "indexed" entry whose table another process dropped and re-created', async () => {
    const schema = schemas.fresh();
    const plans: string[] = [];
    const here = new PgvectorBackend(recordingPlans(engine.client(), plans), resolveSettings({ schema, ...options, keySizeLifetimeMs: 3_600_000 }));
    const elsewhere = new PgvectorBackend(engine.secondClient(), resolveSettings({ schema, ...options }));
    await here.ensureCollection({ collection: spec });
    await here.rawUpsert({ location, records: records('t', 0, 30) });
    await here.rawQuery({ location, scope: { tenant: 't' }, vector: vectorOf(1), topK: 1 });
    await elsewhere.dropCollection({ collection: 'sized' });
    await elsewhere.ensureCollection({ collection: spec });
    await elsewhere.rawUpsert({ location, records: records('t', 10, 13) });
    const hits = await here.rawQuery({ location, scope: { tenant: 't' }, vector: vectorOf(12), topK: 5 });
    expect(plans).toEqual(['index', 'index']);
    expect(ids(hits)).toEqual(nearest(records('t', 10, 13), vectorOf(12), 5));
  });
}

describe('key sizes from another process on PGlite', () => staleSizeTests(pgliteEngine));
describeOnNativeServer('key sizes from another process on the native server', () => staleSizeTests(nativeEngine));
