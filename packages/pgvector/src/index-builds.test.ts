import { type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vectorIndexName } from './sql-names.js';
import { describeOnNativeServer, backendOn, nativeEngine, pgliteEngine, schemaTracker, type TestEngine } from './test-engines.js';

function batch(tenant: string, from: number, count: number): StoredRecord[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return { id: `${tenant}:${index}`, recordId: String(index), vector: [1, Math.sin(index), Math.cos(index), index / 100], metadata: {}, tenant };
  });
}

function rebuildTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const tracked = schemaTracker();
  const location = { collection: 'docs' };

  beforeAll(async () => {
    engine = await start();
  });

  afterAll(async () => {
    await tracked.dropAll(engine);
    await engine.close();
  });

  async function indexState(schema: string, table: string, key: string) {
    const name = `"${schema}"."${vectorIndexName(table, key)}"`;
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ file: string | null; valid: boolean | null }>(
        'SELECT pg_relation_filenode(to_regclass($1))::text AS file, (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)) AS valid',
        [name],
      ),
    );
    const sizes = await engine.raw(async (transaction) => {
      await transaction.query("SELECT set_config('role', 'tenantvec_app', true), set_config('tenantvec.tenant', $1, true)", [key]);
      return (await transaction.query<{ records: string; built_records: string | null }>(`SELECT records::text, built_records::text FROM "${schema}"._vector_indexes WHERE key = $1`, [key])).rows[0];
    });
    return { file: rows[0]?.file ?? null, valid: rows[0]?.valid ?? null, records: Number(sizes?.records), built: sizes?.built_records === null ? null : Number(sizes?.built_records) };
  }

  it('rebuilds a tenant index once the tenant doubled past what it was built on, and not before', async () => {
    const schema = tracked.fresh();
    const backend = backendOn(engine, { schema, partialIndexAbove: 8, exactScanBelow: 8, sharedTablePartitions: 2 });
    await backend.ensureCollection({ collection: { name: 'docs', dimension: 4, metric: 'cosine', tenantField: true, partitioned: false } });
    await backend.rawUpsert({ location, records: batch('a', 0, 10) });
    const built = await indexState(schema, 'docs', 'a');
    expect(built).toMatchObject({ valid: true, records: 10, built: 10 });
    await backend.rawUpsert({ location, records: batch('a', 10, 9) });
    expect(await indexState(schema, 'docs', 'a')).toEqual({ ...built, records: 19 });
    await backend.rawUpsert({ location, records: batch('a', 19, 1) });
    const rebuilt = await indexState(schema, 'docs', 'a');
    expect(rebuilt).toMatchObject({ valid: true, records: 20, built: 20 });
    expect(rebuilt.file).not.toBe(built.file);
    const hits = await backend.rawQuery({ location, scope: { tenant: 'a' }, vector: batch('a', 17, 1)[0]!.vector, topK: 1 });
    expect(hits.map((hit) => hit.id)).toEqual(['a:17']);
  });

  async function sharedBackend(settings: { rebuildFactor?: number } = {}) {
    const schema = tracked.fresh();
    const backend = backendOn(engine, { schema, partialIndexAbove: 8, exactScanBelow: 8, sharedTablePartitions: 2, hnsw: { rebuildFactor: settings.rebuildFactor ?? 2 } });
    await backend.ensureCollection({ collection: { name: 'docs', dimension: 4, metric: 'cosine', tenantField: true, partitioned: false } });
    return { schema, backend };
  }

  it('builds each index a bulk load made due once, after the load, at its full size', async () => {
    const { schema, backend } = await sharedBackend();
    const progress: { done: number; total: number }[] = [];
    const report = await backend.bulkLoad({
      load: async () => {
        await backend.rawUpsert({ location, records: batch('a', 0, 10) });
        // Past the threshold but not indexed: searched exactly meanwhile.
        expect(await indexState(schema, 'docs', 'a')).toMatchObject({ file: null, records: 10, built: null });
        const hits = await backend.rawQuery({ location, scope: { tenant: 'a' }, vector: batch('a', 3, 1)[0]!.vector, topK: 1 });
        expect(hits.map((hit) => hit.id)).toEqual(['a:3']);
        // Two doublings that would each have rebuilt it.
        await backend.rawUpsert({ location, records: batch('a', 10, 40) });
        await backend.rawUpsert({ location, records: batch('b', 0, 5) });
        return 'loaded';
      },
      onIndexBuild: (step) => progress.push(step),
    });
    expect(report).toMatchObject({ value: 'loaded', indexesBuilt: 1 });
    expect(report.indexBuildSeconds).toBeGreaterThan(0);
    expect(progress).toEqual([{ done: 1, total: 1 }]);
    expect(await indexState(schema, 'docs', 'a')).toMatchObject({ valid: true, records: 50, built: 50 });
    expect(await indexState(schema, 'docs', 'b')).toMatchObject({ file: null, records: 5 });
    const hits = await backend.rawQuery({ location, scope: { tenant: 'a' }, vector: batch('a', 41, 1)[0]!.vector, topK: 1 });
    expect(hits.map((hit) => hit.id)).toEqual(['a:41']);
  });

  it('defers the rebuild of an index that exists, and builds what a failed load wrote before rejecting with its error', async () => {
    const { schema, backend } = await sharedBackend();
    await backend.rawUpsert({ location, records: batch('a', 0, 10) });
    const before = await indexState(schema, 'docs', 'a');
    expect(before).toMatchObject({ valid: true, built: 10 });
    const failure = new Error('the source file ended early');
    await expect(backend.bulkLoad({
      load: async () => {
        await backend.rawUpsert({ location, records: batch('a', 10, 20) });
        await backend.rawUpsert({ location, records: batch('c', 0, 9) });
        expect(await indexState(schema, 'docs', 'a')).toEqual({ ...before, records: 30 });
        throw failure;
      },
    })).rejects.toBe(failure);
    const rebuilt = await indexState(schema, 'docs', 'a');
    expect(rebuilt).toMatchObject({ valid: true, records: 30, built: 30 });
    expect(rebuilt.file).not.toBe(before.file);
    expect(await indexState(schema, 'docs', 'c')).toMatchObject({ valid: true, records: 9, built: 9 });
  });

  it('leaves the builds of an inner load to the outer one', async () => {
    const { schema, backend } = await sharedBackend();
    const report = await backend.bulkLoad({
      load: async () => {
        const inner = await backend.bulkLoad({ load: () => backend.rawUpsert({ location, records: batch('a', 0, 10) }) });
        expect(inner.indexesBuilt).toBe(0);
        expect(await indexState(schema, 'docs', 'a')).toMatchObject({ file: null });
      },
    });
    expect(report.indexesBuilt).toBe(1);
    expect(await indexState(schema, 'docs', 'a')).toMatchObject({ valid: true, built: 10 });
  });

  it('holds back only the writes of the load: a write by another caller builds at once, and overlapping loads each build their own', async () => {
    const { schema, backend } = await sharedBackend();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = backend.bulkLoad({
      load: async () => {
        await backend.rawUpsert({ location, records: batch('a', 0, 10) });
        await gate;
      },
    });
    // Outside any load while the first one still runs.
    await backend.rawUpsert({ location, records: batch('b', 0, 10) });
    expect(await indexState(schema, 'docs', 'b')).toMatchObject({ valid: true, built: 10 });
    const second = await backend.bulkLoad({ load: () => backend.rawUpsert({ location, records: batch('c', 0, 10) }) });
    expect(second.indexesBuilt).toBe(1);
    expect(await indexState(schema, 'docs', 'c')).toMatchObject({ valid: true, built: 10 });
    expect(await indexState(schema, 'docs', 'a')).toMatchObject({ file: null });
    release();
    expect((await first).indexesBuilt).toBe(1);
    expect(await indexState(schema, 'docs', 'a')).toMatchObject({ valid: true, built: 10 });
  });

  it('never rebuilds with rebuildFactor 0', async () => {
    const schema = tracked.fresh();
    const backend = backendOn(engine, { schema, partialIndexAbove: 8, exactScanBelow: 8, hnsw: { rebuildFactor: 0 } });
    await backend.ensureCollection({ collection: { name: 'docs', dimension: 4, metric: 'cosine', tenantField: true, partitioned: false } });
    await backend.rawUpsert({ location, records: batch('a', 0, 10) });
    const built = await indexState(schema, 'docs', 'a');
    await backend.rawUpsert({ location, records: batch('a', 10, 40) });
    expect(await indexState(schema, 'docs', 'a')).toEqual({ ...built, records: 50 });
  });
}

describe('index builds and rebuilds as a key grows (PGlite)', () => {
  rebuildTests(pgliteEngine);
});

describeOnNativeServer('index builds and rebuilds as a key grows (native server)', () => {
  rebuildTests(nativeEngine);
});
