import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgvector, printSetupSql, resolveSettings } from './index.js';
import { backendOn, dropSchema, pgliteEngine, uniqueSchema, type TestEngine } from './test-engines.js';

interface Failure {
  name: string;
  code: string;
  message: string;
  isRetryable: boolean;
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('expected the call to fail');
}

describe('errors that say what went wrong', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Accepts TCP connections and never answers: a server that hangs during the handshake.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('calls a refused connection retryable and names the host and port, never the password', async () => {
    const backend = pgvector({ connectionString: 'postgres://someone:hunter2-secret@127.0.0.1:1/app' });
    const error = await failure(backend.rawCount({ location: { collection: 'docs' }, scope: {} }));
    await backend.close();
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true });
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toContain('connection refused');
    expect(error.message).not.toContain('hunter2');
  });

  it('calls a connection timeout retryable', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://someone@127.0.0.1:${silentPort}/app`, connectionTimeoutMillis: 200 });
    const backend = pgvector({ pool });
    const error = await failure(backend.ready());
    await pool.end();
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true });
    expect(error.message).toContain(`127.0.0.1:${silentPort}`);
  });

  it.skipIf(!process.env.DATABASE_URL)('names a database that does not exist, and the host, as a configuration error', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/tv_walls_no_such_database';
    const backend = pgvector({ connectionString: url.toString() });
    const error = await failure(backend.ready());
    await backend.close();
    expect(error).toMatchObject({ code: 'CONFIGURATION', isRetryable: false });
    expect(error.message).toContain('Database "tv_walls_no_such_database" does not exist');
    expect(error.message).toContain(`${url.hostname}:${url.port || 5432}`);
  });

  describe('dimension mismatches', () => {
    let engine: TestEngine;
    const schema = uniqueSchema();
    const spec = { name: 'docs', dimension: 4, metric: 'cosine' as const, tenantField: true, partitioned: false };

    beforeAll(async () => {
      engine = await pgliteEngine();
      await backendOn(engine, { schema }).ensureCollection({ collection: spec });
    });

    afterAll(async () => {
      await dropSchema(engine, schema);
      await engine.close();
    });

    it('name both numbers, on a write and on a collection that exists with another dimension', async () => {
      const backend = backendOn(engine, { schema });
      const write = await failure(
        backend.rawUpsert({ location: { collection: 'docs' }, records: [{ id: 'a:1', recordId: '1', vector: [1, 0, 0], metadata: {}, tenant: 'a' }] }),
      );
      expect(write.code).toBe('DIMENSION_MISMATCH');
      expect(write.message).toMatch(/\b3\b.*\b4\b/);
      const collection = await failure(backend.ensureCollection({ collection: { ...spec, dimension: 8 } }));
      expect(collection.code).toBe('DIMENSION_MISMATCH');
      expect(collection.message).toMatch(/\b4\b.*\b8\b/);
    });
  });
});

describe('settings for a login without superuser rights', () => {
  it('takes pre-provisioned roles and createExtension: false', () => {
    const resolved = resolveSettings({ roles: { app: 'shop_app', admin: 'shop_admin' }, createExtension: false });
    expect(resolved).toMatchObject({ appRole: 'shop_app', adminRole: 'shop_admin', provisionedRoles: true, createExtension: false });
    expect(resolveSettings({})).toMatchObject({ appRole: 'tenantvec_app', provisionedRoles: false, createExtension: true });
  });

  it('refuses roles with a prefix, a bad name, the same role twice, or a createExtension that is not a boolean', () => {
    expect(() => resolveSettings({ roles: { app: 'a_app', admin: 'a_admin' }, rolePrefix: 'a' })).toThrow(/roles or rolePrefix, not both/);
    expect(() => resolveSettings({ roles: { app: 'Bad Name', admin: 'a_admin' } })).toThrow(/roles\.app must be a role name/);
    expect(() => resolveSettings({ roles: { app: 'same', admin: 'same' } })).toThrow(/two different roles/);
    expect(() => resolveSettings({ createExtension: 'no' as unknown as boolean })).toThrow(/createExtension must be true or false/);
  });

  it('prints the setup SQL a DBA runs once, with the names the backend will use', () => {
    const sql = printSetupSql({ login: 'shop_owner', database: 'shop', settings: { rolePrefix: 'shop' } });
    expect(sql).toContain('CREATE EXTENSION IF NOT EXISTS vector;');
    expect(sql).toContain('CREATE ROLE "shop_app" NOLOGIN NOBYPASSRLS');
    expect(sql).toContain('GRANT "shop_admin" TO "shop_owner";');
    expect(sql).toContain('GRANT CREATE, CONNECT ON DATABASE "shop" TO "shop_owner";');
    expect(printSetupSql({ login: 'shop_owner', settings: { rowLevelSecurity: false } })).not.toContain('CREATE ROLE');
  });
});
