import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, pglite, pgvector } from './index.js';

describe('the native client, exposed as on every backend', () => {
  it('is the PGlite database a backend was given, and one it started itself on first use', async () => {
    const database = await createEmbeddedDatabase();
    const given = pglite({ pglite: database });
    expect(await given.client).toBe(database);
    await given.close();
    const started = pglite();
    const own = (await started.client) as Awaited<typeof started.client> & { query(sql: string): Promise<{ rows: { answer: number }[] }> };
    expect((await own.query('SELECT 42 AS answer')).rows).toEqual([{ answer: 42 }]);
    await started.close();
    await database.close();
  });

  it.skipIf(process.env.DATABASE_URL === undefined)('is the pg pool a server backend was given (native Postgres)', async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    const backend = pgvector({ pool, readOnly: true });
    expect(await backend.client).toBe(pool);
    await backend.close();
    await pool.end();
  });
});
