import type { Embedder } from './embedder.js';
import { DimensionMismatchError, IsolationViolationError, StoreClosedError, UnsupportedError } from './errors.js';
import { operatorsUsed } from './filter/parse-filter.js';
import type { FilterNode } from './filter/filter-types.js';
import type { KeywordSettings } from './keyword/term-statistics.js';
import type { IsolationStrategy, StrategyContext, TenantPlacement } from './isolation-strategy.js';
import { OperationReporter, type StoreHooks } from './operation-hooks.js';
import { isInScope } from './scope-constraint.js';
import type { ScopeConstraint, StoredRecord } from './vector-backend.js';

/** What every scope of one store shares. Internal: users see `TenantVectorStore` and `TenantScope`. */
export class StoreRuntime {
  private closed = false;
  private readonly onboarding = new Map<string, Promise<void>>();
  readonly reporter: OperationReporter;

  constructor(
    readonly context: StrategyContext,
    readonly strategy: IsolationStrategy,
    readonly embedder: Embedder | undefined,
    readonly limits: { maxBatchSize: number; maxMetadataBytes: number },
    hooks: readonly StoreHooks[] = [],
    readonly keyword: KeywordSettings = {},
  ) {
    this.reporter = new OperationReporter(hooks);
  }

  get backend() {
    return this.context.backend;
  }

  assertOpen(): void {
    if (this.closed) throw new StoreClosedError('The store is closed.');
  }

  isClosed(): boolean {
    return this.closed;
  }

  markClosed(): void {
    this.closed = true;
  }

  /** Onboards a tenant once per store, on its first write; concurrent writers share one call. */
  onboard(tenantId: string): Promise<void> {
    let pending = this.onboarding.get(tenantId);
    if (pending === undefined) {
      pending = this.strategy.onboard(this.context, tenantId).catch((error: unknown) => {
        this.onboarding.delete(tenantId);
        throw error;
      });
      this.onboarding.set(tenantId, pending);
    }
    return pending;
  }

  forgetOnboarding(tenantId: string): void {
    this.onboarding.delete(tenantId);
  }

  /** Refuses, before any I/O, filters using operators the backend cannot translate. */
  assertFilterSupported(filter: FilterNode | undefined): void {
    const supported = new Set(this.backend.capabilities.filterOperators);
    const missing = [...operatorsUsed(filter)].filter((operator) => !supported.has(operator));
    if (missing.length > 0) {
      throw new UnsupportedError(`The ${this.backend.name} backend cannot filter with ${missing.join(', ')}.`);
    }
  }

  /** Embeds in batches the embedder accepts; `tokens` sums what the provider reported. */
  async embed(texts: readonly string[]): Promise<{ vectors: number[][]; tokens?: number }> {
    const embedder = this.embedder!;
    const vectors: number[][] = [];
    let tokens: number | undefined;
    for (let start = 0; start < texts.length; start += embedder.maxBatchSize) {
      const chunk = texts.slice(start, start + embedder.maxBatchSize);
      const { embeddings, usage } = await embedder.embed({ texts: chunk });
      if (usage !== undefined) tokens = (tokens ?? 0) + usage.tokens;
      if (embeddings.length !== chunk.length) {
        throw new DimensionMismatchError(`Embedder ${embedder.name} returned ${embeddings.length} vectors for ${chunk.length} texts.`);
      }
      for (const embedding of embeddings) {
        if (embedding.length !== this.context.dimension) {
          throw new DimensionMismatchError(
            `Embedder ${embedder.name} returned a ${embedding.length}-dimensional vector; the store has ${this.context.dimension}.`,
          );
        }
        vectors.push(embedding);
      }
    }
    return tokens === undefined ? { vectors } : { vectors, tokens };
  }

  /**
   * Defence in depth: every record a backend returns must lie in the asking scope and carry the
   * physical id its tenant would give it. Anything else withholds the whole result.
   */
  verifyOwned<T extends Pick<StoredRecord, 'id' | 'recordId' | 'tenant' | 'source'>>(
    records: T[],
    placement: TenantPlacement,
    scope: ScopeConstraint,
  ): T[] {
    for (const record of records) {
      if (!isInScope(record, scope) || record.id !== placement.physicalId(record.recordId)) {
        throw new IsolationViolationError(
          `The ${this.backend.name} backend returned a record outside the requested tenant scope; the result was withheld.`,
        );
      }
    }
    return records;
  }
}
