import { randomUUID } from 'node:crypto';
import { TenantVecError, type ErrorCode } from './errors.js';

export type OperationName =
  | 'upsert' | 'query' | 'get' | 'delete' | 'count' | 'export' | 'stats'
  | 'ingest' | 'documents'
  | 'forTenant' | 'listTenants' | 'dropTenant';

export interface OperationCounts {
  /** Records written, deleted or read. */
  records?: number;
  /** Query hits returned. */
  results?: number;
  /** Texts sent to the embedder. */
  texts?: number;
}

/** An operation about to do I/O: its input already passed validation. */
export interface OperationStart {
  /**
   * Unique per operation and the same in its `beforeOperation` and `afterOperation` calls, so a
   * hook can undo what it reserved before when a later hook or the operation itself refuses.
   */
  operationId: string;
  operation: OperationName;
  /** The validated tenant; absent for store-wide operations. */
  tenant?: string;
  path?: string;
  counts: OperationCounts;
}

/** What happened, for audit logs and metering. */
export interface OperationEvent extends OperationStart {
  /** `rejected`: refused before any I/O (bad input, a scope-widening filter, a rate limit). */
  outcome: 'ok' | 'rejected' | 'failed';
  errorCode?: ErrorCode;
  /** For a refused tenant id only: the id as given, cut to 64 characters, for the audit trail. */
  attemptedTenantId?: string;
  usage?: { embeddingTokens: number };
  durationMs: number;
  at: Date;
}

/**
 * Seams for guardrails. `beforeOperation` runs after validation and before any I/O; throwing
 * (a rate limit, a quota) stops the operation, which is then reported as rejected.
 * `afterOperation` sees every outcome. Every hook's `afterOperation` runs, in order, even when an
 * earlier one throws — a write fence later in the list must still hear that a write finished —
 * and then the first error thrown propagates, so an audit sink can fail closed.
 */
export interface StoreHooks {
  beforeOperation?(start: OperationStart): void | Promise<void>;
  afterOperation?(event: OperationEvent): void | Promise<void>;
}

const rejectionCodes: ReadonlySet<ErrorCode> = new Set([
  'INVALID_TENANT_ID', 'INVALID_ARGUMENT', 'INVALID_FILTER', 'INVALID_SOURCE', 'DIMENSION_MISMATCH',
  'BATCH_REJECTED', 'EMBEDDER_REQUIRED', 'UNSUPPORTED', 'STORE_CLOSED', 'RATE_LIMITED',
]);

/** Tracks one operation: `ready` marks the end of validation, `note` adds counts and usage. */
export interface OperationTracker {
  ready(counts?: OperationCounts): Promise<void>;
  note(counts: OperationCounts, embeddingTokens?: number): void;
}

export interface OperationInProgress {
  tracker: OperationTracker;
  /** Reports the outcome: pass the error the operation failed with, if any. */
  finish(error?: unknown): Promise<void>;
}

const silentTracker: OperationTracker = { ready: async () => {}, note: () => {} };

export class OperationReporter {
  constructor(private readonly hooks: readonly StoreHooks[]) {}

  /** For operations that cannot be one callback, such as an export the caller iterates. */
  begin(operationStart: Omit<OperationStart, 'counts' | 'operationId'>): OperationInProgress {
    if (this.hooks.length === 0) return { tracker: silentTracker, finish: async () => {} };
    const start = { operationId: randomUUID(), ...operationStart };
    const began = performance.now();
    const counts: OperationCounts = {};
    let embeddingTokens: number | undefined;
    const tracker: OperationTracker = {
      ready: async (more = {}) => {
        Object.assign(counts, more);
        for (const hook of this.hooks) await hook.beforeOperation?.({ ...start, counts: { ...counts } });
      },
      note: (more, tokens) => {
        Object.assign(counts, more);
        if (tokens !== undefined) embeddingTokens = (embeddingTokens ?? 0) + tokens;
      },
    };
    const finish = async (error?: unknown) => {
      const errorCode = TenantVecError.isInstance(error) ? error.code : undefined;
      const outcome: OperationEvent['outcome'] = error === undefined ? 'ok' : errorCode !== undefined && rejectionCodes.has(errorCode) ? 'rejected' : 'failed';
      const event: OperationEvent = {
        ...start,
        counts,
        outcome,
        ...(errorCode === undefined ? {} : { errorCode }),
        ...(embeddingTokens === undefined ? {} : { usage: { embeddingTokens } }),
        durationMs: performance.now() - began,
        at: new Date(),
      };
      let failure: { error: unknown } | undefined;
      for (const hook of this.hooks) {
        try {
          await hook.afterOperation?.(event);
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure !== undefined) throw failure.error;
    };
    return { tracker, finish };
  }

  async run<T>(start: Omit<OperationStart, 'counts' | 'operationId'>, body: (tracker: OperationTracker) => Promise<T>): Promise<T> {
    const operation = this.begin(start);
    let result: T;
    try {
      result = await body(operation.tracker);
    } catch (error) {
      await operation.finish(error);
      throw error;
    }
    await operation.finish();
    return result;
  }

  /** A tenant id refused by the rule: recorded, since probing ids is worth seeing in an audit. */
  reportRefusedTenant(operation: OperationName, attempted: unknown, error: TenantVecError): void {
    if (this.hooks.length === 0) return;
    const event: OperationEvent = {
      operationId: randomUUID(),
      operation,
      counts: {},
      outcome: 'rejected',
      errorCode: error.code,
      attemptedTenantId: typeof attempted === 'string' ? attempted.slice(0, 64) : String(attempted).slice(0, 64),
      durationMs: 0,
      at: new Date(),
    };
    // forTenant is synchronous, so this report cannot be awaited; its failure must still show.
    for (const hook of this.hooks) {
      Promise.resolve()
        .then(() => hook.afterOperation?.(event))
        .catch((hookError: unknown) => console.error('tenantvec: an afterOperation hook failed', hookError));
    }
  }
}
