import type { StoredRecord } from '@tenantvec/core/backend';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgvector, printSetupSql } from './index.js';

/**
 * The whole life of a backend as a plain login that owns its database: no superuser, no
 * CREATEROLE, no CREATEDB. Everything that needs more is done once by an administrator, with
 * the SQL printSetupSql() prints. Native server only (PGlite has a single superuser session).
 */
const serverUrl = process.env.DATABASE_URL;
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const owner = `tv_walls_owner_${suffix}`;
const database = `tv_walls_db_${suffix}`;
const rolePrefix = `tv_walls_${suffix}`;
const roles = { app: `${rolePrefix}_app`, admin: `${rolePrefix}_admin` };

function urlAs(user: string, name: string): string {
  const url = new URL(serverUrl ?? 'postgres://localhost');
  url.username = user;
  url.password = '';
  url.pathname = `/${name}`;
  return url.toString();
}

async function asSuperuser(name: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: urlAs(new URL(serverUrl!).username || 'postgres', name) });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function readAsSuperuser<T>(name: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: urlAs(new URL(serverUrl!).username || 'postgres', name) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; isRetryable: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; isRetryable: boolean };
  }
  throw new Error('expected the call to fail');
}

const shared = { name: 'docs_shared', dimension: 3, metric: 'cosine' as const, tenantField: true, partitioned: false };
const paths = { name: 'docs_paths', dimension: 3, metric: 'cosine' as const, tenantField: false, partitioned: false };
const parted = { name: 'docs_parted', dimension: 3, metric: 'cosine' as const, tenantField: false, partitioned: true };
const single = { name: 'docs_t_acme', dimension: 3, metric: 'cosine' as const, tenantField: false, partitioned: false, tenant: 'acme' };

function records(count: number, make: (index: number) => Partial<StoredRecord>): StoredRecord[] {
  return Array.from({ length: count }, (_, index) => ({ id: String(index), recordId: String(index), vector: [1, index / count, 0], metadata: { index }, ...make(index) }));
}

