/**
 * Typed errors. Every error tenantvec throws is a `TenantVecError` with a stable `code` that
 * callers can branch on; messages are for people and may change.
 *
 * Messages must never reveal another tenant's data or existence: an error raised while serving
 * tenant A names only A's inputs.
 */

const marker = Symbol.for('tenantvec.error');

export type ErrorCode =
  | 'INVALID_TENANT_ID'
  | 'INVALID_ARGUMENT'
  | 'INVALID_FILTER'
  | 'INVALID_SOURCE'
  | 'DIMENSION_MISMATCH'
  | 'BATCH_REJECTED'
  | 'EMBEDDER_REQUIRED'
  | 'UNSUPPORTED'
  | 'CONFIGURATION'
  | 'STORE_CLOSED'
  | 'BATCH_WRITE_FAILED'
  | 'ISOLATION_VIOLATION'
  | 'RATE_LIMITED'
  | 'ERASURE_INCOMPLETE'
  | 'TENANT_MIGRATING'
  | 'VERIFICATION_FAILED'
  | 'TERM_STATISTICS_SHARED'
  | 'BACKEND';

export interface TenantVecErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

export class TenantVecError extends Error {
  readonly code: ErrorCode;
  readonly isRetryable: boolean;

  constructor(code: ErrorCode, message: string, options: TenantVecErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // A symbol-keyed own property rather than a class field: declaration files of subclasses
    // cannot carry private members, and the marker must survive duplicated package copies.
    Object.defineProperty(this, marker, { value: true });
    this.name = 'TenantVecError';
    this.code = code;
    this.isRetryable = options.retryable ?? false;
  }

  /** Works across duplicated copies of this package, where `instanceof` does not. */
  static isInstance(error: unknown): error is TenantVecError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Declares a subclass whose `isInstance` also checks the code, so it survives duplicated packages. */
function errorClass<C extends ErrorCode>(code: C, name: string) {
  return class extends TenantVecError {
    declare readonly code: C;
    constructor(message: string, options?: TenantVecErrorOptions) {
      super(code, message, options);
      this.name = name;
    }
    static override isInstance(error: unknown): error is TenantVecError & { code: C } {
      return TenantVecError.isInstance(error) && error.code === code;
    }
  };
}

export class InvalidTenantIdError extends errorClass('INVALID_TENANT_ID', 'InvalidTenantIdError') {}
export class InvalidArgumentError extends errorClass('INVALID_ARGUMENT', 'InvalidArgumentError') {}
export class InvalidFilterError extends errorClass('INVALID_FILTER', 'InvalidFilterError') {}
export class InvalidSourceError extends errorClass('INVALID_SOURCE', 'InvalidSourceError') {}
export class DimensionMismatchError extends errorClass('DIMENSION_MISMATCH', 'DimensionMismatchError') {}
export class EmbedderRequiredError extends errorClass('EMBEDDER_REQUIRED', 'EmbedderRequiredError') {}
export class UnsupportedError extends errorClass('UNSUPPORTED', 'UnsupportedError') {}
export class ConfigurationError extends errorClass('CONFIGURATION', 'ConfigurationError') {}
export class StoreClosedError extends errorClass('STORE_CLOSED', 'StoreClosedError') {}
export class BackendError extends errorClass('BACKEND', 'BackendError') {}

/**
 * `dropTenant` finished but its verification failed: records of the tenant remain, or other
 * tenants' counts changed. Nothing of other tenants is named.
 */
export class ErasureIncompleteError extends errorClass('ERASURE_INCOMPLETE', 'ErasureIncompleteError') {}

/**
 * Keyword or hybrid search was asked for where the backend draws term statistics from records
 * of other tenants too, so scores would leak how many of their documents hold a term. The store
 * setting `keyword.shareTermStatisticsAcrossTenants: true` accepts that leak by name.
 */
export class TermStatisticsSharedError extends errorClass('TERM_STATISTICS_SHARED', 'TermStatisticsSharedError') {}

/** A copy of a tenant (promotion, migration) does not match its source in count or content. */
export class VerificationFailedError extends errorClass('VERIFICATION_FAILED', 'VerificationFailedError') {}

/** The tenant is being moved between stores; writes resume when the move ends. Retry. */
export class TenantMigratingError extends errorClass('TENANT_MIGRATING', 'TenantMigratingError') {}

/** A per-tenant limit or quota refused the operation; `retryAfterMs` says when to try again. */
export class RateLimitedError extends TenantVecError {
  declare readonly code: 'RATE_LIMITED';
  readonly retryAfterMs: number;

