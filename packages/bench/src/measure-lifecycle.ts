import { type IsolationStrategy, type TenantVectorStore, type VectorBackend } from '@tenantvec/core';
import { baseNameFor, type StrategyContext } from '@tenantvec/core/backend';
import { round, summarizeLatency, type LatencySummary } from './percentiles.js';
import { recordId, type Workload } from './workload.js';

export interface LifecycleContext {
  store: TenantVectorStore;
  backend: VectorBackend;
  strategy: IsolationStrategy;
  strategyContext: StrategyContext;
  workload: Workload;
  report: (phase: 'ingest' | 'index-builds' | 'onboarding' | 'offboarding' | 'cleanup', done: number, total: number) => void;
}

/**
 * Every tenant's records, tenant after tenant, in batches: the time of a bulk load. A backend
 * with `bulkLoad` runs it as one, so index builds wait for the end and are timed apart. On
 * another, with `indexThreshold` (the backend's size at which a key gets its own vector index),
 * the batches that took a tenant across it are timed apart instead, so the rate of the load
 * itself can be read without the index builds those batches paid for.
 */
export async function measureIngest(context: LifecycleContext, batchSize: number, indexThreshold?: number) {
  const { store, workload, backend } = context;
  const { dimension } = workload;
  const records = workload.records;
  let written = 0;
  let buildBatches = 0;
  let buildRecords = 0;
  let buildMs = 0;
  let peakRss = process.memoryUsage.rss();
  const deferring = backend.bulkLoad !== undefined;
  const load = async () => {
    for (const [tenantIndex, tenant] of workload.tenants.entries()) {
      const scope = store.forTenant(tenant.id);
      const vectors = workload.tenantVectors(tenantIndex);
      const texts = workload.tenantTexts?.(tenantIndex);
      for (let start = 0; start < tenant.size; start += batchSize) {
        const batch = [];
        for (let local = start; local < Math.min(tenant.size, start + batchSize); local += 1) {
          const vector = vectors.subarray(local * dimension, (local + 1) * dimension);
          batch.push(texts === undefined ? { id: recordId(tenantIndex, local), vector } : { id: recordId(tenantIndex, local), vector, text: texts[local]! });
        }
        const batchStarted = performance.now();
        await scope.upsert(batch);
        if (!deferring && indexThreshold !== undefined && start < indexThreshold && start + batch.length >= indexThreshold) {
          buildBatches += 1;
          buildRecords += batch.length;
          buildMs += performance.now() - batchStarted;
        }
        written += batch.length;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        context.report('ingest', written, records);
      }
    }
  };
  const started = performance.now();
  if (backend.bulkLoad !== undefined) {
    const report = await backend.bulkLoad({ load, onIndexBuild: ({ done, total }) => context.report('index-builds', done, total) });
    const seconds = (performance.now() - started) / 1000;
    return {
      records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds), batchSize,
      indexesBuiltAfterLoad: report.indexesBuilt,
      indexBuildSeconds: round(report.indexBuildSeconds),
      recordsPerSecondWithoutIndexBuilds: Math.round(records / report.loadSeconds),
      peakRssMb: Math.round(peakRss / 2 ** 20),
    };
  }
  await load();
  const seconds = (performance.now() - started) / 1000;
  // A batch that crossed the threshold also wrote its rows: those are charged at the rate of the
  // other batches, and only the rest of its time counts as the index build.
  const otherMsPerRecord = written === buildRecords ? 0 : (seconds * 1000 - buildMs) / (written - buildRecords);
  const buildOnlyMs = Math.max(0, buildMs - buildRecords * otherMsPerRecord);
  const withoutBuilds = indexThreshold === undefined ? {} : {
    indexBuildBatches: buildBatches,
    indexBuildSeconds: round(buildOnlyMs / 1000),
    recordsPerSecondWithoutIndexBuilds: Math.round(records / (seconds - buildOnlyMs / 1000)),
  };
  return { records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds), batchSize, ...withoutBuilds, peakRssMb: Math.round(peakRss / 2 ** 20) };
}

