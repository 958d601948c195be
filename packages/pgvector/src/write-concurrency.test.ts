import type { StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings } from './pgvector-settings.js';
import { describeOnNativeServer, backendOn, nativeEngine, schemaTracker, type TestEngine } from './test-engines.js';

/** Concurrent writers on the native server: they must queue, never deadlock or stall each other. */
const shared = (dimension: number) => ({ name: 'docs', dimension, metric: 'cosine' as const, tenantField: true, partitioned: false });

function records(tenant: string, count: number, dimension: number, start = 0): StoredRecord[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = start + offset;
    const vector = Array.from({ length: dimension }, (_, axis) => Math.sin(index * 7.3 + axis * 1.7));
    return { id: `${tenant}:${String(index).padStart(5, '0')}`, recordId: String(index), vector, metadata: { index }, tenant };
  });
}

describeOnNativeServer('concurrent writes on the native server', () => {
  let engine: TestEngine;
  const tracked = schemaTracker();
  const freshSchema = tracked.fresh;

  beforeAll(() => {
    engine = nativeEngine();
  });

  afterAll(async () => {
    await tracked.dropAll(engine);
    await engine.close();
  });

  it('upserts the same ids in opposite orders from two processes, round after round, with no deadlock (40P01)', async () => {
    const schema = freshSchema();
    const first = backendOn(engine, { schema });
    const second = new PgvectorBackend(engine.secondClient(), resolveSettings({ schema }));
    await first.ensureCollection({ collection: shared(4) });
    const location = { collection: 'docs' };
    const batch = [...records('a', 150, 4), ...records('b', 150, 4)];
    const failures: string[] = [];
    for (let round = 0; round < 15; round += 1) {
      const outcomes = await Promise.allSettled([
        first.rawUpsert({ location, records: batch }),
        second.rawUpsert({ location, records: [...batch].reverse() }),
      ]);
      for (const outcome of outcomes) if (outcome.status === 'rejected') failures.push(`round ${round}: ${String((outcome.reason as Error).message)}`);
    }
    expect(failures).toEqual([]);
    expect(await first.rawCount({ location, scope: { tenant: 'a' } })).toBe(150);
  }, 120_000);

  it("builds a tenant's partial index without holding back a neighbour's write, and marks it indexed only once valid", async () => {
    const schema = freshSchema();
    const dimension = 128;
    const threshold = 3000;
    const settings = { schema, partialIndexAbove: threshold, exactScanBelow: threshold, hnsw: { efConstruction: 256 } };
    const backend = backendOn(engine, settings);
    const neighbour = new PgvectorBackend(engine.secondClient(), resolveSettings(settings));
    await backend.ensureCollection({ collection: shared(dimension) });
    const location = { collection: 'docs' };
    for (let start = 0; start < threshold - 1; start += 500) {
      await backend.rawUpsert({ location, records: records('big', Math.min(500, threshold - 1 - start), dimension, start) });
    }
    const building = async () =>
      (
        await engine.raw((transaction) =>
          transaction.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query ILIKE 'CREATE INDEX%' AND position($1 in query) > 0`,
            [schema],
          ),
        )
      ).rows[0]?.pid;
    const indexedFlag = async () =>
      (
        await engine.raw((transaction) =>
          transaction.query<{ indexed: boolean }>(`SELECT indexed FROM "${schema}"._vector_indexes WHERE key = 'big'`),
        )
      ).rows[0]?.indexed;

    // This write takes the tenant across the threshold; its call builds the index.
    const crossing = backend.rawUpsert({ location, records: records('big', 1, dimension, threshold - 1) });
    let builder: number | undefined;
    for (let attempt = 0; attempt < 1000 && builder === undefined; attempt += 1) {
      builder = await building();
      if (builder === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(builder).toBeDefined();
    await neighbour.rawUpsert({ location, records: records('small', 5, dimension) });
    // The neighbour's write finished while the build is still going.
    expect(await building()).toBe(builder);
    const locks = await engine.raw((transaction) =>
      // The table and its hash partitions: the index is built on the leaf holding the tenant.
      transaction.query<{ mode: string }>(`SELECT mode FROM pg_locks WHERE pid = $1 AND relation IN (SELECT relid FROM pg_partition_tree($2::regclass))`, [builder, `"${schema}".docs`]),
    );
    // A plain CREATE INDEX holds ShareLock, which every INSERT/UPDATE on the table waits for.
    expect(locks.rows.map((row) => row.mode)).not.toContain('ShareLock');
    expect(await indexedFlag()).toBe(false);

    await crossing;
    expect(await indexedFlag()).toBe(true);
    const valid = await engine.raw((transaction) =>
      transaction.query<{ valid: boolean }>(
        `SELECT indisvalid AS valid FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid
         WHERE indrelid IN (SELECT relid FROM pg_partition_tree($1::regclass)) AND pg_get_indexdef(indexrelid) LIKE '%hnsw%'`,
        [`"${schema}".docs`],
      ),
    );
    expect(valid.rows).toEqual([{ valid: true }]);
    expect(await backend.rawCount({ location, scope: { tenant: 'small' } })).toBe(5);
  }, 120_000);
});
