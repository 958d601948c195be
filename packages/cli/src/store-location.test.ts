import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

async function configFile(name: string, config: unknown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tenantvec-location-'));
  const file = join(folder, name);
  await writeFile(file, JSON.stringify(config));
  return file;
}

const store = { strategy: { type: 'metadata-filter' }, dimension: 4 };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a typo in a config is an error, never another database', () => {
  it('refuses drop --verify all of a misspelt connection setting with exit 2, naming the path and the fix', async () => {
    const file = await configFile('native-typo.json', { ...store, backend: { type: 'pgvector', connectionStrng: 'postgres://postgres:pw-secret@127.0.0.1:5432/app' } });
    const { code, stdout, stderr } = await run(['drop', '--tenant', 'acme', '--config', file, '--yes', '--verify', 'all']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('tenantvec drop: Invalid store config: config.backend.connectionStrng: unknown setting; did you mean connectionString? (CONFIGURATION)\n');
    expect(stderr).not.toContain('pw-secret');
  });

  it('refuses a server backend with no connection and an embedded one given a server', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const serverless = await configFile('no-server.json', { ...store, backend: { type: 'pgvector' } });
    const none = await run(['inspect', '--config', serverless]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/config\.backend: needs a server: give connectionString or pool, or set DATABASE_URL; for embedded Postgres with no server use pglite\(\)/);
    const mixed = await configFile('mixed.json', { ...store, backend: { type: 'pglite', connectionString: 'postgres://127.0.0.1:5432/app' } });
    const refused = await run(['drop', '--tenant', 'acme', '--config', mixed, '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/config\.backend\.connectionString: a server setting: PGlite is embedded/);
    const typo = await configFile('typo.json', { ...store, backend: { type: 'pglite', dataDri: './data' } });
    expect((await run(['inspect', '--config', typo])).stderr).toMatch('config.backend.dataDri: unknown setting; did you mean dataDir?');
  });
});

describe('a store says where it is on the first line', () => {
  it('inspect, drop, export and migrate name the backend and its place first', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-location-'));
    const shared = await configFile('shared.json', { ...store, backend: { type: 'pglite', dataDir: join(folder, 'shared') } });
    const memory = await configFile('memory.json', { ...store, backend: { type: 'memory' } });
    await writeFile(join(folder, 'in.jsonl'), `${JSON.stringify({ id: 'a', vector: [1, 0, 0, 1] })}\n`);
    expect((await run(['import', '--tenant', 'acme', '--config', shared, '--in', join(folder, 'in.jsonl')])).code).toBe(0);

    const firstLine = (output: string) => output.split('\n')[0];
    const inspected = await run(['inspect', '--config', shared]);
    expect(firstLine(inspected.stdout)).toBe(`${shared}: pglite in ${join(folder, 'shared')}`);
    expect(JSON.parse((await run(['inspect', '--config', shared, '--json'])).stdout).location).toEqual({ kind: 'pglite', dataDir: join(folder, 'shared') });
    const exported = await run(['export', '--tenant', 'acme', '--config', shared, '--out', join(folder, 'out.jsonl')]);
    expect(firstLine(exported.stdout)).toBe(`${shared}: pglite in ${join(folder, 'shared')}`);
    const migrated = await run(['migrate', '--tenant', 'acme', '--from', shared, '--to', memory, '--checkpoint', join(folder, 'checkpoint.json')]);
    expect(firstLine(migrated.stdout)).toBe(`from ${shared}: pglite in ${join(folder, 'shared')} to ${memory}: memory in memory`);
    const dropped = await run(['drop', '--tenant', 'acme', '--config', shared, '--yes']);
    expect(dropped.stdout.split('\n').slice(0, 2)).toEqual([`${shared}: pglite in ${join(folder, 'shared')}`, 'dropped acme: 0 records remain']);
  }, 120_000);

  it('names a native server by host, port and database, never its password', async () => {
    const file = await configFile('native.json', { ...store, backend: { type: 'pgvector', connectionString: 'postgres://app:pw-secret@127.0.0.1:1/tenants' } });
    const { code, stdout, stderr } = await run(['drop', '--tenant', 'acme', '--config', file, '--yes']);
    expect(code).toBe(1);
    expect(stdout).toBe(`${file}: pgvector 127.0.0.1:1/tenants\n`);
    expect(stdout + stderr).not.toContain('pw-secret');
  });
});

describe('inspect is read-only', () => {
  it('on an embedded database without the tenantvec schema says so and creates nothing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-location-'));
    const file = await configFile('empty.json', { ...store, backend: { type: 'pglite', dataDir: join(folder, 'empty') } });
    const inspected = await run(['inspect', '--config', file]);
    expect(inspected.code).toBe(1);
    expect(inspected.stdout).toBe(`${file}: pglite in ${join(folder, 'empty')}\n`);
    expect(inspected.stderr).toBe('tenantvec inspect: No tenantvec schema "tenantvec" here: opened read-only, so nothing was created. (BACKEND)\n');
    // Opened again for writing, the database shows it was never migrated: no schema, no extension.
    const { createEmbeddedDatabase } = await import('@tenantvec/pgvector');
    const database = await createEmbeddedDatabase(join(folder, 'empty'));
    try {
      const { rows } = await database.query<{ schemas: number; extensions: number }>(`SELECT
        (SELECT count(*) FROM pg_namespace WHERE nspname = 'tenantvec')::int AS schemas,
        (SELECT count(*) FROM pg_extension WHERE extname = 'vector')::int AS extensions`);
      expect(rows[0]).toEqual({ schemas: 0, extensions: 0 });
    } finally {
      await database.close();
    }
  }, 120_000);

  it.skipIf(process.env.DATABASE_URL === undefined)('on a native database creates no extension, schema, table or role', async () => {
    const prefix = `tv_inspect_${process.pid}`;
    const file = await configFile('native.json', { ...store, backend: { type: 'pgvector', connectionString: process.env.DATABASE_URL, schema: prefix, rolePrefix: prefix } });
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    const census = async () => (await pool.query(`SELECT
      (SELECT count(*) FROM pg_namespace WHERE nspname = $1)::int AS schemas,
      (SELECT count(*) FROM pg_extension)::int AS extensions,
      (SELECT count(*) FROM pg_roles WHERE rolname LIKE $1 || '%')::int AS roles`, [prefix])).rows[0];
    try {
      const before = await census();
      const inspected = await run(['inspect', '--config', file]);
      expect(inspected.code).toBe(1);
      expect(inspected.stdout).toMatch(/: pgvector 127\.0\.0\.1:5432\//);
      expect(inspected.stderr).toMatch(`No tenantvec schema "${prefix}" here: opened read-only, so nothing was created.`);
      expect(await census()).toEqual(before);
      expect(before).toMatchObject({ schemas: 0, roles: 0 });
    } finally {
      await pool.end();
    }
  });
});
