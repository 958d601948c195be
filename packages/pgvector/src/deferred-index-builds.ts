import { BackendError, type BulkLoadParams, type BulkLoadReport } from '@tenantvec/core/backend';
import type { Target } from './table-layout.js';

/** Postgres's "relation does not exist": the table was dropped while its build waited. */
const UNDEFINED_TABLE = '42P01';

/**
 * The index builds writes made due while a bulk load ran. Inserting row by row into an HNSW
 * graph costs several times the row itself, and a key crossing the threshold early in a load is
 * rebuilt again as it doubles; a load that defers both builds each graph once, at its full size,
 * from rows already in the table. What is owed is also in the catalogue (a key at or past the
 * threshold and not indexed), so a process that dies mid-load leaves no key wrong: it is searched
 * exactly, and its next write builds the index.
 */
export class DeferredIndexBuilds {
  private running = 0;
  private readonly owed = new Map<string, { target: Target; key: string }>();

  get deferring(): boolean {
    return this.running > 0;
  }

  owe(target: Target, key: string): void {
    this.owed.set(JSON.stringify([target.table, key]), { target, key });
  }

  async around<T>(params: BulkLoadParams<T>, build: (target: Target, key: string) => Promise<void>): Promise<BulkLoadReport<T>> {
    this.running += 1;
    const started = performance.now();
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await params.load() };
    } catch (error) {
      outcome = { error };
    } finally {
      this.running -= 1;
    }
    const loadSeconds = (performance.now() - started) / 1000;
    // Another load still running keeps deferring; the last to end builds for all of them.
    const builds = this.running === 0 ? await this.buildOwed(params, build) : { built: 0, seconds: 0 };
    if ('error' in outcome) throw outcome.error;
    return { value: outcome.value, loadSeconds, indexesBuilt: builds.built, indexBuildSeconds: builds.seconds };
  }

  private async buildOwed<T>(params: BulkLoadParams<T>, build: (target: Target, key: string) => Promise<void>): Promise<{ built: number; seconds: number }> {
    const owed = [...this.owed.values()];
    this.owed.clear();
    const started = performance.now();
    const failures: unknown[] = [];
    let built = 0;
    for (const { target, key } of owed) {
      try {
        await build(target, key);
        built += 1;
      } catch (error) {
        // A table dropped meanwhile needs no index; anything else is reported once all were tried.
        if ((error as { code?: unknown }).code !== UNDEFINED_TABLE && (error as { cause?: { code?: unknown } }).cause?.code !== UNDEFINED_TABLE) failures.push(error);
      }
      params.onIndexBuild?.({ built: built + failures.length, total: owed.length });
    }
    if (failures.length > 0) {
      throw new BackendError(
        `${failures.length} of ${owed.length} index builds after the bulk load failed; their keys are searched exactly until a later write to each builds its index. First failure: ${(failures[0] as Error).message}`,
        { cause: failures[0] },
      );
    }
    return { built, seconds: (performance.now() - started) / 1000 };
  }
}
