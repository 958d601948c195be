import type { BenchResults, StrategyResult } from './bench-results.js';
import { baselineSections, overheadCell, ratioCell } from './baseline-report.js';
import { bytes, milliseconds, recall, whole } from './report-format.js';
import { machineAndVerdictLines, tenantSizesLine } from './report-preamble.js';
import { searchModesMarkdown } from './search-modes-report.js';

function leakCell(result: StrategyResult): string {
  const leaks = result.leaks;
  if (leaks === undefined) return '–';
  const total = leaks.returned + leaks.withheld + leaks.direct + leaks.foreignGets;
  return total === 0 ? '0' : `**${total}**`;
}

function residueCell(result: StrategyResult): string {
  const offboarding = result.offboarding;
  if (offboarding === undefined) return '–';
  const total = offboarding.residue + offboarding.stillListed + Math.abs(offboarding.collateral);
  return total === 0 ? '0' : `**${total}**`;
}

/** Where the worst query's results really ranked, when it missed: `; returned ranks 3–41`. */
function ranksNote(ranks: { best: number; worst: number; returned: number } | undefined): string {
  if (ranks === undefined) return '';
  if (ranks.best === 0) return `; returned ${whole(ranks.returned)}, none of the tenant's`;
  return `; returned ${whole(ranks.returned)}, true ranks ${whole(ranks.best)}–${whole(ranks.worst)}`;
}

function ingestCell(ingest: NonNullable<StrategyResult['ingest']>): string {
  const without = ingest.recordsPerSecondWithoutIndexBuilds;
  return without === undefined ? whole(ingest.recordsPerSecond) : `${whole(ingest.recordsPerSecond)} (${whole(without)} without index builds)`;
}

/** The results as Markdown: a summary per strategy, then latency and recall per tenant-size bucket (per query mode for `--mode hybrid`). */
export function markdownReport(results: BenchResults): string {
  if (results.settings.mode === 'hybrid') return searchModesMarkdown(results);
  const { settings } = results;
  const k = settings.topK;
  const lines = [
    `# tenantvec bench: ${settings.backend}, ${whole(settings.records)} × ${settings.dimension}, ${whole(settings.tenants)} tenants (${settings.distribution})`,
    '',
    tenantSizesLine(results, 'records'),
    `${whole(settings.queries)} queries per strategy (top ${k}), shared equally by the size buckets present; seed ${settings.seed}.` +
      (settings.scale === undefined ? '' : ` Scale preset: ${settings.scale}.`) +
      (settings.backendSettings === undefined ? '' : ` Backend settings: ${JSON.stringify(settings.backendSettings)}.`),
    '',
    ...machineAndVerdictLines(results, 'no result crossed a tenant\'s walls, nothing was left after dropping a tenant.'),
    '',
    '## Per strategy',
    '',
    `| strategy | ingest (records/s) | onboarding p50 (ms) | query p50 / p95 / p99 (ms) | recall@${k} | leaks | offboarding p50 / max (ms) | residue | storage | tenantvec ÷ hand-written SQL (p50) |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const result of results.strategies) {
    if (result.status !== 'ok') {
      lines.push(`| ${result.strategy} | ${result.status}: ${(result.reason ?? '').replaceAll('|', '\\|')} | | | | | | | | |`);
      continue;
    }
    const all = result.queries!.all;
    lines.push(
      `| ${result.strategy} | ${ingestCell(result.ingest!)} | ${milliseconds(result.onboarding!.p50Ms)} | ` +
        `${milliseconds(all.latency.p50Ms)} / ${milliseconds(all.latency.p95Ms)} / ${milliseconds(all.latency.p99Ms)} | ${recall(all.recall)} | ${leakCell(result)} | ` +
        `${milliseconds(result.offboarding!.p50Ms)} / ${milliseconds(result.offboarding!.maxMs)} | ${residueCell(result)} | ${bytes(result.storageBytes)} | ` +
        `${overheadCell(result)} |`,
    );
  }
  const memory = results.strategies.flatMap((result) => (result.ingest?.peakRssMb === undefined ? [] : [`${result.strategy} ${whole(result.ingest.peakRssMb)} MB`]));
  const builds = results.strategies.flatMap((result) => (result.ingest?.indexBuildBatches === undefined ? [] : [`${result.strategy} ${whole(result.ingest.indexBuildBatches)} batches, ${result.ingest.indexBuildSeconds ?? 0} s`]));
  const deferred = results.strategies.flatMap((result) => (result.ingest?.indexesBuiltAfterLoad === undefined ? [] : [`${result.strategy} ${whole(result.ingest.indexesBuiltAfterLoad)} indexes in ${result.ingest.indexBuildSeconds ?? 0} s`]));
  if (memory.length > 0) lines.push('', `Peak resident memory of the bench process during ingest: ${memory.join('; ')}.`);
  if (builds.length > 0) lines.push('', `Batches that took a tenant across the index threshold (each built that tenant's index): ${builds.join('; ')}.`);
  if (deferred.length > 0) lines.push('', `Index builds, deferred to the end of the load (\`bulkLoad\`), each at the tenant's full size: ${deferred.join('; ')}.`);
  lines.push('', '## Per tenant-size bucket', '', `| strategy | tenant size | tenants (queried) | queries | p50 (ms) | p95 (ms) | p99 (ms) | ÷ hand-written p50 | recall@${k} mean | p5 | worst | worst query's tenant (size) |`, '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const result of results.strategies) {
    for (const bucket of result.queries?.buckets ?? []) {
      const worst = bucket.worstQuery;
      lines.push(
        `| ${result.strategy} | ${bucket.label} | ${whole(bucket.tenants)} (${whole(bucket.tenantsQueried)}) | ${whole(bucket.latency.count)} | ` +
          `${milliseconds(bucket.latency.p50Ms)} | ${milliseconds(bucket.latency.p95Ms)} | ${milliseconds(bucket.latency.p99Ms)} | ${ratioCell(result.baseline?.queries.find((entry) => entry.bucket === bucket.bucket))} | ` +
          `${recall(bucket.recall)} | ${recall(bucket.p5Recall)} | ${recall(bucket.worstRecall)} | ${worst === undefined ? '–' : `${worst.tenant} (${whole(worst.tenantSize)})${ranksNote(worst.returnedRanks)}`} |`,
      );
    }
  }
  lines.push(...baselineSections(results));
  lines.push(
    '',
    'Ingest: records per second of a bulk load, tenant after tenant, in batches of ' + `${settings.batchSize}. ` +
      'Onboarding: the first write of a brand-new tenant. Recall: share of the exact top k (brute force over the tenant\'s own records) that came back. ' +
      'Leaks: results of another tenant, from the workload\'s queries, from probes that ask with another tenant\'s vectors and ids, and from the backend asked directly. ' +
      'Residue: records still readable, tenants still listed and records lost by neighbours after `dropTenant`. ' +
      'Ingest without index builds: on a backend with `bulkLoad` (Postgres), the load before the index builds it deferred to its end; elsewhere the load with the builds taken out (a batch that took a tenant across the index threshold counts its rows at the other batches\' rate, the rest of its time as the build). ' +
      'Recall p5 and worst: the 5th percentile and the lowest recall of a single query in the bucket, and whose query that was; when it missed, the true ranks (1 = nearest) of the records it returned — just past k is a near tie lost, far past it a search that ended in the wrong part of the graph. ' +
      'tenantvec ÷ hand-written SQL: see the section of that name (Postgres backends only); elsewhere the median time through a tenant scope minus the same query sent straight to the backend.',
    '',
  );
  return lines.join('\n');
}
