import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTenantVectorStore, loadBackendDescriptor, recommendStrategy, type TenantVectorStore } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

/** One line naming the problem and its code: no stack trace, no usage text. */
function expectOneLine(result: { stderr: string }, code: string) {
  expect(result.stderr).toMatch(new RegExp(`^tenantvec[^\\n]*\\(${code}\\)\\n$`));
  expect(result.stderr).not.toMatch(/Usage:|\n\s+at /);
}

async function folderWith(files: Record<string, string>) {
  const folder = await mkdtemp(join(tmpdir(), 'tenantvec-mistakes-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  return folder;
}

const memoryConfig = JSON.stringify({ backend: { type: 'memory' }, strategy: { type: 'metadata-filter' }, dimension: 4 });

describe('user mistakes: one line, a stable code, exit 2', () => {
  it('names a negative number as a number problem', async () => {
    const result = await run(['recommend', '--backend', 'qdrant', '--tenants', '-5']);
    expect(result.code).toBe(2);
    expectOneLine(result, 'USAGE');
    expect(result.stderr).toMatch(/--tenants takes a whole number of at least 1, got "-5"/);
  });

  it('refuses an output file in a folder that does not exist, before connecting', async () => {
    const folder = await folderWith({ 'store.json': memoryConfig });
    const result = await run(['export', '--tenant', 'acme', '--config', join(folder, 'store.json'), '--out', join(folder, 'missing', 'acme.jsonl')]);
    expect(result.code).toBe(2);
    expectOneLine(result, 'OUTPUT_FOLDER_NOT_FOUND');
  });

  it('refuses an input file that does not exist', async () => {
    const folder = await folderWith({ 'store.json': memoryConfig });
    const imported = await run(['import', '--tenant', 'acme', '--config', join(folder, 'store.json'), '--in', join(folder, 'nope.jsonl')]);
    expect(imported.code).toBe(2);
    expectOneLine(imported, 'INPUT_NOT_FOUND');
    const compared = await run(['bench', '--compare', join(folder, 'a.json'), join(folder, 'b.json')]);
    expect(compared.code).toBe(2);
    expectOneLine(compared, 'INPUT_NOT_FOUND');
  });

  it('refuses an empty or non-object config', async () => {
    const folder = await folderWith({ 'empty.yaml': '', 'empty.json': '{}', 'list.json': '[1, 2]', 'text.yaml': 'just words\n', 'blank.json': '' });
    for (const file of ['empty.yaml', 'empty.json', 'list.json', 'text.yaml', 'blank.json']) {
      const result = await run(['drop', '--tenant', 'acme', '--config', join(folder, file), '--yes']);
      expect({ file, code: result.code }).toEqual({ file, code: 2 });
      expectOneLine(result, 'CONFIGURATION');
      expect(result.stderr).not.toMatch(/VectorBackend version/);
    }
  });

  it('answers an unknown command in one line; usage only with --help; --version', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expectOneLine(unknown, 'USAGE');
    expect((await run(['--help'])).stdout).toMatch(/^Usage: tenantvec <command>/);
    const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('commands that refuse to do harm or to claim work they did not do', () => {
  it('export refuses to overwrite an existing file without --force', async () => {
    const folder = await folderWith({ 'store.json': memoryConfig, 'acme.jsonl': 'keep me\n' });
    const out = join(folder, 'acme.jsonl');
    const refused = await run(['export', '--tenant', 'acme', '--config', join(folder, 'store.json'), '--out', out]);
    expect(refused.code).toBe(2);
    expectOneLine(refused, 'OUTPUT_EXISTS');
    expect(await readFile(out, 'utf8')).toBe('keep me\n');
    expect((await run(['export', '--tenant', 'acme', '--config', join(folder, 'store.json'), '--out', out, '--force'])).code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('');
  });

  it('drop of a tenant that holds nothing says so and exits 1', async () => {
    const folder = await folderWith({ 'store.json': memoryConfig });
    const result = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'store.json'), '--yes', '--verify', 'all']);
    expect(result.code).toBe(1);
    expectOneLine(result, 'NOTHING_TO_DROP');
    expect(result.stderr).toMatch(/acme holds no records/);
    // Only where the store is: the first line of every command that touches one.
    expect(result.stdout).toBe(`${join(folder, 'store.json')}: memory in memory\n`);
  });

  it('drop of a tenant whose records were all deleted still removes its empty storage, and says it held nothing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-empty-'));
    const settings = { backend: { type: 'pglite', dataDir: join(folder, 'database') }, strategy: { type: 'collection-per-tenant' }, dimension: 4 } as const;
    await writeFile(join(folder, 'store.json'), JSON.stringify(settings));
    const collectionsOf = async (use: (store: TenantVectorStore) => Promise<void> = async () => {}) => {
      const store = await createTenantVectorStore(settings);
      try {
        await use(store);
        return (await store.listTenants({ limit: 10 })).tenants;
      } finally {
        await store.close();
      }
    };
    expect(await collectionsOf(async (store) => {
      await store.forTenant('acme').upsert([{ id: 'a', vector: [1, 0, 0, 1] }]);
      await store.forTenant('acme').delete({ ids: ['a'] });
    })).toEqual(['acme']);
    const result = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'store.json'), '--yes']);
    expect(result.code).toBe(1);
    expectOneLine(result, 'NOTHING_TO_DROP');
    expect(await collectionsOf()).toEqual([]);
  });

  it('warns when the strategy was switched over data of another strategy', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-switch-'));
    const config = (strategy: string) => JSON.stringify({ backend: { type: 'pglite', dataDir: join(folder, 'database') }, strategy: { type: strategy }, dimension: 4 });
    await writeFile(join(folder, 'before.json'), config('collection-per-tenant'));
    await writeFile(join(folder, 'after.json'), config('metadata-filter'));
    await writeFile(join(folder, 'acme.jsonl'), `${JSON.stringify({ id: 'a', vector: [1, 0, 0, 1] })}\n`);
    const imported = await run(['import', '--tenant', 'acme', '--config', join(folder, 'before.json'), '--in', join(folder, 'acme.jsonl')]);
    expect(imported).toMatchObject({ code: 0, stderr: expect.stringMatching(/^importing acme: 1 record\nimported 1 record into acme\n$/) });
    const dropped = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'after.json'), '--yes']);
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toMatch(/^tenantvec: warning: this config's strategy \(metadata-filter\) finds no tenant, but the backend holds collections of another strategy: collection-per-tenant \(tenantvec_t_acme_/);
    expect(dropped.stderr).toMatch(/\(NOTHING_TO_DROP\)\n$/);
    // The config that made the data sees its tenant and gives no warning.
    const again = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'before.json'), '--yes']);
    expect(again).toMatchObject({ code: 0, stderr: '', stdout: `${join(folder, 'before.json')}: pglite in ${join(folder, 'database')}\ndropped acme: 0 records remain\n` });
  });

  it('warns of a strategy switch also for a store name holding _t, which collection-per-tenant escapes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-switch-escaped-'));
    const config = (strategy: string) => JSON.stringify({ name: 'app_tenants', backend: { type: 'pglite', dataDir: join(folder, 'database') }, strategy: { type: strategy }, dimension: 4 });
    await writeFile(join(folder, 'before.json'), config('collection-per-tenant'));
    await writeFile(join(folder, 'after.json'), config('metadata-filter'));
    await writeFile(join(folder, 'acme.jsonl'), `${JSON.stringify({ id: 'a', vector: [1, 0, 0, 1] })}\n`);
    expect((await run(['import', '--tenant', 'acme', '--config', join(folder, 'before.json'), '--in', join(folder, 'acme.jsonl')])).code).toBe(0);
    const dropped = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'after.json'), '--yes']);
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toMatch(/^tenantvec: warning: this config's strategy \(metadata-filter\) finds no tenant, but the backend holds collections of another strategy: collection-per-tenant \(app_ttenants_t_acme_/);
    // The config that made the data sees its tenant and gives no warning.
    const again = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'before.json'), '--yes']);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    // The other way round: the shared collection of metadata-filter, named by that strategy.
    expect((await run(['import', '--tenant', 'acme', '--config', join(folder, 'after.json'), '--in', join(folder, 'acme.jsonl')])).code).toBe(0);
    const reversed = await run(['drop', '--tenant', 'acme', '--config', join(folder, 'before.json'), '--yes']);
    expect(reversed.stderr).toMatch(/^tenantvec: warning: this config's strategy \(collection-per-tenant\) finds no tenant, but the backend holds collections of another strategy: metadata-filter \(app_tenants_shared\)\./);
  });
});

