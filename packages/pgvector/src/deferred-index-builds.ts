import { AsyncLocalStorage } from 'node:async_hooks';
import { BackendError, TenantVecError, type BulkLoadParams, type BulkLoadReport } from '@tenantvec/core/backend';
import type { BuildOutcome } from './index-builder.js';
import { UNDEFINED_TABLE } from './pgvector-errors.js';
import type { Target } from './table-layout.js';

/**
 * The index builds a bulk load's own writes made due. Inserting row by row into an HNSW graph
 * costs several times the row itself, and a key crossing the threshold early in a load is
 * rebuilt again as it doubles; a load that defers both builds each graph once, at its full size,
 * from rows already in the table.
 *
 * Only the load's own writes defer — those made inside `load`, followed through its awaits — so
 * another tenant's ordinary write on the same backend still builds its index at once, and two
 * loads that overlap each build what they wrote when each ends. A load inside a load adds to the
 * outer one. What is owed is also in the catalogue (a key at or past the threshold and not
 * indexed), so a process that dies mid-load leaves no key wrong: it is searched exactly, and its
 * next write builds the index.
 */
export class DeferredIndexBuilds {
  private readonly loads = new AsyncLocalStorage<Map<string, { target: Target; key: string }>>();

  /** Records the build when the calling write belongs to a load; false when it must build now. */
  defer(target: Target, key: string): boolean {
    const owed = this.loads.getStore();
    if (owed === undefined) return false;
    owed.set(JSON.stringify([target.table, key]), { target, key });
    return true;
  }

  async around<T>(params: BulkLoadParams<T>, build: (target: Target, key: string) => Promise<BuildOutcome>): Promise<BulkLoadReport<T>> {
    const started = performance.now();
    if (this.loads.getStore() !== undefined) {
      // Nested: the outer load builds, once, when it ends.
      const value = await params.load();
      return { value, loadSeconds: (performance.now() - started) / 1000, indexesBuilt: 0, indexBuildSeconds: 0 };
    }
    const owed = new Map<string, { target: Target; key: string }>();
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await this.loads.run(owed, params.load) };
    } catch (error) {
      outcome = { error };
    }
    const loadSeconds = (performance.now() - started) / 1000;
    // The load's writes committed, failed load or not: their keys get their indexes either way.
    const builds = await this.buildOwed([...owed.values()], params, build);
    // The load's own error comes first; a build that failed after it heals at the key's next write.
    if ('error' in outcome) throw outcome.error;
    if (builds.failures.length > 0) throw failedBuilds(builds.failures, builds.tried);
    return { value: outcome.value, loadSeconds, indexesBuilt: builds.built, indexBuildSeconds: builds.seconds };
  }

  private async buildOwed<T>(owed: { target: Target; key: string }[], params: BulkLoadParams<T>, build: (target: Target, key: string) => Promise<BuildOutcome>) {
    const started = performance.now();
    const failures: unknown[] = [];
    let built = 0;
    for (const [index, { target, key }] of owed.entries()) {
      try {
        if ((await build(target, key)) === 'built') built += 1;
      } catch (error) {
        // A table dropped while its build waited needs no index; anything else is reported once all were tried.
        if (!tableMissing(error)) failures.push(error);
      }
      params.onIndexBuild?.({ done: index + 1, total: owed.length });
    }
    return { built, failures, tried: owed.length, seconds: (performance.now() - started) / 1000 };
  }
}

/** The driver's error, or the backend error wrapping it, says the table is gone. */
function tableMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === UNDEFINED_TABLE || (error as { cause?: { code?: unknown } }).cause?.code === UNDEFINED_TABLE;
}

/**
 * One failure as it came (its type and retryability intact); several as one backend error that
 * is retryable only when each was, carrying them all, and naming no key: a load may span tenants.
 */
function failedBuilds(failures: unknown[], tried: number): unknown {
  if (failures.length === 1) return failures[0];
  const retryable = failures.every((failure) => TenantVecError.isInstance(failure) && failure.isRetryable);
  return new BackendError(
    `${failures.length} of ${tried} index builds after the bulk load failed. Keys without their index are searched exactly and a key whose rebuild failed keeps its old index, until a later write to it builds again.`,
    { cause: new AggregateError(failures), retryable },
  );
}
