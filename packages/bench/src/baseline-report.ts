import type { BenchResults, StrategyResult } from './bench-results.js';
import { milliseconds, whole } from './report-format.js';

/** `1.42× (1.18 / 0.83 ms)`: tenantvec ÷ hand-written at p50, both absolute figures beside it. */
export function ratioCell(entry: { ratio: number; tenantvecP50Ms: number; baselineP50Ms: number } | undefined): string {
  return entry === undefined ? '–' : `${entry.ratio.toFixed(2)}× (${milliseconds(entry.tenantvecP50Ms)} / ${milliseconds(entry.baselineP50Ms)} ms)`;
}

/** The per-strategy summary cell: against hand-written SQL where there is one, else the backend-call overhead. */
export function overheadCell(result: StrategyResult): string {
  const baseline = result.baseline;
  if (baseline !== undefined) return `get ${baseline.get.ratio.toFixed(2)}×, count ${baseline.count.ratio.toFixed(2)}×, upsert ${baseline.upsert.ratio.toFixed(2)}×`;
  const overhead = result.overhead;
  return overhead === undefined ? '–' : `${milliseconds(overhead.overheadP50Ms)} ms (${overhead.overheadPercent}%) over the backend call`;
}

/** Markdown sections for the baseline and planning time; empty when no strategy has them. */
export function baselineSections(results: BenchResults): string[] {
  const withBaseline = results.strategies.filter((result) => result.baseline !== undefined);
  if (withBaseline.length === 0) {
    return ['', `No hand-written baseline on ${results.settings.backend}: the baseline exists for the Postgres backends (pgvector, pglite) only.`];
  }
  const lines = [
    '',
    '## Against hand-written SQL, same plan',
    '',
    'The same queries as one parameterised statement through the driver, as the login, no transaction, with the plan tenantvec chose ' +
      '(exact: `WHERE <tenant> ORDER BY embedding <=> $v, id LIMIT k`; index: the partial index\'s literal in the WHERE, `ORDER BY embedding <=> $v`, index settings set once per session). ' +
      'Ratio: tenantvec p50 ÷ baseline p50 (tenantvec / baseline ms), each query timed both ways in a pair, alternately first, so neither finds pages the other just read (the bucket table\'s p50 columns are the separate query phase). Upsert: baseline `INSERT … SELECT FROM unnest(…)` records/s ÷ tenantvec records/s without index builds.',
    '',
    '| strategy | tenant size | queries (index plan) | query p50 ratio | get p50 ratio | count p50 ratio | upsert records/s (hand-written / tenantvec) | ids verified |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const result of withBaseline) {
    const baseline = result.baseline!;
    baseline.queries.forEach((bucket, position) => {
      const first = position === 0;
      lines.push(
        `| ${result.strategy} | ${bucket.label} | ${whole(bucket.queries)} (${whole(bucket.indexPlanQueries)}) | ${ratioCell({ ...bucket })} | ` +
          `${first ? ratioCell(baseline.get) : ''} | ${first ? ratioCell(baseline.count) : ''} | ` +
          `${first ? `${whole(baseline.upsert.baselineRecordsPerSecond)} / ${whole(baseline.upsert.tenantvecRecordsPerSecond)} (${baseline.upsert.ratio.toFixed(2)}×)` : ''} | ${first ? whole(baseline.verifiedQueries) : ''} |`,
      );
    });
  }
  lines.push('', '## Planning time', '', '`EXPLAIN (ANALYZE, SUMMARY)` of sample queries per bucket, and the partial indexes on the table searched (every predicate is tested while planning).', '');
  lines.push('| strategy | tenant size | samples | planning median (ms) | planning max (ms) | partial indexes |', '|---|---|--:|--:|--:|--:|');
  for (const result of withBaseline) {
    for (const bucket of result.planning?.buckets ?? []) {
      lines.push(`| ${result.strategy} | ${bucket.label} | ${whole(bucket.samples)} | ${milliseconds(bucket.medianMs)} | ${milliseconds(bucket.maxMs)} | ${whole(bucket.partialIndexes)} |`);
    }
  }
  return lines;
}