describe('what the CLI prints', () => {
  it('says "1 tenant", not "1 tenants"', async () => {
    expect((await run(['recommend', '--backend', 'qdrant', '--tenants', '1'])).stdout).toMatch(/^Recommended: \S+ {2}\(qdrant, 1 tenant\)\n/);
  });

  it('recommend cites sources a user can open: vendor URLs, never internal file names', async () => {
    for (const type of ['memory', 'pgvector', 'pglite', 'qdrant', 'pinecone', 'weaviate']) {
      const backend = type === 'memory' ? 'memory' : await loadBackendDescriptor({ type });
      for (const count of [10, 500, 5_000, 100_000]) {
        for (const threshold of recommendStrategy({ backend, tenants: { count, largest: 2_000_000 } }).thresholds) {
          expect(threshold.source).not.toMatch(/\.md\b|issue #|BACKENDS|POSTGRES/);
          if (type !== 'memory' && !threshold.source.startsWith('tenantvec default') && !threshold.source.startsWith('a shared collection')) {
            expect(threshold.source).toMatch(/https:\/\/\S+/);
          }
        }
      }
    }
  });
});

describe('the committed bin launcher', () => {
  const launcher = fileURLToPath(new URL('../bin/tenantvec.js', import.meta.url));

  it('runs the built CLI without a stack trace for a user mistake', async () => {
    const failed = await promisify(execFile)(process.execPath, [launcher, 'import', '--tenant', 'a', '--config', 'x.json', '--in', '/no/such/file.jsonl']).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 2 });
    expectOneLine(failed as { stderr: string }, 'INPUT_NOT_FOUND');
  });

  it('says to build when dist is missing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-unbuilt-'));
    await mkdir(join(folder, 'bin'));
    await cp(launcher, join(folder, 'bin', 'tenantvec.js'));
    await writeFile(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
    const failed = await promisify(execFile)(process.execPath, [join(folder, 'bin', 'tenantvec.js'), '--version']).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringMatching(/run npm run build/) });
  });
});

