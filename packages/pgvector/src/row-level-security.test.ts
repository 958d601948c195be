import type { StoredRecord } from '@tenantvec/core/backend';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgvectorBackend } from './pgvector-backend.js';
import { resolveSettings } from './pgvector-settings.js';
import { poolClient } from './sql-client.js';
import { describeOnNativeServer, backendOn, dropSchema, nativeEngine, pgliteEngine, uniqueSchema, type TestEngine } from './test-engines.js';

const vector = [1, 0, 0, 0];

function record(tenant: string | undefined, id: string, source?: string): StoredRecord {
  return {
    id: `${tenant ?? source}:${id}`,
    recordId: id,
    vector,
    metadata: { owner: tenant ?? source ?? '' },
    ...(tenant === undefined ? {} : { tenant }),
    ...(source === undefined ? {} : { source }),
  };
}

function rowLevelSecurityTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const schema = uniqueSchema();
  const shared = `"${schema}"."docs_shared"`;
  const paths = `"${schema}"."docs_paths"`;

  beforeAll(async () => {
    engine = await start();
    const backend = backendOn(engine, { schema });
    await backend.ensureCollection({ collection: { name: 'docs_shared', dimension: 4, metric: 'cosine', tenantField: true, partitioned: false } });
    await backend.ensureCollection({ collection: { name: 'docs_paths', dimension: 4, metric: 'cosine', tenantField: false, partitioned: false } });
    await backend.rawUpsert({ location: { collection: 'docs_shared' }, records: [record('a', '1'), record('a', '2'), record('b', '1')] });
    await backend.rawUpsert({ location: { collection: 'docs_paths' }, records: [record(undefined, '1', 'a/kb'), record(undefined, '2', 'a/kb/x'), record(undefined, '1', 'b/kb')] });
  });

  afterAll(async () => {
    await dropSchema(engine, schema);
    await engine.close();
  });

  /** Raw SQL through the same pool or PGlite, as the role the backend uses for data. */
  async function asApp<T>(tenant: string | undefined, sql: string, params: unknown[] = []): Promise<T[]> {
    return engine.raw(async (transaction) => {
      await transaction.query("SELECT set_config('role', 'tenantvec_app', true)");
      if (tenant !== undefined) await transaction.query("SELECT set_config('tenantvec.tenant', $1, true)", [tenant]);
      return (await transaction.query<T>(sql, params)).rows;
    });
  }

  it('shows a raw query with no tenant set no rows at all', async () => {
    expect(await asApp(undefined, `SELECT id FROM ${shared}`)).toEqual([]);
    expect(await asApp(undefined, `SELECT id FROM ${paths}`)).toEqual([]);
  });

  it("shows a raw query with tenant a set only a's rows, none of b's", async () => {
    const rows = await asApp<{ tenant: string }>('a', `SELECT tenant FROM ${shared} ORDER BY id`);
    expect(rows.map((row) => row.tenant)).toEqual(['a', 'a']);
    const pathRows = await asApp<{ source: string }>('a', `SELECT source FROM ${paths} ORDER BY source`);
    expect(pathRows.map((row) => row.source)).toEqual(['a/kb', 'a/kb/x']);
  });

  it("refuses an insert for b under a's setting, and cannot update or delete b's rows", async () => {
    await expect(
      asApp('a', `INSERT INTO ${shared} (id, record_id, embedding, tenant) VALUES ('b:evil', 'evil', '[1,0,0,0]', 'b')`),
    ).rejects.toThrow(/row-level security/);
    await expect(asApp('a', `INSERT INTO ${paths} (id, record_id, embedding, source) VALUES ('b:evil', 'evil', '[1,0,0,0]', 'b/kb')`)).rejects.toThrow(
      /row-level security/,
    );
    expect(await asApp('a', `UPDATE ${shared} SET text = 'owned' WHERE tenant = 'b' RETURNING id`)).toEqual([]);
    expect(await asApp('a', `DELETE FROM ${shared} WHERE tenant = 'b' RETURNING id`)).toEqual([]);
    expect(await asApp<{ id: string }>('b', `SELECT id, text FROM ${shared}`)).toEqual([{ id: 'b:1', text: null }]);
  });

  it('leaves no tenant setting behind once a backend transaction ends', async () => {
    const backend = backendOn(engine, { schema });
    expect(await backend.rawCount({ location: { collection: 'docs_shared' }, scope: { tenant: 'a' } })).toBe(2);
    const settings = await engine.raw(async (transaction) =>
      (await transaction.query<{ tenant: string | null; role: string }>("SELECT current_setting('tenantvec.tenant', true) AS tenant, current_user AS role")).rows,
    );
    expect(settings[0]!.tenant ?? '').toBe('');
    expect(settings[0]!.role).not.toBe('tenantvec_app');
  });

  it('keeps a tenant key written to break out of its literal inside its own walls', async () => {
    const backend = backendOn(engine, { schema });
    for (const tenant of ["a' OR true OR 'x", "a\\' OR true --", "a'); SELECT set_config('tenantvec.tenant', 'b', true); --", '$1']) {
      expect(await backend.rawCount({ location: { collection: 'docs_shared' }, scope: { tenant } })).toBe(0);
      expect(await backend.rawQuery({ location: { collection: 'docs_shared' }, scope: { tenant }, vector, topK: 10 })).toEqual([]);
      expect(await backend.rawGet({ location: { collection: 'docs_shared' }, scope: { tenant }, ids: ['a:1', 'b:1'] })).toEqual([]);
    }
  });

  it('confines a backend read without a tenant in its scope to nothing, and lists tenants through the admin path', async () => {
    const backend = backendOn(engine, { schema });
    expect(await backend.rawCount({ location: { collection: 'docs_shared' }, scope: {} })).toBe(0);
    expect(await backend.rawListTenantKeys({ collection: 'docs_shared', key: 'tenant', limit: 10 })).toEqual(['a', 'b']);
    expect(await backend.rawListTenantKeys({ collection: 'docs_paths', key: 'source-root', limit: 10 })).toEqual(['a', 'b']);
  });

  it("confines the size catalogue: the app role reads only its tenant's counts and cannot rewrite another's", async () => {
    const indexes = `"${schema}"."_vector_indexes"`;
    const seen = await asApp<{ table_name: string; key: string }>('a', `SELECT table_name, key FROM ${indexes} ORDER BY table_name`);
    expect(seen).toEqual([{ table_name: 'docs_paths', key: 'a' }, { table_name: 'docs_shared', key: 'a' }]);
    expect(await asApp('a', `UPDATE ${indexes} SET records = 999999, indexed = true WHERE key = 'b' RETURNING key`)).toEqual([]);
    await expect(asApp('a', `INSERT INTO ${indexes} (table_name, key, records) VALUES ('docs_shared', 'c', 1)`)).rejects.toThrow(/row-level security/);
    const bob = await engine.raw((transaction) =>
      transaction.query<{ records: string; indexed: boolean }>(`SELECT records, indexed FROM ${indexes} WHERE key = 'b' AND table_name = 'docs_shared'`),
    );
    expect(bob.rows.map((row) => ({ records: Number(row.records), indexed: row.indexed }))).toEqual([{ records: 1, indexed: false }]);
  });

  it('makes the forced policy hold for the table owner too', async () => {
    const { rows } = await engine.raw((transaction) =>
      transaction.query<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`,
        [shared],
      ),
    );
    expect(rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);
    const roles = await engine.raw((transaction) =>
      transaction.query<{ rolbypassrls: boolean; rolcanlogin: boolean }>("SELECT rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'tenantvec_app'"),
    );
    expect(roles.rows).toEqual([{ rolbypassrls: false, rolcanlogin: false }]);
  });
}

describe('row-level security on PGlite', () => rowLevelSecurityTests(pgliteEngine));

/**
 * The application's login is a member of the app and admin roles (it must be, to SET ROLE to
 * them), so it holds whatever their policies grant. Tested as that login itself, connected as
 * it, never after SET ROLE: with no tenant set, a shared table shows it nothing.
 */
describeOnNativeServer("row-level security on the native server, as the application's login", () => {
  const login = `tv_walls_login_${process.pid}_${Date.now().toString(36)}`;
  const schema = uniqueSchema();
  let engine: TestEngine;
  let client: pg.Client;

  beforeAll(async () => {
    engine = nativeEngine();
    const backend = backendOn(engine, { schema });
    await backend.ensureCollection({ collection: { name: 'docs_shared', dimension: 4, metric: 'cosine', tenantField: true, partitioned: false } });
    await backend.ensureCollection({ collection: { name: 'docs_paths', dimension: 4, metric: 'cosine', tenantField: false, partitioned: false } });
    await backend.rawUpsert({ location: { collection: 'docs_shared' }, records: [record('a', '1'), record('b', '1')] });
    await backend.rawUpsert({ location: { collection: 'docs_paths' }, records: [record(undefined, '1', 'a/kb'), record(undefined, '1', 'b/kb')] });
    await engine.raw(async (transaction) => {
      await transaction.query(`CREATE ROLE "${login}" LOGIN NOSUPERUSER NOBYPASSRLS`);
      await transaction.query(`GRANT tenantvec_app, tenantvec_admin TO "${login}"`);
    });
    const url = new URL(process.env.DATABASE_URL!);
    url.username = login;
    url.password = '';
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await dropSchema(engine, schema);
    await engine.raw((transaction) => transaction.query(`DROP ROLE IF EXISTS "${login}"`));
    await engine.close();
  });

  it('reads no row of a shared table with no tenant set, and only its tenant once set', async () => {
    expect((await client.query('SELECT current_user AS role')).rows).toEqual([{ role: login }]);
    expect((await client.query(`SELECT id FROM "${schema}".docs_shared`)).rows).toEqual([]);
    expect((await client.query(`SELECT id FROM "${schema}".docs_paths`)).rows).toEqual([]);
    await client.query("SELECT set_config('tenantvec.tenant', 'a', false)");
    expect((await client.query(`SELECT id FROM "${schema}".docs_shared`)).rows).toEqual([{ id: 'a:1' }]);
    expect((await client.query(`SELECT source FROM "${schema}".docs_paths`)).rows).toEqual([{ source: 'a/kb' }]);
    await client.query("SELECT set_config('tenantvec.tenant', '', false)");
  });

  it('finds neither tenant nor role left on the one pooled connection after a one-round-trip read, and reads nothing there', async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    try {
      const backend = new PgvectorBackend(poolClient(pool, false), resolveSettings({ schema }));
      expect(await backend.rawQuery({ location: { collection: 'docs_shared' }, scope: { tenant: 'a' }, vector, topK: 10 })).toHaveLength(1);
      const left = await pool.query("SELECT current_setting('tenantvec.tenant', true) AS tenant, current_user = 'tenantvec_app' AS app");
      expect(left.rows[0].tenant ?? '').toBe('');
      expect(left.rows[0].app).toBe(false);
      // A later round trip on that connection, as the app role, sees nothing: the setting ended with its transaction.
      const results = (await pool.query(`SELECT set_config('role', 'tenantvec_app', true); SELECT id FROM "${schema}".docs_shared`)) as unknown as pg.QueryResult[];
      expect(results[1]!.rows).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it("reads no other tenant's counts from the size catalogue", async () => {
    expect((await client.query(`SELECT key FROM "${schema}"._vector_indexes`)).rows).toEqual([]);
  });

  it('still lists every tenant through the deliberate admin path', async () => {
    const backend = backendOn(engine, { schema });
    expect(await backend.rawListTenantKeys({ collection: 'docs_shared', key: 'tenant', limit: 10 })).toEqual(['a', 'b']);
  });
});
describeOnNativeServer('row-level security on the native server', () => rowLevelSecurityTests(nativeEngine));