/**
 * The first write of brand-new tenants, one record each: it includes whatever storage the
 * strategy creates for a tenant (a table, a partition) — nothing under a shared collection.
 * The tenants are dropped again, untimed, so they do not change the query phase.
 */
export async function measureOnboarding(context: LifecycleContext, samples: number): Promise<LatencySummary> {
  const { store, workload } = context;
  const vector = workload.tenantVectors(0).slice(0, workload.dimension);
  const timings: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const tenant = `onboarding-${sample}`;
    const started = performance.now();
    await store.forTenant(tenant).upsert([{ id: 'first', vector }]);
    timings.push(performance.now() - started);
    context.report('onboarding', sample + 1, samples);
  }
  for (let sample = 0; sample < samples; sample += 1) await store.dropTenant(`onboarding-${sample}`, { verify: 'none' });
  return summarizeLatency(timings);
}

/** Spread over sizes: the largest tenant, the smallest, and evenly spaced ranks between. */
export function tenantsToDrop(tenantCount: number, samples: number): number[] {
  const count = Math.min(samples, tenantCount);
  if (count === 0) return [];
  if (count === 1) return [0];
  return [...new Set(Array.from({ length: count }, (_, index) => Math.round((index * (tenantCount - 1)) / (count - 1))))];
}

/**
 * Drops sample tenants and checks the promise of `dropTenant`: nothing of the tenant is left
 * (read straight from the backend, at the tenant's own location and walls), it is no longer
 * listed, and its neighbour kept every record.
 */
export async function measureOffboarding(context: LifecycleContext, samples: number) {
  const { store, backend, strategy, strategyContext, workload } = context;
  const chosen = tenantsToDrop(workload.tenants.length, samples);
  const dropped = new Set(chosen);
  const timings: number[] = [];
  let residue = 0;
  let collateral = 0;
  for (const [position, tenantIndex] of chosen.entries()) {
    const tenant = workload.tenants[tenantIndex]!;
    // Timed without the store's own verification, which the bench does itself right after.
    const started = performance.now();
    await store.dropTenant(tenant.id, { verify: 'none' });
    timings.push(performance.now() - started);
    const { location, scope } = strategy.place(strategyContext, tenant.id);
    residue += await backend.rawCount({ location, scope });
    const neighbour = nearestKept(workload.tenants.length, tenantIndex, dropped);
    if (neighbour !== undefined) collateral += workload.tenants[neighbour]!.size - (await store.forTenant(workload.tenants[neighbour]!.id).count());
    context.report('offboarding', position + 1, chosen.length);
  }
  let stillListed = 0;
  let after: string | undefined;
  do {
    const page = await store.listTenants({ limit: 10_000, ...(after === undefined ? {} : { after }) });
    stillListed += page.tenants.filter((id) => chosen.some((index) => workload.tenants[index]!.id === id)).length;
    after = page.next;
  } while (after !== undefined);
  return { ...summarizeLatency(timings), residue, stillListed, collateral };
}

/** The tenant next in size to `index` that has not been dropped. */
function nearestKept(count: number, index: number, dropped: ReadonlySet<number>): number | undefined {
  for (let distance = 1; distance < count; distance += 1) {
    for (const candidate of [index + distance, index - distance]) {
      if (candidate >= 0 && candidate < count && !dropped.has(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Removes every collection of the run's store from a backend whose disposal keeps data (a
 * server shared with other work): before the run, what a crashed earlier run left; after it,
 * what this run made. Untimed.
 */
export async function removeStoreCollections(backend: VectorBackend, context: StrategyContext): Promise<void> {
  const prefix = baseNameFor(context, backend.capabilities.collectionNames);
  for (const { name } of await backend.listCollections({ prefix })) await backend.dropCollection({ collection: name });
}
