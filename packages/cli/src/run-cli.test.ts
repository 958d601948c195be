import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from './command-io.js';
import { runCli } from './run-cli.js';

async function run(argv: string[], environment: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), environment, interactive: false };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('tenantvec recommend', () => {
  it('explains its choice with reasons, warnings and sourced thresholds', async () => {
    const { code, stdout } = await run(['recommend', '--backend', 'qdrant', '--tenants', '700', '--compliance', 'strict']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Recommended: namespace-per-tenant {2}\(qdrant, 700 tenants\)/);
    expect(stdout).toMatch(/Warnings\n {2}! collection-per-tenant stops scaling at 500 tenants on qdrant/);
    expect(stdout).toMatch(/collection-per-tenant ceiling on qdrant +500 +.*https:\/\/qdrant\.tech\/documentation\//);
  });

  it('prints JSON with --json, infinite ceilings as "unbounded"', async () => {
    const { code, stdout } = await run(['recommend', '--backend', 'pgvector', '--tenants', '5_000', '--dedicated', 'bank-a,clinic-b', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.strategy).toBe('metadata-filter');
    expect(parsed.dedicated.map((placement: { tenant: string }) => placement.tenant)).toEqual(['bank-a', 'clinic-b']);
    expect(parsed.thresholds.find((threshold: { name: string }) => threshold.name.startsWith('metadata-filter ceiling')).value).toBe('unbounded');
  });

  it('answers a bad command line with exit code 2 and the problem in one line, usage only with --help', async () => {
    for (const argv of [['recommend', '--tenants', '10'], ['recommend', '--backend', 'qdrant', '--tenants', 'many'], ['recommend', '--backend', 'qdrant', '--tenants', '5', '--bogus'], ['frobnicate']]) {
      const { code, stderr } = await run(argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(stderr).toMatch(/^tenantvec( recommend)?: .+ \(USAGE\)\n$/);
      expect(stderr).not.toMatch(/Usage: tenantvec/);
    }
    expect((await run([])).code).toBe(2);
    expect((await run(['recommend', '--help'])).stdout).toMatch(/--hierarchical/);
  });
});

describe('tenantvec inspect', () => {
  it('reports strategy, health and tenants of a configured store, resolving ${ENV}', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-cli-'));
    const file = join(folder, 'store.yaml');
    await writeFile(file, 'backend: { type: memory }\nstrategy: { type: "${STRATEGY}" }\ndimension: 4\n');
    const text = await run(['inspect', '--config', file], { STRATEGY: 'namespace-per-tenant' });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/namespace-per-tenant on memory, 4 dimensions, cosine\nhealth: ok/);
    const json = await run(['inspect', '--config', file, '--json'], { STRATEGY: 'metadata-filter' });
    expect(JSON.parse(json.stdout)).toMatchObject({ strategy: 'metadata-filter', backend: 'memory', tenants: [], health: { ok: true } });
  });

  it('fails with exit code 2 and the error code for a bad config, as JSON with --json', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-cli-'));
    const file = join(folder, 'store.json');
    await writeFile(file, JSON.stringify({ backend: { type: 'memory' }, strategy: { type: 'metadata-filter' }, dimension: -1 }));
    const { code, stderr } = await run(['inspect', '--config', file, '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stderr).error).toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/config\.dimension/) });
  });
});

describe('the installed bin', () => {
  it('runs as a program and exits with the command status', async () => {
    const bin = fileURLToPath(new URL('../bin/tenantvec.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'recommend', '--backend', 'weaviate', '--tenants', '40000', '--json']);
    expect(JSON.parse(stdout).strategy).toBe('namespace-per-tenant');
    await expect(promisify(execFile)(process.execPath, [bin, 'nope'])).rejects.toMatchObject({ code: 2 });
  });
});
