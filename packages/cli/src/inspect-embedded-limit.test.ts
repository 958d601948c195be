import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantVectorStore } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { pglite } from '@tenantvec/pgvector';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

/** An embedded store of `tenants` × `each` two-dimensional records, below the index threshold so it loads fast. */
async function embeddedStore(tenants: number, each: number) {
  const folder = await mkdtemp(join(tmpdir(), 'tenantvec-embedded-limit-'));
  const dataDir = join(folder, 'database');
  const store = await createTenantVectorStore({ backend: pglite({ dataDir }), strategy: metadataFilter(), dimension: 2, name: 'sized', maxBatchSize: 1000 });
  for (let tenant = 0; tenant < tenants; tenant += 1) {
    for (let start = 0; start < each; start += 1000) {
      const count = Math.min(1000, each - start);
      await store.forTenant(`t${tenant}`).upsert(Array.from({ length: count }, (_, index) => ({ id: `r${start + index}`, vector: [1, start + index] })));
    }
  }
  await store.close();
  const config = join(folder, 'store.json');
  await writeFile(config, JSON.stringify({ backend: { type: 'pglite', dataDir }, strategy: { type: 'metadata-filter' }, dimension: 2, name: 'sized' }));
  return config;
}

describe('inspect on embedded Postgres', () => {
  it('warns, with the measured figure, when the store holds more records than embedded Postgres suits', async () => {
    const config = await embeddedStore(11, 1_900);
    const text = await run(['inspect', '--config', config]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^warning: Embedded Postgres \(PGlite\) with 20,900 records is past its measured limit of 20,000: .*Postgres server/m);
    const json = JSON.parse((await run(['inspect', '--config', config, '--json'])).stdout);
    expect(json.warnings).toHaveLength(1);
  }, 120_000);

  it('says nothing below the limit', async () => {
    const config = await embeddedStore(2, 500);
    const json = JSON.parse((await run(['inspect', '--config', config, '--json'])).stdout);
    expect(json.warnings).toEqual([]);
  }, 60_000);
});
