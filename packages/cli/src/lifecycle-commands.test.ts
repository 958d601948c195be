import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantVectorStore } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

/** Embedded Postgres persisted in a folder: what the commands need to see each other's work. */
async function configs() {
  const folder = await mkdtemp(join(tmpdir(), 'tenantvec-lifecycle-'));
  const write = async (name: string, strategy: string) => {
    const file = join(folder, `${name}.json`);
    // One data directory per config: two embedded engines must never open the same one.
    await writeFile(file, JSON.stringify({ backend: { type: 'pglite', dataDir: join(folder, `database-${name}`) }, strategy: { type: strategy }, dimension: 4, name }));
    return file;
  };
  const jsonl = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, index) => JSON.stringify({ id: `${prefix}${index}`, vector: [1, index, 0, 1], metadata: { index } })).join('\n');
  return { folder, shared: await write('shared', 'metadata-filter'), dedicated: await write('dedicated', 'collection-per-tenant'), jsonl };
}

describe('lifecycle commands on embedded Postgres', () => {
  it('imports as a bulk load: a tenant past the index threshold gets its index once, at the end', async () => {
    const { folder, jsonl } = await configs();
    const file = join(folder, 'indexed.json');
    await writeFile(file, JSON.stringify({ backend: { type: 'pglite', dataDir: join(folder, 'database-indexed'), partialIndexAbove: 5, exactScanBelow: 5 }, strategy: { type: 'metadata-filter' }, dimension: 4, name: 'indexed' }));
    await writeFile(join(folder, 'acme.jsonl'), jsonl('a', 12));
    const imported = await run(['import', '--tenant', 'acme', '--config', file, '--in', join(folder, 'acme.jsonl'), '--json', '--batch-size', '4']);
    expect(imported.stdout).toBe('{"tenant":"acme","imported":12,"indexesBuilt":1}\n');
    // The same again: nothing newly due, so nothing built.
    expect((await run(['import', '--tenant', 'acme', '--config', file, '--in', join(folder, 'acme.jsonl')])).stderr).toMatch(/imported 12 records into acme\n$/);
    expect((await run(['import', '--tenant', 'beta', '--config', file, '--in', join(folder, 'acme.jsonl')])).stderr).toMatch(/imported 12 records into beta, built 1 vector index\n$/);
  });

  it('import, export, migrate with --move, and drop, each seeing what the last one did', async () => {
    const { folder, shared, dedicated, jsonl } = await configs();
    await writeFile(join(folder, 'acme.jsonl'), `${jsonl('a', 7)}\n`);
    await writeFile(join(folder, 'beta.jsonl'), `${jsonl('b', 3)}\n`);
    expect((await run(['import', '--tenant', 'acme', '--config', shared, '--in', join(folder, 'acme.jsonl'), '--json'])).stdout).toBe('{"tenant":"acme","imported":7,"indexesBuilt":0}\n');
    await run(['import', '--tenant', 'beta', '--config', shared, '--in', join(folder, 'beta.jsonl')]);

    const exported = join(folder, 'acme-export.jsonl');
    expect((await run(['export', '--tenant', 'acme', '--config', shared, '--out', exported, '--page-size', '3'])).code).toBe(0);
    const lines = (await readFile(exported, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6']);

    const checkpoint = join(folder, 'migrate.checkpoint.json');
    const migrated = await run(['migrate', '--tenant', 'acme', '--from', shared, '--to', dedicated, '--verify', '--move', '--checkpoint', checkpoint, '--json']);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout).tenants).toEqual([expect.objectContaining({ tenantId: 'acme', copied: 7, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    const inspected = async (config: string) => JSON.parse((await run(['inspect', '--config', config, '--json'])).stdout).tenants;
    expect(await inspected(dedicated)).toEqual([{ tenant: 'acme', records: 7 }]);
    expect(await inspected(shared)).toEqual([{ tenant: 'beta', records: 3 }]);

    expect((await run(['drop', '--tenant', 'acme', '--config', dedicated])).code).toBe(2);
    expect(JSON.parse((await run(['drop', '--tenant', 'acme', '--config', dedicated, '--yes', '--json'])).stdout)).toEqual({ tenantId: 'acme', remaining: 0, verified: 'tenant' });
    expect(await inspected(dedicated)).toEqual([]);
  });

  it('resumes an interrupted export from its saved cursor', async () => {
    const { folder, shared, jsonl } = await configs();
    await writeFile(join(folder, 'in.jsonl'), `${jsonl('r', 10)}\n`);
    await run(['import', '--tenant', 'acme', '--config', shared, '--in', join(folder, 'in.jsonl')]);
    const out = join(folder, 'out.jsonl');
    await run(['export', '--tenant', 'acme', '--config', shared, '--out', out, '--page-size', '4']);
    const whole = (await readFile(out, 'utf8')).trim().split('\n');
    // Cut the export after its first page, as a crash would, keeping the cursor it saved then.
    const firstPage = whole.slice(0, 4);
    const store = await createTenantVectorStore(JSON.parse(await readFile(shared, 'utf8')));
    const pages = store.forTenant('acme').exportPages({ pageSize: 4 })[Symbol.asyncIterator]();
    const firstPageCursor = ((await pages.next()).value as { next: string }).next;
    await pages.return?.();
    await store.close();
    await writeFile(out, `${firstPage.join('\n')}\n`);
    await writeFile(`${out}.cursor`, JSON.stringify({ after: firstPageCursor, exported: 4 }));
    const resumed = await run(['export', '--tenant', 'acme', '--config', shared, '--out', out, '--resume', '--page-size', '4', '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ exported: 10 });
    expect((await readFile(out, 'utf8')).trim().split('\n').sort()).toEqual([...whole].sort());
    expect((await run(['export', '--tenant', 'acme', '--config', shared, '--out', out, '--resume'])).code).toBe(2);
  });

  it('refuses --move without --verify, and --tenant with --all', async () => {
    const { shared, dedicated } = await configs();
    expect((await run(['migrate', '--all', '--from', shared, '--to', dedicated, '--move'])).stderr).toMatch(/--move deletes the source: it needs --verify/);
    expect((await run(['migrate', '--all', '--tenant', 'a', '--from', shared, '--to', dedicated])).code).toBe(2);
  });
});
