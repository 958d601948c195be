import type { BenchResults, StrategyResult } from './bench-results.js';
import { milliseconds, recall, whole } from './report-format.js';
import { machineAndVerdictLines, tenantSizesLine } from './report-preamble.js';
import type { ModeOutcome, SearchModesBucket } from './search-mode-results.js';

function recallCell(outcome: ModeOutcome): string {
  return outcome.status === 'ok' ? recall(outcome.recall) : `refused (${outcome.code})`;
}

function latencyCell(outcome: ModeOutcome): string {
  return outcome.status === 'ok' ? `${milliseconds(outcome.latency.p50Ms)} / ${milliseconds(outcome.latency.p95Ms)}` : '–';
}

function gainCell(bucket: Pick<SearchModesBucket, 'hybridGain'>): string {
  if (bucket.hybridGain === undefined) return '–';
  return `${bucket.hybridGain >= 0 ? '+' : ''}${bucket.hybridGain.toFixed(3)}`;
}

function leakCell(result: StrategyResult): string {
  const leaks = result.leaks;
  if (leaks === undefined) return '–';
  const total = leaks.returned + leaks.withheld;
  return total === 0 ? '0' : `**${total}**`;
}

/** Why each refused mode was refused, once per strategy and mode. */
function refusals(results: BenchResults): string[] {
  const lines = results.strategies.flatMap((result) => {
    const all = result.searchModes?.all;
    if (all === undefined) return [];
    return Object.entries(all.modes).flatMap(([mode, outcome]) => (outcome.status === 'refused' ? [`- ${result.strategy}, ${mode}: ${outcome.code}: ${outcome.reason}`] : []));
  });
  return lines.length === 0 ? [] : ['', 'Refused before any I/O, as the store must (not a failure of the run):', '', ...lines];
}

/** The Markdown report of a `--mode hybrid` run: the three query modes per strategy and tenant-size bucket. */
export function searchModesMarkdown(results: BenchResults): string {
  const { settings } = results;
  const k = settings.topK;
  const measured = results.strategies.find((result) => result.searchModes !== undefined)?.searchModes;
  const fusion = measured?.fusion;
  const lines = [
    `# tenantvec bench --mode hybrid: ${settings.backend}, ${whole(settings.records)} documents × ${settings.dimension}, ${whole(settings.tenants)} tenants (${settings.distribution})`,
    '',
    tenantSizesLine(results, 'documents'),
    `${whole(settings.queries)} queries asked per strategy in each mode (top ${k}), shared equally by the size buckets whose tenants have room for planted documents; seed ${settings.seed}.` +
      (fusion === undefined ? '' : ` Hybrid fusion: ${fusion}.`) +
      (measured?.metric === 'dot' ? ' Metric dot, which this backend\'s keyword search needs; the vectors have length 1, so it ranks as cosine.' : ''),
    '',
    ...machineAndVerdictLines(results, 'no result crossed a tenant\'s walls.'),
    '',
    '## Per strategy',
    '',
    `| strategy | ingest (records/s) | recall@${k} vector | keyword | hybrid | hybrid gain | p50 / p95 (ms) vector | keyword | hybrid | leaks |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const result of results.strategies) {
    const all = result.searchModes?.all;
    if (result.status !== 'ok' || all === undefined) {
      lines.push(`| ${result.strategy} | ${result.status}: ${(result.reason ?? '').replaceAll('|', '\\|')} | | | | | | | | |`);
      continue;
    }
    const { vector, keyword, hybrid } = all.modes;
    lines.push(
      `| ${result.strategy} | ${whole(result.ingest?.recordsPerSecond)} | ${recallCell(vector)} | ${recallCell(keyword)} | ${recallCell(hybrid)} | ${gainCell(all)} | ` +
        `${latencyCell(vector)} | ${latencyCell(keyword)} | ${latencyCell(hybrid)} | ${leakCell(result)} |`,
    );
  }
  lines.push(...refusals(results));
  lines.push('', '## Per tenant-size bucket', '', `| strategy | tenant size | tenants (queried) | queries | recall@${k} vector | keyword | hybrid | hybrid gain | p50 / p95 (ms) vector | keyword | hybrid |`, '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const result of results.strategies) {
    for (const bucket of result.searchModes?.buckets ?? []) {
      const { vector, keyword, hybrid } = bucket.modes;
      lines.push(
        `| ${result.strategy} | ${bucket.label} | ${whole(bucket.tenants)} (${whole(bucket.tenantsQueried)}) | ${whole(bucket.queries)} | ` +
          `${recallCell(vector)} | ${recallCell(keyword)} | ${recallCell(hybrid)} | ${gainCell(bucket)} | ${latencyCell(vector)} | ${latencyCell(keyword)} | ${latencyCell(hybrid)} |`,
      );
    }
  }
  lines.push(
    '',
    `Workload: every query has a rare keyword of its own and ${k} planted relevant documents that hold it once and lie only loosely near the query vector; ` +
      'beside them, vector distractors right next to the query vector without the keyword, and keyword distractors: long noisy texts repeating the keyword, with ordinary vectors. ' +
      `Recall@${k}: the share of the planted relevant documents in the top ${k} (the ground truth is the planting, not either branch). ` +
      'Hybrid gain: hybrid recall minus the better single branch\'s. Vector, keyword and hybrid queries go through `scope.query` one at a time, mode after mode, after untimed warm-up queries. ' +
      'Leaks: results of another tenant in any mode (the j-th keyword of every tenant is the same word, so a keyword search across the walls would find foreign documents). ' +
      'Ingest: documents with their text through `scope.upsert`, in batches of ' + `${settings.batchSize}.`,
    '',
  );
  return lines.join('\n');
}
