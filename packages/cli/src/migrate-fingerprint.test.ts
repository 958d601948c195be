import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

/** Two databases of this test's own on the server DATABASE_URL names. */
const databases = [`tv_fingerprint_${process.pid}_a`, `tv_fingerprint_${process.pid}_b`];
const urlOf = (database: string) => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
};

async function onServer(sql: string, database?: string): Promise<void> {
  const client = new pg.Client({ connectionString: database === undefined ? process.env.DATABASE_URL! : urlOf(database) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(!process.env.DATABASE_URL)('the migration checkpoint is bound to where the stores are, not only to their configs', () => {
  beforeAll(async () => {
    for (const database of databases) {
      await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await onServer(`CREATE DATABASE ${database}`);
      await onServer('CREATE EXTENSION IF NOT EXISTS vector', database);
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    for (const database of databases) await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('refuses (exit 2) a second migrate whose config reads another DATABASE_URL, instead of skipping every tenant', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-fingerprint-'));
    const store = { strategy: { type: 'metadata-filter' }, dimension: 4 };
    // No connectionString: the backend reads DATABASE_URL, so the file is the same for both databases.
    const from = join(folder, 'from.json');
    const to = join(folder, 'to.json');
    await writeFile(from, JSON.stringify({ ...store, backend: { type: 'pgvector' } }));
    await writeFile(to, JSON.stringify({ ...store, backend: { type: 'memory' } }));
    await writeFile(join(folder, 'in.jsonl'), `${JSON.stringify({ id: 'a', vector: [1, 0, 0, 1] })}\n`);
    const checkpoint = join(folder, 'checkpoint.json');

    for (const database of databases) {
      vi.stubEnv('DATABASE_URL', urlOf(database));
      expect((await run(['import', '--tenant', 'acme', '--config', from, '--in', join(folder, 'in.jsonl')])).code).toBe(0);
    }
    vi.stubEnv('DATABASE_URL', urlOf(databases[0]!));
    const first = await run(['migrate', '--tenant', 'acme', '--from', from, '--to', to, '--checkpoint', checkpoint, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).tenants).toMatchObject([{ tenantId: 'acme', copied: 1 }]);

    vi.stubEnv('DATABASE_URL', urlOf(databases[1]!));
    const second = await run(['migrate', '--tenant', 'acme', '--from', from, '--to', to, '--checkpoint', checkpoint, '--json']);
    expect(second.stderr).toMatch(/holds the progress of another migration \(another source or target\).*\(CONFIGURATION\)/);
    expect(second.code).toBe(2);
  }, 120_000);
});
