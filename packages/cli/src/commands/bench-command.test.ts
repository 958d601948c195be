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
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const tiny = ['--backend', 'memory', '--tenants', '5', '--vectors', '2500', '--dim', '8', '--queries', '12', '--seed', '3'];

describe('tenantvec bench', () => {
  it('runs every strategy on the memory backend and writes JSON, Markdown and an SVG chart', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tenantvec-bench-'));
    const { code, stdout, stderr } = await run(['bench', ...tiny, '--out', out]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^# tenantvec bench: memory, 2,500 × 8, 5 tenants \(zipf:1\)/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results).toMatchObject({ tool: 'tenantvec bench', passed: true, settings: { backend: 'memory', tenants: 5, records: 2500, dimension: 8, queries: 12, seed: 3 } });
    expect(results.strategies.map((result: { strategy: string; status: string }) => `${result.strategy} ${result.status}`)).toEqual([
      'collection-per-tenant ok', 'namespace-per-tenant ok', 'metadata-filter ok', 'source-prefix ok',
    ]);
    expect(results.command).toBe(`tenantvec bench ${[...tiny, '--out', out].join(' ')}`);
    expect(await readFile(join(out, 'results.md'), 'utf8')).toMatch(/\| metadata-filter \| < 1k \|/);
    const svg = await readFile(join(out, 'recall-latency.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    // Not a terminal: progress is one plain line per phase, on stderr.
    expect(stderr).toMatch(/^\[ *\d+\.\ds\] metadata-filter: ingest \(2,500\)$/m);
  });

  it('runs on embedded Postgres (PGlite) by default, with no server, and reports its storage', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tenantvec-bench-'));
    const { code, stderr } = await run(['bench', '--tenants', '3', '--vectors', '300', '--dim', '4', '--queries', '6', '--strategies', 'metadata-filter,namespace-per-tenant', '--out', out]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.settings.backend).toBe('pglite');
    expect(results.machine.backendVersion).toMatch(/^PostgreSQL .*, pgvector /);
    for (const result of results.strategies) {
      expect(result.status).toBe('ok');
      expect(result.storageBytes).toBeGreaterThan(0);
      expect(result.queries.all.recall).toBe(1);
      // The hand-written baseline ran the same plan (ids verified) and every bucket has a ratio.
      expect(result.baseline.verifiedQueries).toBeGreaterThan(0);
      expect(result.baseline.queries.map((bucket: { label: string }) => bucket.label)).toEqual(result.queries.buckets.map((bucket: { label: string }) => bucket.label));
      expect(result.baseline.upsert.baselineRecordsPerSecond).toBeGreaterThan(0);
      expect(result.planning.buckets[0].samples).toBeGreaterThan(0);
      expect(result.queries.all.worstQuery.tenant).toMatch(/^tenant-/);
    }
  });

  it('starts from a --scale preset that any flag overrides, and refuses an unknown scale', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tenantvec-bench-'));
    const { code, stdout, stderr } = await run(['bench', '--scale', 'saas', '--backend', 'memory', '--tenants', '200', '--vectors', '20000', '--dim', '8', '--queries', '12', '--strategies', 'metadata-filter', '--out', out]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.settings).toMatchObject({ scale: 'saas', tenants: 200, records: 20_000, dimension: 8, queries: 12, distribution: 'tiers:0.05%:15%,0.45%:18%,11%:57%' });
    // The index threshold is a Postgres setting: another backend is not handed it.
    expect(results.settings.backendSettings).toBeUndefined();
    expect(stdout).toMatch(/No hand-written baseline on memory/);
    expect(stdout).toMatch(/\| metadata-filter \| < 1k \|.*\| tenant-\d+ \(/);
    expect(stderr).toMatch(/metadata-filter ingest [\d,]+\/20,000, [\d,]+ rows\/s, ETA \d+s, RSS \d+ MB/);
    const unknown = await run(['bench', '--scale', 'huge']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--scale takes one of saas, got "huge"/);
  });

  it('prints the results as JSON with --json, takes settings from a config file, and compares two runs', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-bench-'));
    const config = join(folder, 'bench.yaml');
    await writeFile(config, 'backend: { type: memory }\nstrategies: [metadata-filter, namespace-per-tenant]\ntenants: 4\nvectors: 400\ndimension: 6\nqueries: 8\n');
    const first = await run(['bench', '--config', config, '--out', join(folder, 'a'), '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).settings).toMatchObject({ strategies: ['metadata-filter', 'namespace-per-tenant'], tenants: 4, records: 400, dimension: 6 });
    await run(['bench', '--config', config, '--tenants', '5', '--out', join(folder, 'b')]);
    const compared = await run(['bench', '--compare', join(folder, 'a', 'results.json'), join(folder, 'b', 'results.json')]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/different workloads/);
    expect(compared.stdout).toMatch(/\| metadata-filter \| < 1k \|/);
  });

  it('runs --mode hybrid: vector, keyword and hybrid recall per bucket, with the gain, in Markdown and the chart', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tenantvec-bench-'));
    const { code, stdout, stderr } = await run(['bench', '--mode', 'hybrid', '--backend', 'memory', '--tenants', '4', '--vectors', '1500', '--dim', '8', '--queries', '8', '--strategies', 'namespace-per-tenant', '--out', out]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^# tenantvec bench --mode hybrid: memory, 1,500 documents × 8, 4 tenants/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.settings.mode).toBe('hybrid');
    expect(Object.keys(results.strategies[0].searchModes.all.modes)).toEqual(['vector', 'keyword', 'hybrid']);
    expect(await readFile(join(out, 'recall-latency.svg'), 'utf8')).toMatch(/query mode/);
    expect(stderr).toMatch(/namespace-per-tenant: hybrid-queries/);
  });

  it('answers a bad command line with exit code 2 and one line, usage only with --help', async () => {
    for (const argv of [['bench', '--distribution', 'zipf:x'], ['bench', '--backend', 'mongodb'], ['bench', '--strategies', 'per-row'], ['bench', '--tenants', '0'], ['bench', '--compare', 'a.json'], ['bench', '--mode', 'keyword'], ['bench', '--mode', 'hybrid', '--input', 'vectors.jsonl']]) {
      const { code, stderr } = await run(argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(stderr).toMatch(/^tenantvec bench: [^\n]+ \(USAGE\)\n$/);
    }
    expect((await run(['bench', '--help'])).stdout).toMatch(/--distribution DIST/);
  });

  it('refuses results files it cannot read as a wrong input, exit code 2', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-bench-'));
    await writeFile(join(folder, 'other.json'), '{"tool": "something else"}');
    const { code, stderr } = await run(['bench', '--compare', join(folder, 'other.json'), join(folder, 'other.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is not a results.json of tenantvec bench/);
  });
});
