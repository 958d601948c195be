import { cpus, totalmem } from 'node:os';
import { ConfigurationError } from '@tenantvec/core';
import { benchBackend, type BenchBackend } from './bench-backends.js';
import type { ProgressListener } from './bench-progress.js';
import { RESULTS_FORMAT_VERSION, type BenchResults, type StrategyResult } from './bench-results.js';
import { settingsProblems, type BenchSettings } from './bench-settings.js';
import { exactTopK, type ExactAnswer } from './exact-search.js';
import { jsonlWorkload } from './jsonl-workload.js';
import { labelledTextWorkload } from './labelled-text-workload.js';
import { measureStrategy } from './measure-strategy.js';
import { bucketLabel, sizeBuckets } from './size-buckets.js';
import { syntheticWorkload } from './synthetic-workload.js';
import { describeDistribution } from './tenant-sizes.js';
import type { Workload } from './workload.js';

export interface RunBenchOptions {
  onProgress?: ProgressListener;
  /** Where `DATABASE_URL` and the like are read. @default process.env */
  environment?: Record<string, string | undefined>;
  /** Recorded in the results, so a reader can repeat the run. */
  command?: string;
  /** Backends to choose `settings.backend` from: your own adapter, or a wrapper in a test. @default benchBackends */
  backends?: readonly BenchBackend[];
}

/**
 * Runs one workload against every chosen strategy on one backend and reports what each costs and
 * whether each kept its promises. It does not throw for a leak: the results say `passed: false`
 * and list the problems, so the figures of a failing run can still be read.
 */
export async function runBench(settings: BenchSettings, options: RunBenchOptions = {}): Promise<BenchResults> {
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new ConfigurationError(`Invalid bench settings: ${problems.join(' ')}`);
  const entry = benchBackend(settings.backend, options.backends);
  const environment = options.environment ?? process.env;
  const { onProgress } = options;
  const startedAt = new Date().toISOString();

  const workload = await loadWorkload(settings, onProgress);
  if (settings.mode === 'hybrid' && workload.queries.length === 0) throw new ConfigurationError(`No tenant holds enough records for one planted query (${settings.topK} relevant documents and their distractors); raise records or lower topK.`);
  // Tenant by tenant, so each tenant's records are drawn (or read) once for all its queries.
  // The labelled workload needs none: its ground truth is what it planted.
  const groundTruth: ExactAnswer[] = new Array<ExactAnswer>(workload.queries.length);
  const byTenant = settings.mode === 'hybrid' ? [] : workload.queries.map((query, index) => ({ tenant: query.tenant, index })).sort((a, b) => a.tenant - b.tenant || a.index - b.index);
  byTenant.forEach(({ index }, done) => {
    onProgress?.({ phase: 'ground-truth', done: done + 1, total: workload.queries.length });
    const query = workload.queries[index]!;
    groundTruth[index] = exactTopK(workload, query.tenant, query.vector, settings.topK);
  });

  let backendVersion: string | undefined;
  const strategies: StrategyResult[] = [];
  for (const strategyType of settings.strategies) {
    strategies.push(await measureStrategy({ strategyType, entry, settings, workload, groundTruth, environment, ...(onProgress === undefined ? {} : { onProgress }), onVersion: (version) => (backendVersion = version) }));
  }

  const found = strategies.flatMap(problemsOf);
  const sizes = workload.tenants.map((tenant) => tenant.size);
  return {
    format: RESULTS_FORMAT_VERSION,
    tool: 'tenantvec bench',
    startedAt,
    finishedAt: new Date().toISOString(),
    ...(options.command === undefined ? {} : { command: options.command }),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      ...(backendVersion === undefined ? {} : { backendVersion }),
    },
    settings: {
      backend: settings.backend,
      mode: settings.mode,
      strategies: settings.strategies,
      tenants: workload.tenants.length,
      records: workload.records,
      dimension: workload.dimension,
      distribution: settings.input === undefined ? describeDistribution(settings.distribution) : 'from input',
      queries: workload.queries.length,
      topK: settings.topK,
      seed: settings.seed,
      batchSize: settings.batchSize,
      ...(settings.scale === undefined ? {} : { scale: settings.scale }),
      ...(Object.keys(plainSettings(settings.backendSettings)).length === 0 ? {} : { backendSettings: plainSettings(settings.backendSettings) }),
      ...(settings.input === undefined ? {} : { input: settings.input }),
    },
    workload: {
      description: workload.description,
      largestTenant: Math.max(...sizes),
      smallestTenant: Math.min(...sizes),
      buckets: sizeBuckets.map((bucket) => {
        const members = workload.tenants.filter((tenant) => tenant.bucket === bucket.name);
        return { bucket: bucket.name, label: bucketLabel(bucket.name), tenants: members.length, records: members.reduce((sum, tenant) => sum + tenant.size, 0) };
      }),
    },
    strategies,
    problems: found,
    passed: found.length === 0,
  };
}

async function loadWorkload(settings: BenchSettings, onProgress?: ProgressListener): Promise<Workload> {
  if (settings.input !== undefined) {
    onProgress?.({ phase: 'workload', done: 0, total: 1 });
    const workload = await jsonlWorkload({ file: settings.input, queries: settings.queries, seed: settings.seed });
    onProgress?.({ phase: 'workload', done: 1, total: 1 });
    return workload;
  }
  const onTenant = (done: number, total: number) => onProgress?.({ phase: 'workload', done, total });
  return settings.mode === 'hybrid' ? labelledTextWorkload(settings, onTenant) : syntheticWorkload(settings, onTenant);
}

/** Backend settings fit for a report: numbers, booleans and short words, never a connection string or key. */
function plainSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const reportable = ['partialIndexAbove', 'exactScanBelow', 'maxBatchSize', 'hnsw', 'rowLevelSecurity'];
  return Object.fromEntries(Object.entries(settings).filter(([key]) => reportable.includes(key)));
}

/** The promises a strategy broke, each as one sentence naming the strategy. */
export function problemsOf(result: StrategyResult): string[] {
  const { strategy } = result;
  if (result.status === 'failed') return [`${strategy}: the run failed: ${result.reason ?? 'unknown error'}`];
  const problems: string[] = [];
  const leaks = result.leaks;
  if (leaks !== undefined) {
    if (leaks.returned > 0) problems.push(`${strategy}: ${leaks.returned} query results belonged to another tenant.`);
    if (leaks.withheld > 0) problems.push(`${strategy}: the backend returned another tenant's records to ${leaks.withheld} queries (withheld by the store's ownership check).`);
    if (leaks.direct > 0) problems.push(`${strategy}: the backend, asked directly with the tenant's walls, returned ${leaks.direct} records of other tenants.`);
    if (leaks.foreignGets > 0) problems.push(`${strategy}: ${leaks.foreignGets} reads by id returned another tenant's record.`);
  }
  const offboarding = result.offboarding;
  if (offboarding !== undefined) {
    if (offboarding.residue > 0) problems.push(`${strategy}: ${offboarding.residue} records were left after dropTenant.`);
    if (offboarding.stillListed > 0) problems.push(`${strategy}: ${offboarding.stillListed} dropped tenants were still listed.`);
    if (offboarding.collateral !== 0) problems.push(`${strategy}: other tenants lost ${offboarding.collateral} records while tenants were dropped.`);
  }
  return problems;
}