describe.skipIf(serverUrl === undefined)('a database owner that is not a superuser', () => {
  const ownerUrl = urlAs(owner, database);
  const backends: { close(): Promise<void> }[] = [];
  const open = (settings: Parameters<typeof pgvector>[0]) => {
    const backend = pgvector(settings);
    backends.push(backend);
    return backend;
  };

  beforeAll(async () => {
    await asSuperuser('postgres', [`CREATE ROLE "${owner}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS`, `CREATE DATABASE "${database}" OWNER "${owner}"`]);
  });

  afterAll(async () => {
    for (const backend of backends) await backend.close();
    await asSuperuser('postgres', [
      `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`,
      `DROP ROLE IF EXISTS "${owner}"`,
      `DROP ROLE IF EXISTS "${roles.app}"`,
      `DROP ROLE IF EXISTS "${roles.admin}"`,
    ]);
  });

  it('says the extension needs an administrator, naming the database, when the login may not create it', async () => {
    const error = await failure(open({ connectionString: ownerUrl, rolePrefix }).ready());
    expect(error.code).toBe('CONFIGURATION');
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('Permission denied to create extension "vector"');
    expect(error.message).toContain(`database "${database}"`);
    expect(error.message).toContain('createExtension: false');
  });

  it('with createExtension: false, says the extension is missing instead of trying to create it', async () => {
    const error = await failure(open({ connectionString: ownerUrl, rolePrefix, createExtension: false }).ready());
    expect(error.code).toBe('CONFIGURATION');
    expect(error.message).toMatch(/vector extension is not installed in database "tv_walls_db_/);
  });

  it('runs with rowLevelSecurity: false once the extension exists, creating no role', async () => {
    await asSuperuser(database, ['CREATE EXTENSION vector']);
    const backend = open({ connectionString: ownerUrl, schema: 'no_walls', rolePrefix, rowLevelSecurity: false, createExtension: false });
    await backend.ensureCollection({ collection: shared });
    await backend.rawUpsert({ location: { collection: shared.name }, records: records(2, () => ({ tenant: 'acme' })) });
    expect(await backend.rawCount({ location: { collection: shared.name }, scope: { tenant: 'acme' } })).toBe(2);
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    const found = await client.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])', [[roles.app, roles.admin]]);
    await client.end();
    expect(found.rows).toEqual([]);
  });

  it('says which privilege is missing when it may not create the roles, or may not grant roles someone else made', async () => {
    const created = await failure(open({ connectionString: ownerUrl, rolePrefix, createExtension: false }).ready());
    expect(created.code).toBe('CONFIGURATION');
    expect(created.message).toContain('Permission denied to create role');
    expect(created.message).toContain(`"${owner}"`);
    expect(created.message).toContain('roles: { app, admin }');

    await asSuperuser(database, [`CREATE ROLE "${roles.app}" NOLOGIN NOBYPASSRLS`, `CREATE ROLE "${roles.admin}" NOLOGIN NOBYPASSRLS`]);
    const granted = await failure(open({ connectionString: ownerUrl, rolePrefix, createExtension: false }).ready());
    expect(granted.code).toBe('CONFIGURATION');
    expect(granted.message).toContain(`must have admin option on role "${roles.app}"`);

    const provisioned = await failure(open({ connectionString: ownerUrl, roles, createExtension: false }).ready());
    expect(provisioned.code).toBe('CONFIGURATION');
    expect(provisioned.message).toContain(`Role "${roles.app}" is not granted to the login "${owner}"`);
  });

  describe('after the setup SQL, with roles provisioned', () => {
    let backend: ReturnType<typeof pgvector>;

    beforeAll(async () => {
      const sql = printSetupSql({ login: owner, database, settings: { roles } });
      await asSuperuser(database, [sql]);
      backend = open({ connectionString: ownerUrl, roles, createExtension: false, partialIndexAbove: 5, exactScanBelow: 5 });
    });

    it('migrates, creates every kind of collection, writes, reads, indexes and drops', async () => {
      for (const collection of [shared, paths, parted, single]) await backend.ensureCollection({ collection });
      await backend.rawUpsert({ location: { collection: shared.name }, records: records(6, (index) => ({ id: `acme:${index}`, tenant: 'acme' })) });
      await backend.rawUpsert({ location: { collection: shared.name }, records: records(2, (index) => ({ id: `bolt:${index}`, tenant: 'bolt' })) });
      await backend.rawUpsert({ location: { collection: paths.name }, records: records(6, (index) => ({ source: `acme/kb/${index}` })) });
      await backend.ensurePartition({ collection: parted.name, partition: 'acme', tenant: 'acme' });
      await backend.rawUpsert({ location: { collection: parted.name, partition: 'acme' }, records: records(6, () => ({})) });
      await backend.rawUpsert({ location: { collection: single.name }, records: records(6, () => ({})) });

      const acme = { location: { collection: shared.name }, scope: { tenant: 'acme' } };
      expect(await backend.rawCount(acme)).toBe(6);
      expect((await backend.rawQuery({ ...acme, vector: [1, 0, 0], topK: 3 })).map((hit) => hit.id)).toEqual(['acme:0', 'acme:1', 'acme:2']);
      expect((await backend.rawGet({ ...acme, ids: ['acme:1', 'bolt:1'] })).map((record) => record.id)).toEqual(['acme:1']);
      expect((await backend.rawScan({ ...acme, limit: 2 })).next).toBe('acme:1');
      expect(await backend.rawCount({ location: { collection: paths.name }, scope: { sourcePrefix: 'acme/kb' } })).toBe(6);
      expect(await backend.rawCount({ location: { collection: parted.name, partition: 'acme' }, scope: {} })).toBe(6);
      expect(await backend.rawCount({ location: { collection: single.name }, scope: {} })).toBe(6);
      expect(await backend.rawListTenantKeys({ collection: shared.name, key: 'tenant', limit: 10 })).toEqual(['acme', 'bolt']);
      expect((await backend.listPartitions({ collection: parted.name })).map((partition) => partition.name)).toEqual(['acme']);

      // Six records crossed partialIndexAbove: each got its index, built by the plain login.
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      const indexed = await client.query<{ count: string }>(`SELECT count(*) FROM pg_indexes WHERE schemaname = 'tenantvec' AND indexdef LIKE '%USING hnsw%'`);
      await client.end();
      expect(Number(indexed.rows[0]!.count)).toBe(4);

      await backend.rawDelete({ ...acme, ids: ['acme:0'] });
      expect(await backend.rawCount(acme)).toBe(5);
      await backend.dropPartition({ collection: parted.name, partition: 'acme' });
      await backend.dropCollection({ collection: single.name });
      expect((await backend.listCollections({ prefix: 'docs_' })).map((collection) => collection.name)).toEqual(['docs_parted', 'docs_paths', 'docs_shared']);
    });

    it("confines the login's own raw SQL: with no tenant set it reads no row of a shared table", async () => {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        expect((await client.query('SELECT current_user AS login')).rows).toEqual([{ login: owner }]);
        expect((await client.query(`SELECT id FROM tenantvec.docs_shared`)).rows).toEqual([]);
        expect((await client.query(`SELECT id FROM tenantvec.docs_paths`)).rows).toEqual([]);
        await client.query("SELECT set_config('tenantvec.tenant', 'bolt', false)");
        expect((await client.query(`SELECT id FROM tenantvec.docs_shared ORDER BY id`)).rows).toEqual([{ id: 'bolt:0' }, { id: 'bolt:1' }]);
      } finally {
        await client.end();
      }
    });

    it("confines the owning login's raw SQL on the size catalogue, while the backend's own bookkeeping still reaches every row", async () => {
      // The backend marked each index it built, as the app role under the tenant's key.
      const catalogue = () => readAsSuperuser<{ table_name: string; key: string; indexed: boolean }>(database, 'SELECT table_name, key, indexed FROM tenantvec._vector_indexes ORDER BY table_name, key');
      expect(await catalogue()).toContainEqual({ table_name: 'docs_shared', key: 'acme', indexed: true });
      expect((await catalogue()).map((row) => row.table_name)).not.toContain('docs_t_acme');

      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        const owned = await client.query<{ owner: string }>("SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'tenantvec' AND tablename = '_vector_indexes'");
        expect(owned.rows).toEqual([{ owner }]);
        expect((await client.query(`SELECT key FROM tenantvec._vector_indexes WHERE key <> ''`)).rows).toEqual([]);
        expect((await client.query(`UPDATE tenantvec._vector_indexes SET records = 0 WHERE key <> ''`)).rowCount).toBe(0);
        expect((await client.query(`DELETE FROM tenantvec._vector_indexes WHERE key <> ''`)).rowCount).toBe(0);
        await client.query("SELECT set_config('tenantvec.tenant', 'bolt', false)");
        expect((await client.query(`SELECT table_name, key, records FROM tenantvec._vector_indexes`)).rows).toEqual([{ table_name: 'docs_shared', key: 'bolt', records: '2' }]);
      } finally {
        await client.end();
      }

      // A drop removes every tenant key's row (as the admin role), not only the owner's share.
      await backend.dropCollection({ collection: shared.name });
      expect((await catalogue()).map((row) => row.table_name)).not.toContain('docs_shared');
    });
  });
});
