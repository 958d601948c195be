import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../command-io.js';
import { runCli } from '../run-cli.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('migrate checkpoints belong to one source and target', () => {
  it('refuses a checkpoint left by another migration instead of reporting work it did not do', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-migrate-checkpoint-'));
    const config = async (name: string, strategy: string) => {
      const file = join(folder, `${name}.json`);
      await writeFile(file, JSON.stringify({ backend: { type: 'pglite', dataDir: join(folder, `database-${name}`) }, strategy: { type: strategy }, dimension: 4, name }));
      return file;
    };
    const lines = (prefix: string, count: number) => `${Array.from({ length: count }, (_, index) => JSON.stringify({ id: `${prefix}${index}`, vector: [1, index, 0, 1] })).join('\n')}\n`;
    const firstSource = await config('first', 'metadata-filter');
    const firstTarget = await config('firsttarget', 'collection-per-tenant');
    const secondSource = await config('second', 'metadata-filter');
    const secondTarget = await config('secondtarget', 'collection-per-tenant');
    for (const [source, tenant] of [[firstSource, 'acme'], [firstSource, 'beta'], [secondSource, 'acme'], [secondSource, 'beta']] as const) {
      await writeFile(join(folder, 'in.jsonl'), lines(tenant, 3));
      expect((await run(['import', '--tenant', tenant, '--config', source, '--in', join(folder, 'in.jsonl')])).code).toBe(0);
    }
    // The default checkpoint file is one per folder: a second migration run there finds the first's.
    const checkpoint = join(folder, 'tenantvec-migrate.checkpoint.json');
    const first = await run(['migrate', '--all', '--from', firstSource, '--to', firstTarget, '--verify', '--move', '--checkpoint', checkpoint]);
    expect([first.code, first.stderr]).toEqual([0, expect.stringContaining('migrated 2 tenants, 6 records, verified, moved')]);

    const second = await run(['migrate', '--all', '--from', secondSource, '--to', secondTarget, '--verify', '--move', '--checkpoint', checkpoint]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^tenantvec migrate: Checkpoint .* holds the progress of another migration .*\(CONFIGURATION\)\n$/);
    // Only where the two stores are: nothing was migrated.
    expect(second.stdout).toBe(`from ${secondSource}: pglite in ${join(folder, 'database-second')} to ${secondTarget}: pglite in ${join(folder, 'database-secondtarget')}\n`);
    const tenantsOf = async (file: string) => JSON.parse((await run(['inspect', '--config', file, '--json'])).stdout).tenants;
    expect(await tenantsOf(secondSource)).toEqual([{ tenant: 'acme', records: 3 }, { tenant: 'beta', records: 3 }]);
    // Nothing at all was written to the target: a read-only inspect finds not even the schema.
    const target = await run(['inspect', '--config', secondTarget, '--json']);
    expect([target.code, target.stderr]).toEqual([1, expect.stringContaining('No tenantvec schema')]);

    // The checkpoint still serves its own migration: a rerun finds both tenants done.
    const rerun = await run(['migrate', '--tenant', 'acme', '--tenant', 'beta', '--from', firstSource, '--to', firstTarget, '--verify', '--checkpoint', checkpoint, '--json']);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).tenants.map((tenant: { resumed: boolean }) => tenant.resumed)).toEqual([true, true]);
    expect(JSON.parse(await readFile(checkpoint, 'utf8')).fingerprint).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
});
