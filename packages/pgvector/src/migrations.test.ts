import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations, runMigrations } from './migrations.js';
import { resolveSettings } from './pgvector-settings.js';
import { describeOnNativeServer, backendOn, nativeEngine, pgliteEngine, schemaTracker, type TestEngine } from './test-engines.js';

const allVersions = migrations.map((migration) => migration.version);

function migrationTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const tracked = schemaTracker();
  const freshSchema = tracked.fresh;

  beforeAll(async () => {
    engine = await start();
  });

  afterAll(async () => {
    await tracked.dropAll(engine);
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

  it('creates no role with rowLevelSecurity: false', async () => {
    const rolePrefix = `tv_walls_none_${process.pid}`;
    const settings = resolveSettings({ schema: freshSchema(), rolePrefix, rowLevelSecurity: false });
    await runMigrations(engine.client(), settings);
    const { rows } = await engine.raw((transaction) => transaction.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)', [rolePrefix]));
    // Roles are cluster-wide: never leave one behind, even when this test fails.
    for (const { rolname } of rows) {
      await engine.raw(async (transaction) => {
        await transaction.query(`DROP OWNED BY "${rolname}"`);
        await transaction.query(`DROP ROLE "${rolname}"`);
      });
    }
    expect(rows).toEqual([]);
  });

  it('fixes a schema an earlier version migrated: the admin policy and the size catalogue get confined', async () => {
    const schema = freshSchema();
    const backend = backendOn(engine, { schema });
    await backend.ensureCollection({ collection: { name: 'docs', dimension: 2, metric: 'cosine', tenantField: true, partitioned: false } });
    // What version 2 left behind: the admin read policy open to every member, no RLS on the catalogue.
    await engine.raw(async (transaction) => {
      await transaction.query(`ALTER POLICY every_tenant_read ON "${schema}".docs USING (true)`);
      await transaction.query(`DROP POLICY own_key ON "${schema}"._vector_indexes`);
      await transaction.query(`ALTER TABLE "${schema}"._vector_indexes DISABLE ROW LEVEL SECURITY`);
      await transaction.query(`DELETE FROM "${schema}"._migrations WHERE version > 2`);
    });
    expect(await runMigrations(engine.client(), resolveSettings({ schema }))).toEqual(allVersions.filter((version) => version > 2));
    const policies = await engine.raw((transaction) =>
      transaction.query<{ tablename: string; policyname: string; qual: string }>(
        'SELECT tablename, policyname, qual FROM pg_policies WHERE schemaname = $1 ORDER BY tablename, policyname',
        [schema],
      ),
    );
    const admin = policies.rows.find((row) => row.policyname === 'every_tenant_read');
    expect(admin?.qual).toMatch(/CURRENT_USER = 'tenantvec_admin'/);
    expect(policies.rows.some((row) => row.tablename === '_vector_indexes' && row.policyname === 'own_key')).toBe(true);
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ relrowsecurity: boolean }>('SELECT relrowsecurity FROM pg_class WHERE oid = $1::regclass', [`"${schema}"._vector_indexes`]),
    );
    expect(rows).toEqual([{ relrowsecurity: true }]);
  });

  it('migrates before the first read: a read of a fresh schema answers empty and leaves the schema migrated', async () => {
    const schema = freshSchema();
    const backend = backendOn(engine, { schema });
    expect(await backend.rawCount({ location: { collection: 'never_made' }, scope: { tenant: 'a' } })).toBe(0);
    expect(await backend.rawQuery({ location: { collection: 'never_made' }, scope: {}, vector: [1, 0], topK: 3 })).toEqual([]);
    expect(await appliedVersions(schema)).toEqual(allVersions);
  });

  it('migrates before the first write, from two backends racing on a fresh schema', async () => {
    const schema = freshSchema();
    const spec = { name: 'docs', dimension: 2, metric: 'cosine' as const, tenantField: true, partitioned: false };
    const first = backendOn(engine, { schema });
    const second = backendOn(engine, { schema });
    await Promise.all([first.ensureCollection({ collection: spec }), second.ensureCollection({ collection: spec })]);
    await first.rawUpsert({ location: { collection: 'docs' }, records: [{ id: 'a:1', recordId: '1', vector: [1, 0], metadata: {}, tenant: 'a' }] });
    expect(await second.rawCount({ location: { collection: 'docs' }, scope: { tenant: 'a' } })).toBe(1);
    expect(await appliedVersions(schema)).toEqual(allVersions);
  });
}

describe('migrations on PGlite', () => migrationTests(pgliteEngine));
describeOnNativeServer('migrations on the native server', () => migrationTests(nativeEngine));
