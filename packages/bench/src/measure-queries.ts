import { IsolationViolationError, type IsolationStrategy, type TenantVectorStore, type VectorBackend } from '@tenantvec/core';
import { type StrategyContext } from '@tenantvec/core/backend';
import type { BucketResult, StrategyResult } from './bench-results.js';
import { dot, recallAtK, type ExactAnswer } from './exact-search.js';
import { foreignResults } from './leak-check.js';
import { mean, percentile, round, summarizeLatency } from './percentiles.js';
import { bucketLabel, sizeBuckets } from './size-buckets.js';
import { ownerOf, recordId, vectorOf, type Workload } from './workload.js';

export interface QueryContext {
  store: TenantVectorStore;
  backend: VectorBackend;
  strategy: IsolationStrategy;
  strategyContext: StrategyContext;
  workload: Workload;
  groundTruth: readonly ExactAnswer[];
  topK: number;
  report: (phase: 'queries' | 'leak-probes' | 'overhead' | 'baseline', done: number, total: number) => void;
}

export interface Leaks {
  returned: number;
  withheld: number;
  direct: number;
  foreignGets: number;
}

/** Asks through the tenant's scope; a foreign result the store withheld is counted, not thrown. */
async function askThroughScope(context: QueryContext, tenant: number, vector: Float32Array, leaks: Leaks): Promise<string[]> {
  try {
    const hits = await context.store.forTenant(context.workload.tenants[tenant]!.id).query({ vector, topK: context.topK });
    const ids = hits.map((hit) => hit.id);
    leaks.returned += foreignResults(tenant, ids).length;
    return ids;
  } catch (error) {
    if (!IsolationViolationError.isInstance(error)) throw error;
    leaks.withheld += 1;
    return [];
  }
}

/**
 * Untimed warm-up, then every query of the workload, timed, scored against exact search.
 */
export async function measureQueries(context: QueryContext, warmup: number, leaks: Leaks): Promise<{ queries: NonNullable<StrategyResult['queries']> }> {
  const { workload, groundTruth, topK } = context;
  const { queries, tenants } = workload;
  for (let index = 0; index < Math.min(warmup, queries.length); index += 1) await askThroughScope(context, queries[index]!.tenant, queries[index]!.vector, leaks);
  const samples: { tenant: number; ms: number; recall: number; index: number; ids: string[] }[] = [];
  for (const [index, query] of queries.entries()) {
    const started = performance.now();
    const ids = await askThroughScope(context, query.tenant, query.vector, leaks);
    const ms = performance.now() - started;
    const scoreOf = (id: string) => {
      const owner = ownerOf(id);
      return owner?.tenant === query.tenant && owner.local < tenants[query.tenant]!.size ? dot(query.vector, vectorOf(workload, owner.tenant, owner.local)) : undefined;
    };
    samples.push({ tenant: query.tenant, ms, recall: recallAtK({ returned: ids, expected: groundTruth[index]!, scoreOf }), index, ids });
    context.report('queries', index + 1, queries.length);
  }
  const summarize = (chosen: typeof samples) => {
    const worst = chosen.reduce((lowest, sample) => (sample.recall < lowest.recall ? sample : lowest));
    return {
      tenants: 0,
      tenantsQueried: new Set(chosen.map((sample) => sample.tenant)).size,
      latency: summarizeLatency(chosen.map((sample) => sample.ms)),
      recall: round(mean(chosen.map((sample) => sample.recall)), 4),
      worstRecall: round(worst.recall, 4),
      p5Recall: round(percentile(chosen.map((sample) => sample.recall), 0.05), 4),
      worstQuery: { tenant: tenants[worst.tenant]!.id, tenantSize: tenants[worst.tenant]!.size, recall: round(worst.recall, 4), ...returnedRanks(workload, worst) },
    };
  };
  const buckets: BucketResult[] = sizeBuckets
    .map((bucket) => ({ bucket, chosen: samples.filter((sample) => tenants[sample.tenant]!.bucket === bucket.name) }))
    .filter(({ chosen }) => chosen.length > 0)
    .map(({ bucket, chosen }) => ({
      bucket: bucket.name,
      label: bucketLabel(bucket.name),
      ...summarize(chosen),
      tenants: tenants.filter((tenant) => tenant.bucket === bucket.name).length,
    }));
  return { queries: { topK, buckets, all: { ...summarize(samples), tenants: tenants.length } } };
}

