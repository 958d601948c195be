import { describe, expect, it } from 'vitest';
import type { BenchBackend } from './bench-backends.js';
import { defaultBenchSettings, type BenchSettings } from './bench-settings.js';
import { arrayLiteral, countStatement, searchStatement, type TenantLayout } from './hand-written-sql.js';
import { benchBackend } from './bench-backends.js';
import { runBench } from './run-bench.js';

const pgliteBenchBackend = benchBackend('pglite');
const vector = Float32Array.from([0.5, -0.25]);
const shared: TenantLayout = { table: 'bench_metadata_shared', keyColumn: 'tenant', key: "o'brien", tenantField: "o'brien", plan: 'exact', records: 10 };

describe('hand-written statements', () => {
  it('orders the exact plan by (distance, id) and binds the tenant', () => {
    const { sql, parameters } = searchStatement('tv', shared, vector, 5);
    expect(sql).toMatch(/FROM "tv"\."bench_metadata_shared" WHERE tenant = \$2 ORDER BY embedding <=> \$1::vector, id LIMIT \$3$/);
    expect(parameters).toEqual(['[0.5,-0.25]', "o'brien", 5]);
  });

  it('repeats the partial index literal in the index plan and orders by distance alone', () => {
    const { sql } = searchStatement('tv', { ...shared, plan: 'index' }, vector, 5);
    expect(sql).toMatch(/WHERE tenant = \$2 AND tenant = 'o''brien' ORDER BY embedding <=> \$1::vector LIMIT \$3$/);
  });

  it('confines a source-prefix tenant to its folder, and a table of its own to nothing more', () => {
    const paths: TenantLayout = { table: 'bench_source_paths', keyColumn: 'source_root', key: 'acme', sourcePrefix: 'acme', plan: 'exact', records: 3 };
    expect(countStatement('tv', paths)).toEqual({
      sql: 'SELECT count(*) AS count FROM "tv"."bench_source_paths" WHERE source_root = $1 AND (source = $2 OR (source >= $3 AND source < $4))',
      parameters: ['acme', 'acme', 'acme/', 'acme0'],
    });
    expect(countStatement('tv', { table: 'own', key: '', plan: 'exact', records: 1 }).sql).toBe('SELECT count(*) AS count FROM "tv"."own"');
  });

  it('quotes every array element, so commas inside a vector do not split it', () => {
    expect(arrayLiteral(['[1,2]', 'a"b', 'c\\d', null])).toBe('{"[1,2]","a\\"b","c\\\\d",NULL}');
  });
});

describe('the baseline on PGlite', () => {
  const settings: BenchSettings = {
    ...defaultBenchSettings,
    backend: 'pglite',
    strategies: ['metadata-filter'],
    tenants: 4,
    records: 3_000,
    dimension: 8,
    queries: 12,
    onboardingSamples: 1,
    offboardingSamples: 1,
    leakProbes: 2,
    overheadSamples: 4,
    warmupQueries: 1,
    // The largest tenant crosses it: one bucket runs the index plan.
    backendSettings: { partialIndexAbove: 1000, exactScanBelow: 1000 },
  };

  it('runs the same plan as tenantvec (ids verified) and reports ratios and planning time', async () => {
    const results = await runBench(settings);
    expect(results.problems).toEqual([]);
    const [result] = results.strategies;
    expect(result!.baseline!.verifiedQueries).toBeGreaterThan(0);
    expect(result!.baseline!.queries.some((bucket) => bucket.indexPlanQueries > 0)).toBe(true);
    expect(result!.planning!.buckets.map((bucket) => bucket.partialIndexes)).toContain(1);
    expect(result!.ingest!.indexesBuiltAfterLoad).toBe(1);
    expect(result!.ingest!.indexBuildBatches).toBeUndefined();
  });

  it('measures the hand-written load into the table layout of every other strategy', async () => {
    // A source-prefix table keys on source_root, which the load must write (it is NOT NULL).
    const results = await runBench({ ...settings, strategies: ['collection-per-tenant', 'namespace-per-tenant', 'source-prefix'] });
    expect(results.problems).toEqual([]);
    for (const result of results.strategies) expect(result.baseline!.upsert!.baselineRecordsPerSecond).toBeGreaterThan(0);
  });

  it('fails the strategy when the hand-written query does not return what tenantvec returns', async () => {
    // The same backend, but the baseline's session orders by the farthest records first.
    const skewed: BenchBackend = {
      ...pgliteBenchBackend,
      async open(params) {
        const opened = await pgliteBenchBackend.open(params);
        const access = opened.handWritten!;
        return {
          ...opened,
          handWritten: {
            ...access,
            openSession: async () => {
              const session = await access.openSession();
              return { ...session, query: (sql: string, parameters?: unknown[]) => session.query(sql.replace('ORDER BY embedding <=> $1::vector', 'ORDER BY embedding <=> $1::vector DESC'), parameters) };
            },
          },
        };
      },
    };
    const results = await runBench(settings, { backends: [skewed] });
    expect(results.passed).toBe(false);
    expect(results.problems.join('\n')).toMatch(/metadata-filter: the run failed: The hand-written baseline \((exact|index) plan\) returned other records than tenantvec/);
  });
});