describe('--verbose', () => {
  // Port 1 on loopback: nothing listens there, so the driver's own refusal is the cause.
  const unreachable = JSON.stringify({ backend: { type: 'pgvector', connectionString: 'postgres://app:pw-secret@127.0.0.1:1/app' }, strategy: { type: 'metadata-filter' }, dimension: 4 });

  it('adds the causes under the one line, and without it the failure stays one line', async () => {
    const folder = await folderWith({ 'store.json': unreachable });
    const plain = await run(['inspect', '--config', join(folder, 'store.json')]);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/127\.0\.0\.1:1.*\(BACKEND\)\n$/);
    const verbose = await run(['inspect', '--verbose', '--config', join(folder, 'store.json')]);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split('\n')[0]).toBe(plain.stderr.split('\n')[0]);
    expect(verbose.stderr).toMatch(/\n {2}caused by .*ECONNREFUSED/);
    for (const output of [plain.stderr, verbose.stderr, plain.stdout, verbose.stdout]) expect(output).not.toContain('pw-secret');
  });

  it('puts the causes into the JSON error with --json', async () => {
    const folder = await folderWith({ 'store.json': unreachable });
    const { code, stderr } = await run(['inspect', '--json', '--verbose', '--config', join(folder, 'store.json')]);
    expect(code).toBe(1);
    const { error } = JSON.parse(stderr) as { error: { code: string; causes: string[] } };
    expect(error.code).toBe('BACKEND');
    expect(error.causes.join('\n')).toMatch(/ECONNREFUSED/);
  });
});