  constructor(message: string, options: TenantVecErrorOptions & { retryAfterMs: number }) {
    super('RATE_LIMITED', message, { ...options, retryable: true });
    this.name = 'RateLimitedError';
    this.retryAfterMs = options.retryAfterMs;
  }

  static override isInstance(error: unknown): error is RateLimitedError {
    return TenantVecError.isInstance(error) && error.code === 'RATE_LIMITED';
  }
}
/**
 * A backend handed back a record outside the scope that asked. The store withholds the whole
 * result; this is a bug in a backend or strategy, never something a caller can cause.
 */
export class IsolationViolationError extends errorClass('ISOLATION_VIOLATION', 'IsolationViolationError') {}

/** One rejected item of a batch: its position, its id when it had one, and why. */
export interface BatchItemFailure {
  index: number;
  id?: string;
  code: ErrorCode;
  message: string;
}

/**
 * A batch in which some items are invalid. Nothing of the batch was written: validation runs
 * before any I/O, so callers can fix the listed items and resend the whole batch.
 */
export class BatchRejectedError extends TenantVecError {
  declare readonly code: 'BATCH_REJECTED';
  readonly failures: readonly BatchItemFailure[];

  constructor(failures: BatchItemFailure[], options?: TenantVecErrorOptions) {
    const shown = failures
      .slice(0, 5)
      .map((failure) => `#${failure.index}${failure.id === undefined ? '' : ` (${failure.id})`}: ${failure.message}`)
      .join('; ');
    const more = failures.length > 5 ? `; and ${failures.length - 5} more` : '';
    super('BATCH_REJECTED', `${failures.length} item(s) of the batch were rejected, nothing was written: ${shown}${more}`, options);
    this.name = 'BatchRejectedError';
    this.failures = Object.freeze([...failures]);
  }

  static override isInstance(error: unknown): error is BatchRejectedError {
    return TenantVecError.isInstance(error) && error.code === 'BATCH_REJECTED';
  }
}

/**
 * A valid batch that the backend failed to write part of. Batches larger than one backend
 * request go out in several requests; this says which ids were written and which were not.
 * Upserts are idempotent, so resending the whole batch is safe.
 */
export class BatchWriteError extends TenantVecError {
  declare readonly code: 'BATCH_WRITE_FAILED';
  readonly writtenIds: readonly string[];
  readonly failedIds: readonly string[];

  constructor(params: { writtenIds: string[]; failedIds: string[]; cause: unknown }) {
    const retryable = TenantVecError.isInstance(params.cause) ? params.cause.isRetryable : false;
    super(
      'BATCH_WRITE_FAILED',
      `The backend failed to write ${params.failedIds.length} of ${params.writtenIds.length + params.failedIds.length} records; ` +
        `${params.writtenIds.length} were written. Resending the whole batch is safe.`,
      { cause: params.cause, retryable },
    );
    this.name = 'BatchWriteError';
    this.writtenIds = Object.freeze([...params.writtenIds]);
    this.failedIds = Object.freeze([...params.failedIds]);
  }

  static override isInstance(error: unknown): error is BatchWriteError {
    return TenantVecError.isInstance(error) && error.code === 'BATCH_WRITE_FAILED';
  }
}
