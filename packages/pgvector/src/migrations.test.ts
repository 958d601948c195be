import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations, runMigrations } from './migrations.js';
import { resolveSettings } from './pgvector-settings.js';
import { backendOn, dropSchema, nativeEngine, pgliteEngine, uniqueSchema, type TestEngine } from './test-engines.js';

const allVersions = migrations.map((migration) => migration.version);

function migrationTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const schemas: string[] = [];
  const freshSchema = () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    return schema;
  };

  beforeAll(async () => {
    engine = await start();
  });

  afterAll(async () => {
    for (const schema of schemas) await dropSchema(engine, schema);
    await engine.close();
  });

  async function appliedVersions(schema: string): Promise<number[]> {
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ version: number }>(`SELECT version FROM "${schema}"._migrations ORDER BY version`),
    );
    return rows.map((row) => Number(row.version));
  }

  it('applies every migration once, and a second run applies nothing', async () => {
    const settings = resolveSettings({ schema: freshSchema() });
    expect(await runMigrations(engine.client(), settings)).toEqual(allVersions);
    expect(await runMigrations(engine.client(), settings)).toEqual([]);
    expect(await appliedVersions(settings.schema)).toEqual(allVersions);
  });

  it('lets two runners start at once: one applies, the other waits and finds nothing to do, both succeed', async () => {
    const settings = resolveSettings({ schema: freshSchema() });
    const results = await Promise.all([runMigrations(engine.client(), settings), runMigrations(engine.secondClient(), settings)]);
    expect(results.map((applied) => applied.length).sort()).toEqual([0, allVersions.length]);
    expect(results.flat().sort()).toEqual(allVersions);
    expect(await appliedVersions(settings.schema)).toEqual(allVersions);
  });

  it('migrates before the first read: a read of a fresh schema answers empty and leaves the schema migrated', async () => {
    const schema = freshSchema();
    const backend = backendOn(engine, { schema });
    expect(await backend.count({ location: { collection: 'never_made' }, scope: { tenant: 'a' } })).toBe(0);
    expect(await backend.query({ location: { collection: 'never_made' }, scope: {}, vector: [1, 0], topK: 3 })).toEqual([]);
    expect(await appliedVersions(schema)).toEqual(allVersions);
  });

  it('migrates before the first write, from two backends racing on a fresh schema', async () => {
    const schema = freshSchema();
    const spec = { name: 'docs', dimension: 2, metric: 'cosine' as const, tenantField: true, partitioned: false };
    const first = backendOn(engine, { schema });
    const second = backendOn(engine, { schema });
    await Promise.all([first.ensureCollection({ collection: spec }), second.ensureCollection({ collection: spec })]);
    await first.upsert({ location: { collection: 'docs' }, records: [{ id: 'a:1', recordId: '1', vector: [1, 0], metadata: {}, tenant: 'a' }] });
    expect(await second.count({ location: { collection: 'docs' }, scope: { tenant: 'a' } })).toBe(1);
    expect(await appliedVersions(schema)).toEqual(allVersions);
  });
}

describe('migrations on PGlite', () => migrationTests(pgliteEngine));
describe.skipIf(!process.env.DATABASE_URL)('migrations on the native server', () => migrationTests(nativeEngine));
