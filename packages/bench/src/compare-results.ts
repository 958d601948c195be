import type { BenchResults, StrategyResult } from './bench-results.js';
import { change, milliseconds, recall, whole } from './report-format.js';

export interface ComparisonRow {
  strategy: string;
  /** A bucket label, or `all` for the whole run. */
  bucket: string;
  before: { p50Ms: number; p95Ms: number; recall: number } | undefined;
  after: { p50Ms: number; p95Ms: number; recall: number } | undefined;
}

export interface Comparison {
  before: { startedAt: string; settings: BenchResults['settings']; passed: boolean };
  after: { startedAt: string; settings: BenchResults['settings']; passed: boolean };
  /** The two runs measured different workloads: their figures compare only loosely. */
  workloadDiffers: boolean;
  ingest: { strategy: string; before?: number; after?: number }[];
  rows: ComparisonRow[];
  /** p95 slower by more than `latencyTolerance`, recall lower by more than `recallTolerance`, or new failures. */
  regressions: string[];
}

const workloadKeys = ['backend', 'tenants', 'records', 'dimension', 'distribution', 'queries', 'topK', 'seed'] as const;

function figures(result: StrategyResult | undefined, bucket: string) {
  const found = bucket === 'all' ? result?.queries?.all : result?.queries?.buckets.find((entry) => entry.label === bucket);
  return found === undefined ? undefined : { p50Ms: found.latency.p50Ms, p95Ms: found.latency.p95Ms, recall: found.recall };
}

/** Before against after, strategy by strategy and bucket by bucket. */
export function compareResults(before: BenchResults, after: BenchResults, tolerances: { latency?: number; recall?: number } = {}): Comparison {
  const latencyTolerance = tolerances.latency ?? 0.2;
  const recallTolerance = tolerances.recall ?? 0.01;
  const strategies = [...new Set([...before.strategies, ...after.strategies].map((result) => result.strategy))];
  const rows: ComparisonRow[] = [];
  const regressions: string[] = [];
  for (const strategy of strategies) {
    const was = before.strategies.find((result) => result.strategy === strategy);
    const now = after.strategies.find((result) => result.strategy === strategy);
    const labels = [...new Set([...(was?.queries?.buckets ?? []), ...(now?.queries?.buckets ?? [])].map((bucket) => bucket.label)), 'all'];
    for (const bucket of labels) {
      const row = { strategy, bucket, before: figures(was, bucket), after: figures(now, bucket) };
      rows.push(row);
      if (row.before === undefined || row.after === undefined) continue;
      if (row.after.p95Ms > row.before.p95Ms * (1 + latencyTolerance)) {
        regressions.push(`${strategy} (${bucket}): p95 ${milliseconds(row.before.p95Ms)} → ${milliseconds(row.after.p95Ms)} ms (${change(row.before.p95Ms, row.after.p95Ms)}).`);
      }
      if (row.after.recall < row.before.recall - recallTolerance) {
        regressions.push(`${strategy} (${bucket}): recall ${recall(row.before.recall)} → ${recall(row.after.recall)}.`);
      }
    }
    if (was?.status === 'ok' && now !== undefined && now.status !== 'ok') regressions.push(`${strategy}: ${now.status} after, ok before.`);
  }
  for (const problem of after.problems) if (!before.problems.includes(problem)) regressions.push(`new problem: ${problem}`);
  return {
    before: { startedAt: before.startedAt, settings: before.settings, passed: before.passed },
    after: { startedAt: after.startedAt, settings: after.settings, passed: after.passed },
    workloadDiffers: workloadKeys.some((key) => before.settings[key] !== after.settings[key]),
    ingest: strategies.map((strategy) => ({
      strategy,
      ...withDefined('before', before.strategies.find((result) => result.strategy === strategy)?.ingest?.recordsPerSecond),
      ...withDefined('after', after.strategies.find((result) => result.strategy === strategy)?.ingest?.recordsPerSecond),
    })),
    rows,
    regressions,
  };
}

function withDefined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;
}

export function comparisonMarkdown(comparison: Comparison): string {
  const lines = [
    `# tenantvec bench: before (${comparison.before.startedAt}) against after (${comparison.after.startedAt})`,
    '',
    ...(comparison.workloadDiffers ? ['**The two runs measured different workloads or backends**; compare with care.', ''] : []),
    comparison.regressions.length === 0 ? 'No regressions.' : `**Regressions**:\n\n${comparison.regressions.map((line) => `- ${line}`).join('\n')}`,
    '',
    '| strategy | tenant size | p50 before → after (ms) | p95 before → after (ms) | change p95 | recall before → after |',
    '|---|---|--:|--:|--:|--:|',
    ...comparison.rows.map(({ strategy, bucket, before, after }) =>
      `| ${strategy} | ${bucket} | ${milliseconds(before?.p50Ms)} → ${milliseconds(after?.p50Ms)} | ${milliseconds(before?.p95Ms)} → ${milliseconds(after?.p95Ms)} | ${change(before?.p95Ms, after?.p95Ms)} | ${recall(before?.recall)} → ${recall(after?.recall)} |`),
    '',
    '| strategy | ingest before → after (records/s) | change |',
    '|---|--:|--:|',
    ...comparison.ingest.map(({ strategy, before, after }) => `| ${strategy} | ${whole(before)} → ${whole(after)} | ${change(before, after)} |`),
    '',
  ];
  return lines.join('\n');
}
