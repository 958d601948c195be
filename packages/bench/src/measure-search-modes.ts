import { IsolationViolationError, TermStatisticsSharedError, UnsupportedError, type QueryParams, type TenantVectorStore } from '@tenantvec/core';
import type { LabelledQuery, LabelledTextWorkload } from './labelled-text-workload.js';
import { foreignResults } from './leak-check.js';
import type { Leaks } from './measure-queries.js';
import { mean, percentile, round, summarizeLatency } from './percentiles.js';
import { searchModes, type ModeOutcome, type SearchMode, type SearchModesBucket, type SearchModesResult } from './search-mode-results.js';
import { bucketLabel, sizeBuckets } from './size-buckets.js';

export type SearchModePhase = `${SearchMode}-queries`;

export interface SearchModesContext {
  store: TenantVectorStore;
  workload: LabelledTextWorkload;
  topK: number;
  warmup: number;
  leaks: Leaks;
  /** The store's metric: cosine, or dot where keyword search needs it (the vectors have length 1). */
  metric: 'cosine' | 'dot';
  /** Every query sent, warm-up included, for the leak figures: a refused mode sends none. */
  asked: { queries: number };
  report: (phase: SearchModePhase, done: number, total: number) => void;
}

/** The store's own defaults, which the bench leaves alone so it measures what users get. */
const fusionDescription = 'the store\'s default: reciprocal rank fusion (k 60) of max(50, 4 × topK) candidates per branch';

interface Sample {
  tenant: number;
  ms: number;
  recall: number;
}

/** The same query in each mode, through the public API only: a scope's `query`. */
function request(mode: SearchMode, query: LabelledQuery, topK: number): QueryParams {
  if (mode === 'vector') return { vector: query.vector, topK };
  if (mode === 'keyword') return { mode, text: query.text, topK };
  return { mode, text: query.text, vector: query.vector, topK };
}

/** recall@k against what was planted: the share of the relevant documents in the top k. */
export function plantedRecall(returned: readonly string[], relevant: readonly string[]): number {
  const truth = new Set(relevant);
  if (truth.size === 0) return 1;
  return new Set(returned.slice(0, truth.size).filter((id) => truth.has(id))).size / truth.size;
}

/**
 * Refusals come back as values: a backend × strategy whose keyword statistics would cross
 * tenants (or that has no keyword search) is a finding of the run, not a failure of it.
 */
async function ask(context: SearchModesContext, mode: SearchMode, query: LabelledQuery): Promise<string[] | { code: string; reason: string }> {
  const { store, workload, leaks } = context;
  try {
    const hits = await store.forTenant(workload.tenants[query.tenant]!.id).query(request(mode, query, context.topK));
    context.asked.queries += 1;
    const ids = hits.map((hit) => hit.id);
    leaks.returned += foreignResults(query.tenant, ids).length;
    return ids;
  } catch (error) {
    if (mode !== 'vector' && (TermStatisticsSharedError.isInstance(error) || UnsupportedError.isInstance(error))) return { code: error.code, reason: error.message };
    if (!IsolationViolationError.isInstance(error)) throw error;
    context.asked.queries += 1;
    leaks.withheld += 1;
    return [];
  }
}

/** One mode over every query of the workload, after an untimed warm-up; refused at the first refusal. */
async function measureMode(context: SearchModesContext, mode: SearchMode): Promise<{ refused: { code: string; reason: string } } | { samples: Sample[] }> {
  const { queries } = context.workload;
  for (const query of queries.slice(0, context.warmup)) {
    const answer = await ask(context, mode, query);
    if (!Array.isArray(answer)) return { refused: answer };
  }
  const samples: Sample[] = [];
  for (const [index, query] of queries.entries()) {
    const started = performance.now();
    const answer = await ask(context, mode, query);
    const ms = performance.now() - started;
    if (!Array.isArray(answer)) return { refused: answer };
    samples.push({ tenant: query.tenant, ms, recall: plantedRecall(answer, query.relevant) });
    context.report(`${mode}-queries`, index + 1, queries.length);
  }
  return { samples };
}

function outcome(measured: Awaited<ReturnType<typeof measureMode>>, chosen: (sample: Sample) => boolean): ModeOutcome {
  if ('refused' in measured) return { status: 'refused', ...measured.refused };
  const samples = measured.samples.filter(chosen);
  const recalls = samples.map((sample) => sample.recall);
  return {
    status: 'ok',
    recall: round(mean(recalls), 4),
    p5Recall: round(percentile(recalls, 0.05), 4),
    worstRecall: round(Math.min(...recalls), 4),
    latency: summarizeLatency(samples.map((sample) => sample.ms)),
  };
}

/** Hybrid recall minus the better branch's, where all three ran. */
function hybridGain(modes: Record<SearchMode, ModeOutcome>): number | undefined {
  const { vector, keyword, hybrid } = modes;
  if (vector.status !== 'ok' || keyword.status !== 'ok' || hybrid.status !== 'ok') return undefined;
  return round(hybrid.recall - Math.max(vector.recall, keyword.recall), 4);
}

/**
 * Every query of the labelled workload in each mode — vector, keyword, hybrid — mode after
 * mode, scored against the planted relevant documents, per tenant-size bucket.
 */
export async function measureSearchModes(context: SearchModesContext): Promise<SearchModesResult> {
  const { workload, topK } = context;
  const { tenants, queries } = workload;
  const measured = {} as Record<SearchMode, Awaited<ReturnType<typeof measureMode>>>;
  for (const mode of searchModes) measured[mode] = await measureMode(context, mode);
  const summarize = (tenantIn: (tenant: number) => boolean): Omit<SearchModesBucket, 'bucket' | 'label' | 'tenants'> => {
    const chosen = (sample: Sample) => tenantIn(sample.tenant);
    const modes = Object.fromEntries(searchModes.map((mode) => [mode, outcome(measured[mode], chosen)])) as Record<SearchMode, ModeOutcome>;
    const asked = queries.filter((query) => tenantIn(query.tenant));
    const gain = hybridGain(modes);
    return { tenantsQueried: new Set(asked.map((query) => query.tenant)).size, queries: asked.length, modes, ...(gain === undefined ? {} : { hybridGain: gain }) };
  };
  const buckets = sizeBuckets
    .filter((bucket) => queries.some((query) => tenants[query.tenant]!.bucket === bucket.name))
    .map((bucket) => ({
      bucket: bucket.name,
      label: bucketLabel(bucket.name),
      tenants: tenants.filter((tenant) => tenant.bucket === bucket.name).length,
      ...summarize((tenant) => tenants[tenant]!.bucket === bucket.name),
    }));
  return { topK, metric: context.metric, fusion: fusionDescription, buckets, all: { tenants: tenants.length, ...summarize(() => true) } };
}
