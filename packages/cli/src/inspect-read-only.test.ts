import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQdrantEmulator, type QdrantEmulator } from '@tenantvec/emulators/qdrant';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

let emulator: QdrantEmulator;
beforeAll(async () => {
  emulator = await startQdrantEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment: {}, interactive: false };
  return { code: await runCli(argv, io), stdout, stderr };
}

async function collections(): Promise<string[]> {
  const answer = (await (await fetch(`${emulator.url}/collections`)).json()) as { result: { collections: { name: string }[] } };
  return answer.result.collections.map((collection) => collection.name);
}

describe('inspect is read-only on a backend without a read-only mode of its own', () => {
  it.each(['metadata-filter', 'source-prefix', 'namespace-per-tenant'])('creates no collection on an empty Qdrant under %s', async (strategy) => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-inspect-'));
    const file = join(folder, 'qdrant.json');
    await writeFile(file, JSON.stringify({ backend: { type: 'qdrant', url: emulator.url }, strategy: { type: strategy }, dimension: 4, name: 'inspected' }));
    const { code, stdout } = await run(['inspect', '--config', file]);
    expect(code).toBe(0);
    expect(stdout).toContain('tenants: 0');
    expect(await collections()).toEqual([]);
  });

  it('still reads what is there', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-inspect-'));
    const file = join(folder, 'qdrant.json');
    await writeFile(file, JSON.stringify({ backend: { type: 'qdrant', url: emulator.url }, strategy: { type: 'metadata-filter' }, dimension: 4, name: 'filled' }));
    const lines = `${JSON.stringify({ id: 'a', vector: [1, 0, 0, 0], metadata: {} })}\n`;
    const input = join(folder, 'acme.jsonl');
    await writeFile(input, lines);
    expect((await run(['import', '--tenant', 'acme', '--config', file, '--in', input])).code).toBe(0);
    const { code, stdout } = await run(['inspect', '--config', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/acme\s+1 record/);
  });
});
