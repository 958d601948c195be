import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '@tenantvec/core';
import { createEmbeddedDatabase, pglite, pgvector } from './index.js';

function refusal(create: () => unknown): string {
  try {
    create();
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('pgvector() settings', () => {
  it('refuses a misspelt connection setting instead of starting some other database', () => {
    expect(refusal(() => pgvector({ connectionStrng: 'postgres://127.0.0.1/app' } as never))).toBe(
      'Invalid pgvector settings: pgvector.connectionStrng: unknown setting; did you mean connectionString?',
    );
    expect(refusal(() => pgvector({ connectionString: 'postgres://x/app', hnsw: { efSerch: 10 } } as never))).toMatch(
      'pgvector.hnsw.efSerch: unknown setting; did you mean efSearch?',
    );
  });

  it('needs a server: no connection and no DATABASE_URL is refused, not an in-memory database', () => {
    vi.stubEnv('DATABASE_URL', '');
    expect(refusal(() => pgvector({}))).toMatch(/pgvector: needs a server: give connectionString or pool, or set DATABASE_URL; for embedded Postgres with no server use pglite\(\)/);
  });

  it('reads DATABASE_URL when given no connection, and says so', () => {
    vi.stubEnv('DATABASE_URL', 'postgres://app:s3cret-pw@db.internal:6543/tenants');
    const description = pgvector({}).describe();
    expect(description).toEqual({ kind: 'pgvector', host: 'db.internal', port: 6543, database: 'tenants', detail: 'from DATABASE_URL' });
    expect(JSON.stringify(description)).not.toContain('s3cret-pw');
  });

  it('refuses PGlite settings, explaining where they belong', () => {
    expect(refusal(() => pgvector({ connectionString: 'postgres://x/app', dataDir: './data' } as never))).toMatch(
      'pgvector.dataDir: a PGlite setting: embedded Postgres is pglite({ dataDir }), in a config type: pglite',
    );
  });

  it('never repeats a value in an error', () => {
    const secret = 'postgres://app:hunter2@db/app';
    const message = refusal(() => pgvector({ connectionString: secret, pool: secret } as never));
    expect(message).toMatch('pgvector.pool: must be a pg.Pool');
    expect(message).not.toContain('hunter2');
  });

  it('describes where it is without the password', () => {
    const description = pgvector({ connectionString: 'postgresql://app:hunter2@10.0.0.5/prod' }).describe();
    expect(description).toEqual({ kind: 'pgvector', host: '10.0.0.5', port: 5432, database: 'prod' });
    expect(JSON.stringify(description)).not.toContain('hunter2');
  });
});

describe('pglite() settings', () => {
  it('refuses a server setting instead of connecting to the server', () => {
    expect(refusal(() => pglite({ connectionString: 'postgres://127.0.0.1/app' } as never))).toMatch(
      'pglite.connectionString: a server setting: PGlite is embedded; a server is pgvector({ connectionString }), in a config type: pgvector',
    );
    expect(refusal(() => pglite({ dataDri: './data' } as never))).toMatch('pglite.dataDri: unknown setting; did you mean dataDir?');
  });

  it('says whether it is in memory or in a folder', () => {
    expect(pglite().describe()).toEqual({ kind: 'pglite', inMemory: true });
    expect(pglite({ dataDir: './data' }).describe()).toEqual({ kind: 'pglite', dataDir: './data' });
  });
});

describe('readOnly', () => {
  const spec = { name: 'kept', dimension: 2, metric: 'cosine' as const, tenantField: true, partitioned: false };

  it('on a database without the tenantvec schema says so and creates nothing', async () => {
    const database = await createEmbeddedDatabase();
    try {
      const backend = pglite({ pglite: database, readOnly: true });
      await expect(backend.ensureCollection({ collection: spec })).rejects.toThrow('No tenantvec schema "tenantvec" here: opened read-only, so nothing was created.');
      await expect(backend.listCollections({ prefix: '' })).rejects.toThrow(/No tenantvec schema/);
      const created = await database.query<{ schemas: number; extensions: number; roles: number }>(`SELECT
        (SELECT count(*) FROM pg_namespace WHERE nspname = 'tenantvec')::int AS schemas,
        (SELECT count(*) FROM pg_extension WHERE extname = 'vector')::int AS extensions,
        (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'tenantvec%')::int AS roles`);
      expect(created.rows[0]).toEqual({ schemas: 0, extensions: 0, roles: 0 });
    } finally {
      await database.close();
    }
  });

  it('reads a migrated database and lets the database refuse every write', async () => {
    const database = await createEmbeddedDatabase();
    try {
      const writer = pglite({ pglite: database });
      await writer.ensureCollection({ collection: spec });
      await writer.rawUpsert({ location: { collection: 'kept' }, records: [{ id: 'a:1', recordId: '1', vector: [1, 0], metadata: {}, tenant: 'a' }] });
      const reader = pglite({ pglite: database, readOnly: true });
      await reader.ensureCollection({ collection: { ...spec, name: 'absent' } });
      expect((await reader.listCollections({ prefix: '' })).map(({ name }) => name)).toEqual(['kept']);
      expect(await reader.rawCount({ location: { collection: 'kept' }, scope: { tenant: 'a' } })).toBe(1);
      await expect(reader.rawUpsert({ location: { collection: 'kept' }, records: [{ id: 'a:2', recordId: '2', vector: [0, 1], metadata: {}, tenant: 'a' }] })).rejects.toThrow();
      expect(await reader.rawCount({ location: { collection: 'kept' }, scope: { tenant: 'a' } })).toBe(1);
    } finally {
      await database.close();
    }
  });
});

describe('layout and index-build settings', () => {
  const server = 'postgres://127.0.0.1/app';

  it('takes the documented defaults', async () => {
    const { resolveSettings } = await import('./pgvector-settings.js');
    const settings = resolveSettings({});
    expect(settings.sharedTablePartitions).toBe(64);
    expect(settings.hnsw).toMatchObject({ buildMemoryMegabytes: 512, rebuildFactor: 2 });
  });

  it('refuses partitions, build memory and rebuild factors out of range, naming the setting', () => {
    expect(refusal(() => pgvector({ connectionString: server, sharedTablePartitions: 0 }))).toBe('sharedTablePartitions must be a whole number from 1 to 1024.');
    expect(refusal(() => pgvector({ connectionString: server, sharedTablePartitions: 2.5 }))).toMatch('sharedTablePartitions');
    expect(refusal(() => pglite({ sharedTablePartitions: 5000 }))).toBe('sharedTablePartitions must be a whole number from 1 to 1024.');
    expect(refusal(() => pgvector({ connectionString: server, hnsw: { buildMemoryMegabytes: 0 } }))).toBe('hnsw.buildMemoryMegabytes must be a whole number from 1 to 65536.');
    expect(refusal(() => pgvector({ connectionString: server, hnsw: { rebuildFactor: 1 } }))).toBe('hnsw.rebuildFactor must be 0 (never rebuild) or a whole number from 2 to 1000.');
    expect(refusal(() => pgvector({ connectionString: server, hnsw: { rebuildFactor: -2 } }))).toMatch('hnsw.rebuildFactor');
  });
});