/**
 * Where a query that missed some of its true neighbours found its results instead: the true rank
 * of each record it returned among the tenant's records (1 = the nearest). Ranks just past k are
 * a near tie lost; ranks in the hundreds or thousands are a search that ended in the wrong place.
 */
function returnedRanks(workload: Workload, sample: { tenant: number; recall: number; index: number; ids: string[] }): { returnedRanks?: { best: number; worst: number; returned: number } } {
  if (sample.recall >= 1) return {};
  const query = workload.queries[sample.index]!.vector;
  const size = workload.tenants[sample.tenant]!.size;
  const scores = new Float64Array(size);
  for (let local = 0; local < size; local += 1) scores[local] = dot(query, vectorOf(workload, sample.tenant, local));
  const ranks = sample.ids.flatMap((id) => {
    const owner = ownerOf(id);
    if (owner?.tenant !== sample.tenant || owner.local >= size) return [];
    const score = scores[owner.local]!;
    let rank = 1;
    for (const other of scores) if (other > score) rank += 1;
    return [rank];
  });
  return ranks.length === 0 ? { returnedRanks: { best: 0, worst: 0, returned: sample.ids.length } } : { returnedRanks: { best: Math.min(...ranks), worst: Math.max(...ranks), returned: sample.ids.length } };
}

/**
 * Looks for leaks on purpose: tenant A asks with one of tenant B's own vectors (B's record is
 * then the best match anywhere in the database), and A's scope asks for B's record by id.
 */
export async function probeLeaks(context: QueryContext, probes: number, leaks: Leaks, random: () => number): Promise<number> {
  const { workload, store } = context;
  const count = workload.tenants.length;
  if (count < 2) return 0;
  for (let probe = 0; probe < probes; probe += 1) {
    const asking = Math.floor(random() * count);
    const owner = (asking + 1 + Math.floor(random() * (count - 1))) % count;
    const local = Math.floor(random() * workload.tenants[owner]!.size);
    await askThroughScope(context, asking, vectorOf(workload, owner, local), leaks);
    if ((await store.forTenant(workload.tenants[asking]!.id).get(recordId(owner, local))) !== null) leaks.foreignGets += 1;
    context.report('leak-probes', probe + 1, probes);
  }
  return probes;
}

/**
 * The same query straight through the backend, with the location and walls the strategy gives
 * the tenant, and through the tenant's scope — alternately first, so neither profits from the
 * other warming a cache. The difference is what tenantvec itself costs (validation, placement,
 * the ownership check, hooks).
 */
export async function measureOverhead(context: QueryContext, samples: number, leaks: Leaks): Promise<NonNullable<StrategyResult['overhead']>> {
  const { workload, backend, strategy, strategyContext, topK } = context;
  const direct: number[] = [];
  const throughScope: number[] = [];
  const count = Math.min(samples, workload.queries.length);
  for (let index = 0; index < count; index += 1) {
    const { tenant, vector } = workload.queries[index]!;
    const { location, scope } = strategy.place(strategyContext, workload.tenants[tenant]!.id);
    const askDirectly = async () => {
      const started = performance.now();
      const hits = await backend.rawQuery({ location, scope, vector: Array.from(vector), topK });
      direct.push(performance.now() - started);
      leaks.direct += foreignResults(tenant, hits.map((hit) => hit.recordId)).length;
    };
    const askScope = async () => {
      const started = performance.now();
      await askThroughScope(context, tenant, vector, leaks);
      throughScope.push(performance.now() - started);
    };
    if (index % 2 === 0) {
      await askDirectly();
      await askScope();
    } else {
      await askScope();
      await askDirectly();
    }
    context.report('overhead', index + 1, count);
  }
  const directP50Ms = percentile(direct, 0.5);
  const tenantvecP50Ms = percentile(throughScope, 0.5);
  return {
    queries: count,
    directP50Ms: round(directP50Ms),
    tenantvecP50Ms: round(tenantvecP50Ms),
    overheadP50Ms: round(tenantvecP50Ms - directP50Ms),
    overheadPercent: round(((tenantvecP50Ms - directP50Ms) / directP50Ms) * 100, 1),
  };
}
