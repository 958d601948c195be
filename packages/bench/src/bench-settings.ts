import type { StrategyType } from '@tenantvec/core';
import { importAdapter } from './import-adapter.js';
import { benchModes, type BenchMode } from './search-mode-results.js';
import { parseDistribution, tenantSizes, type SizeDistribution } from './tenant-sizes.js';

export const strategyTypes: readonly StrategyType[] = ['collection-per-tenant', 'namespace-per-tenant', 'metadata-filter', 'source-prefix'];

export interface BenchSettings {
  /** A name from `benchBackends`. */
  backend: string;
  /** Passed to the backend's factory: a connection string, a URL, an API key... */
  backendSettings: Record<string, unknown>;
  /** `vector`: the full run on vectors. `hybrid`: vector, keyword and hybrid queries on a labelled text workload. */
  mode: BenchMode;
  strategies: StrategyType[];
  tenants: number;
  /** Records in all; ignored when `input` is given. */
  records: number;
  dimension: number;
  distribution: SizeDistribution;
  /** Queries per strategy, shared equally by the tenant-size buckets present. */
  queries: number;
  topK: number;
  seed: number;
  /** The `--scale` preset the settings started from, for the report. */
  scale?: string;
  /** A JSONL file of `{ tenant, vector }` lines to use instead of synthetic data. */
  input?: string;
  /** Records per upsert call. */
  batchSize: number;
  /** Brand-new tenants whose first write is timed. */
  onboardingSamples: number;
  /** Tenants dropped at the end, from the largest to the smallest. */
  offboardingSamples: number;
  /** Queries of one tenant with another tenant's vectors, looking for leaks on purpose. */
  leakProbes: number;
  /** Queries issued both through tenantvec and directly through the backend. */
  overheadSamples: number;
  /** Untimed queries first, so connection set-up and plan caches do not count. */
  warmupQueries: number;
}

/**
 * Defaults sized so that a run on the embedded backend ends in about a minute on a 2-core
 * machine; `docs/benchmarks.md` shows larger runs.
 */
export const defaultBenchSettings: Omit<BenchSettings, 'backend'> = {
  backendSettings: {},
  mode: 'vector',
  strategies: [...strategyTypes],
  tenants: 100,
  records: 20_000,
  dimension: 128,
  distribution: { kind: 'zipf', exponent: 1 },
  queries: 300,
  topK: 10,
  seed: 1,
  batchSize: 500,
  onboardingSamples: 10,
  offboardingSamples: 10,
  leakProbes: 50,
  overheadSamples: 100,
  warmupQueries: 10,
};

/** Why these settings cannot run, one line per problem; empty when they can. */
export function settingsProblems(settings: BenchSettings): string[] {
  const problems: string[] = [];
  const whole = (name: keyof BenchSettings, minimum: number, maximum = Number.MAX_SAFE_INTEGER) => {
    const value = settings[name] as number;
    if (!Number.isInteger(value) || value < minimum || value > maximum) problems.push(`${name} must be a whole number from ${minimum} to ${maximum}, got ${String(value)}.`);
  };
  whole('tenants', 1, 1_000_000);
  whole('dimension', 1, 16_000);
  whole('queries', 1);
  whole('topK', 1, 1000);
  whole('seed', 0, 2 ** 32 - 1);
  whole('batchSize', 1, 10_000);
  for (const name of ['onboardingSamples', 'offboardingSamples', 'leakProbes', 'overheadSamples', 'warmupQueries'] as const) whole(name, 0);
  if (settings.input === undefined) {
    whole('records', 1);
    if (settings.records < settings.tenants) problems.push('records must be at least one per tenant.');
    else if (settings.distribution.kind === 'tiers') {
      try {
        tenantSizes({ tenants: settings.tenants, records: settings.records, distribution: settings.distribution });
      } catch (error) {
        problems.push(`distribution: ${(error as Error).message}`);
      }
    }
  }
  if (!benchModes.includes(settings.mode)) problems.push(`mode must be one of ${benchModes.join(', ')}, got ${JSON.stringify(settings.mode)}.`);
  // Hybrid mode's ground truth is what the bench planted in texts it wrote; a file of vectors has neither.
  if (settings.mode === 'hybrid' && settings.input !== undefined) problems.push('mode hybrid generates its own labelled text workload and cannot read input.');
  if (settings.strategies.length === 0) problems.push('strategies must name at least one strategy.');
  for (const strategy of settings.strategies) {
    if (!strategyTypes.includes(strategy)) problems.push(`unknown strategy ${JSON.stringify(strategy)}; known: ${strategyTypes.join(', ')}.`);
  }
  return problems;
}

/** Reads `all` or a comma-separated list of strategy names. */
export function parseStrategies(text: string): StrategyType[] | undefined {
  if (text === 'all') return [...strategyTypes];
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return names.length > 0 && names.every((name) => strategyTypes.includes(name as StrategyType)) ? (names as StrategyType[]) : undefined;
}

export { parseDistribution };

/**
 * The backend `tenantvec bench` uses when none is named: embedded Postgres (PGlite) when
 * `@tenantvec/pgvector` is installed, so the default measures a real database with no server;
 * the in-memory backend otherwise.
 */
export async function defaultBackendName(): Promise<'pglite' | 'memory'> {
  try {
    await importAdapter('@tenantvec/pgvector', 'pglite');
    return 'pglite';
  } catch {
    return 'memory';
  }
}
