import { createTenantVectorStore, UnsupportedError, type StrategyType } from '@tenantvec/core';
import type { BenchBackend, OpenedBackend } from './bench-backends.js';
import type { ProgressListener } from './bench-progress.js';
import type { StrategyResult } from './bench-results.js';
import type { BenchSettings } from './bench-settings.js';
import type { ExactAnswer } from './exact-search.js';
import { measureIngest, measureOffboarding, measureOnboarding, removeStoreCollections, type LifecycleContext } from './measure-lifecycle.js';
import { measureBaseline } from './measure-baseline.js';
import { measureOverhead, measureQueries, probeLeaks, type QueryContext } from './measure-queries.js';
import { measureSearchModes, type SearchModesContext } from './measure-search-modes.js';
import type { LabelledTextWorkload } from './labelled-text-workload.js';
import { derivedSeed, seededRandom } from './seeded-random.js';
import { strategyFactories } from './strategy-factories.js';
import type { Workload } from './workload.js';


/** One strategy, start to finish, on a freshly opened (empty) backend. */
export async function measureStrategy(params: {
  strategyType: StrategyType;
  entry: BenchBackend;
  settings: BenchSettings;
  workload: Workload;
  groundTruth: readonly ExactAnswer[];
  environment: Record<string, string | undefined>;
  onProgress?: ProgressListener;
  onVersion?: (version: string) => void;
}): Promise<StrategyResult> {
  const { strategyType, entry, settings, workload, groundTruth, onProgress } = params;
  const opened: OpenedBackend = await entry.open({ settings: settings.backendSettings, run: strategyType, environment: params.environment });
  const { backend } = opened;
  const strategy = strategyFactories[strategyType]();
  // A store name per strategy, so two strategies never meet in one collection of a shared server.
  const storeName = `bench_${strategyType.split('-')[0]!}`;
  // Keyword search on some backends needs a metric of its own (Pinecone: dotproduct indexes). The
  // workloads' vectors have length 1, so dot ranks exactly as cosine, and the figures compare.
  const keywordMetrics = backend.capabilities.keyword?.metrics;
  const metric: 'cosine' | 'dot' = settings.mode === 'hybrid' && keywordMetrics !== undefined && !keywordMetrics.includes('cosine') && keywordMetrics.includes('dot') ? 'dot' : 'cosine';
  // The same context the store builds, so a direct backend call reaches the same location and walls.
  const strategyContext = { backend, dimension: workload.dimension, metric, baseName: storeName };
  const report = (phase: Parameters<LifecycleContext['report']>[0] | Parameters<QueryContext['report']>[0] | Parameters<SearchModesContext['report']>[0], done: number, total: number) =>
    onProgress?.({ strategy: strategyType, phase, done, total });
  let store;
  try {
    if (!opened.disposeRemovesData) await removeStoreCollections(backend, strategyContext);
    store = await createTenantVectorStore({ backend, strategy, dimension: workload.dimension, metric, name: storeName, maxBatchSize: Math.max(settings.batchSize, 1000) });
  } catch (error) {
    await opened.dispose();
    if (UnsupportedError.isInstance(error)) return { strategy: strategyType, status: 'skipped', reason: error.message };
    throw error;
  }
  const lifecycle: LifecycleContext = { store, backend, strategy, strategyContext, workload, report };
  const queryContext: QueryContext = { ...lifecycle, groundTruth, topK: settings.topK, report };
  try {
    const ingest = await measureIngest(lifecycle, settings.batchSize, opened.indexThreshold);
    if (settings.mode === 'hybrid') {
      // Only what the three query modes need: the lifecycle figures are the vector run's.
      const leaks = { returned: 0, withheld: 0, direct: 0, foreignGets: 0 };
      const asked = { queries: 0 };
      const searchModes = await measureSearchModes({ store, workload: workload as LabelledTextWorkload, topK: settings.topK, warmup: settings.warmupQueries, leaks, asked, report, metric });
      const storageBytes = opened.storageBytes === undefined ? null : await opened.storageBytes();
      if (opened.version !== undefined) params.onVersion?.(await opened.version());
      if (!opened.disposeRemovesData) await removeStoreCollections(backend, strategyContext);
      return { strategy: strategyType, status: 'ok', ingest, searchModes, leaks: { queries: asked.queries, probes: 0, ...leaks }, storageBytes };
    }
    const onboarding = await measureOnboarding(lifecycle, settings.onboardingSamples);
    const leaks = { returned: 0, withheld: 0, direct: 0, foreignGets: 0 };
    const { queries } = await measureQueries(queryContext, settings.warmupQueries, leaks);
    // Backends other than Postgres have no hand-written baseline: none is invented for them.
    const compared = opened.handWritten === undefined ? {} : await measureBaseline({
      context: queryContext,
      access: opened.handWritten,
      ingest,
      batchSize: settings.batchSize,
      samples: settings.overheadSamples,
    });
    const random = seededRandom(derivedSeed(settings.seed, 'leak-probes'));
    const probes = await probeLeaks(queryContext, settings.leakProbes, leaks, random.next);
    const overhead = await measureOverhead(queryContext, settings.overheadSamples, leaks);
    const storageBytes = opened.storageBytes === undefined ? null : await opened.storageBytes();
    if (opened.version !== undefined) params.onVersion?.(await opened.version());
    const offboarding = await measureOffboarding(lifecycle, settings.offboardingSamples);
    if (!opened.disposeRemovesData) await removeStoreCollections(backend, strategyContext);
    return {
      strategy: strategyType,
      status: 'ok',
      ingest,
      onboarding,
      queries,
      leaks: { queries: workload.queries.length + overhead.queries, probes, ...leaks },
      overhead,
      ...compared,
      offboarding,
      storageBytes,
    };
  } catch (error) {
    return { strategy: strategyType, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    report('cleanup', 0, 1);
    await store.close();
    await opened.dispose();
    report('cleanup', 1, 1);
  }
}
