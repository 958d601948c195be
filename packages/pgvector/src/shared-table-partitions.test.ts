import { type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPartitionTableName } from './sql-names.js';
import { describeOnNativeServer, backendOn, nativeEngine, pgliteEngine, schemaTracker, type TestEngine } from './test-engines.js';

const tenants = ['a', 'b', 'c', 'd', 'e', 'f'];

function tenantRecord(tenant: string, index: number): StoredRecord {
  return { id: `${tenant}:${index}`, recordId: String(index), vector: [1, index / 10, 0, 0], metadata: { index }, tenant };
}

function pathRecord(root: string, index: number): StoredRecord {
  return { id: `${root}:${index}`, recordId: String(index), vector: [1, index / 10, 0, 0], metadata: { index }, source: `${root}/docs/${index}` };
}

const sharedSpec = { name: 'docs', dimension: 4, metric: 'cosine' as const, tenantField: true, partitioned: false };
const pathsSpec = { name: 'files', dimension: 4, metric: 'cosine' as const, tenantField: false, partitioned: false };

function partitionTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const tracked = schemaTracker();
  const schema = tracked.fresh();
  // Tenant a crosses the index threshold; the others stay small.
  const settings = { schema, sharedTablePartitions: 4, partialIndexAbove: 8, exactScanBelow: 8 };

  beforeAll(async () => {
    engine = await start();
    const backend = backendOn(engine, settings);
    await backend.ensureCollection({ collection: sharedSpec });
    await backend.ensureCollection({ collection: pathsSpec });
    const many = (make: (key: string, index: number) => StoredRecord, key: string, count: number) => Array.from({ length: count }, (_, index) => make(key, index));
    await backend.rawUpsert({ location: { collection: 'docs' }, records: [...many(tenantRecord, 'a', 10), ...tenants.slice(1).flatMap((tenant) => many(tenantRecord, tenant, 2))] });
    await backend.rawUpsert({ location: { collection: 'files' }, records: [...many(pathRecord, 'a', 10), ...many(pathRecord, 'b', 2)] });
  });

  afterAll(async () => {
    await tracked.dropAll(engine);
    await engine.close();
  });

  const leaves = (table: string) => Array.from({ length: 4 }, (_, remainder) => `"${schema}"."${hashPartitionTableName(table, remainder)}"`);

  async function asApp<T>(tenant: string | undefined, sql: string): Promise<T[]> {
    return engine.raw(async (transaction) => {
      await transaction.query("SELECT set_config('role', 'tenantvec_app', true)");
      if (tenant !== undefined) await transaction.query("SELECT set_config('tenantvec.tenant', $1, true)", [tenant]);
      return (await transaction.query<T>(sql)).rows;
    });
  }

  it('splits a new shared table into the configured hash partitions and records the layout', async () => {
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ name: string; hash_partitions: number; leaves: number }>(
        `SELECT name, hash_partitions, (SELECT count(*)::int FROM pg_partition_tree(format('%I.%I', $1::text, name)::regclass) WHERE isleaf) AS leaves
         FROM "${schema}"._collections ORDER BY name`,
        [schema],
      ),
    );
    expect(rows).toEqual([
      { name: 'docs', hash_partitions: 4, leaves: 4 },
      { name: 'files', hash_partitions: 4, leaves: 4 },
    ]);
    // Six tenants in four partitions: every record is in exactly one leaf, and a tenant in one only.
    const placed = await engine.raw((transaction) =>
      transaction.query<{ tenant: string; leaves: number; records: number }>(
        `SELECT tenant, count(DISTINCT tableoid)::int AS leaves, count(*)::int AS records FROM "${schema}".docs GROUP BY tenant ORDER BY tenant`,
      ),
    );
    expect(placed.rows.map((row) => row.leaves)).toEqual(tenants.map(() => 1));
    expect(placed.rows.map((row) => row.records)).toEqual([10, 2, 2, 2, 2, 2]);
  });

  it('reads and writes every tenant through the parent as before', async () => {
    const backend = backendOn(engine, settings);
    expect(await backend.rawCount({ location: { collection: 'docs' }, scope: { tenant: 'a' } })).toBe(10);
    const hits = await backend.rawQuery({ location: { collection: 'docs' }, scope: { tenant: 'b' }, vector: [1, 0.1, 0, 0], topK: 5 });
    expect(hits.map((hit) => hit.id)).toEqual(['b:1', 'b:0']);
    await backend.rawUpsert({ location: { collection: 'docs' }, records: [{ ...tenantRecord('b', 1), metadata: { index: 99 } }] });
    expect(await backend.rawCount({ location: { collection: 'docs' }, scope: { tenant: 'b' } })).toBe(2);
    await backend.rawDelete({ location: { collection: 'docs' }, scope: { tenant: 'b' }, ids: ['b:0'] });
    expect(await backend.rawGet({ location: { collection: 'docs' }, scope: { tenant: 'b' }, ids: ['b:0', 'b:1'] })).toMatchObject([{ id: 'b:1', metadata: { index: 99 } }]);
    expect(await backend.rawCount({ location: { collection: 'files' }, scope: { sourcePrefix: 'a' } })).toBe(10);
    expect(await backend.rawListTenantKeys({ collection: 'files', key: 'source-root', limit: 10 })).toEqual(['a', 'b']);
  });

  it("builds a large tenant's partial index on the leaf that holds it, and searches through it", async () => {
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ table: string; predicate: string }>(
        `SELECT indrelid::regclass::text AS table, pg_get_expr(indpred, indrelid) AS predicate
         FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = pg_class.relam
         WHERE amname = 'hnsw' AND indrelid IN (SELECT relid FROM pg_partition_tree($1::regclass))`,
        [`"${schema}".docs`],
      ),
    );
    const holding = await engine.raw((transaction) => transaction.query<{ leaf: string }>(`SELECT DISTINCT tableoid::regclass::text AS leaf FROM "${schema}".docs WHERE tenant = 'a'`));
    expect(rows).toEqual([{ table: holding.rows[0]!.leaf, predicate: "(tenant = 'a'::text)" }]);
    const hits = await backendOn(engine, settings).rawQuery({ location: { collection: 'docs' }, scope: { tenant: 'a' }, vector: [1, 0.9, 0, 0], topK: 3 });
    expect(hits.map((hit) => hit.id)).toEqual(['a:9', 'a:8', 'a:7']);
  });

  it('holds the walls on a leaf queried directly: no tenant sees nothing, a tenant sees only its own, and cannot write another', async () => {
    for (const leaf of [...leaves('docs'), ...leaves('files')]) {
      expect(await asApp(undefined, `SELECT id FROM ${leaf}`)).toEqual([]);
    }
    const seen = (await Promise.all(leaves('docs').map((leaf) => asApp<{ tenant: string }>('c', `SELECT tenant FROM ${leaf}`)))).flat();
    expect(seen.map((row) => row.tenant)).toEqual(['c', 'c']);
    const seenPaths = (await Promise.all(leaves('files').map((leaf) => asApp<{ source_root: string }>('b', `SELECT source_root FROM ${leaf}`)))).flat();
    expect(seenPaths.map((row) => row.source_root)).toEqual(['b', 'b']);
    const holding = await engine.raw((transaction) => transaction.query<{ leaf: string }>(`SELECT DISTINCT tableoid::regclass::text AS leaf FROM "${schema}".docs WHERE tenant = 'd'`));
    await expect(
      asApp('c', `INSERT INTO ${holding.rows[0]!.leaf} (id, record_id, embedding, tenant) VALUES ('d:evil', 'evil', '[1,0,0,0]', 'd')`),
    ).rejects.toThrow(/row-level security/);
  });

  it("keeps a source-prefix row's root the first segment of its source", async () => {
    await expect(
      engine.raw((transaction) =>
        transaction.query(`INSERT INTO "${schema}".files (id, record_id, embedding, source, source_root) VALUES ('x:1', '1', '[1,0,0,0]', 'a/docs', 'b')`),
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('keeps the layout a collection was created with, whatever the setting says now', async () => {
    const plain = backendOn(engine, { ...settings, sharedTablePartitions: 1 });
    await plain.ensureCollection({ collection: { ...sharedSpec, name: 'plain' } });
    const later = backendOn(engine, settings);
    await later.rawUpsert({ location: { collection: 'plain' }, records: [tenantRecord('a', 1)] });
    await later.rawUpsert({ location: { collection: 'docs' }, records: [tenantRecord('f', 7)] });
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ name: string; kind: string }>(
        `SELECT relname AS name, relkind::text AS kind FROM pg_class WHERE relnamespace = $1::regnamespace AND relname IN ('plain', 'docs') ORDER BY relname`,
        [schema],
      ),
    );
    expect(rows).toEqual([
      { name: 'docs', kind: 'p' },
      { name: 'plain', kind: 'r' },
    ]);
    expect(await later.rawCount({ location: { collection: 'plain' }, scope: { tenant: 'a' } })).toBe(1);
  });
}

describe('hash-partitioned shared tables (PGlite)', () => {
  partitionTests(pgliteEngine);
});

describeOnNativeServer('hash-partitioned shared tables (native server)', () => {
  partitionTests(nativeEngine);
});
