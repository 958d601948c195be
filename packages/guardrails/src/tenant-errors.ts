import { BackendError, RateLimitedError } from '@tenantvec/core';

/**
 * Why a request has no verified tenant. Stable: clients and logs may branch on it. Reasons about
 * a token's claims are given only for tokens whose signature verified, so they tell a forger
 * nothing.
 */
export type AuthenticationFailureCode =
  | 'CREDENTIALS_MISSING'
  | 'CREDENTIALS_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_EXPIRY_MISSING'
  | 'TOKEN_ISSUED_IN_FUTURE'
  | 'TOKEN_TOO_OLD'
  | 'TOKEN_LIFETIME_TOO_LONG'
  | 'TENANT_CLAIM_INVALID'
  | 'NO_TENANT_CONTEXT';

/** No verified tenant: missing or invalid credentials, or code running outside `withTenant`. */
export class TenantAuthenticationError extends Error {
  readonly status = 401;
  readonly code: AuthenticationFailureCode;
  constructor(message = 'Authentication required.', options?: { cause?: unknown; code?: AuthenticationFailureCode }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TenantAuthenticationError';
    this.code = options?.code ?? 'CREDENTIALS_MISSING';
  }
}

/** The request names a tenant (in its URL or body) other than the authenticated one. */
export class TenantMismatchError extends Error {
  readonly status = 403;
  readonly code = 'TENANT_MISMATCH';
  constructor(message = 'This request is not allowed for the authenticated tenant.') {
    super(message);
    this.name = 'TenantMismatchError';
  }
}

const limitStoreMarker = Symbol.for('tenantvec.guardrails.limit-store-unavailable');

/**
 * The store that keeps limits and quotas (Redis) did not answer in time or refused the call: a
 * core `BackendError` (`code: 'BACKEND'`, retryable) with `reason: 'LIMIT_STORE_UNAVAILABLE'`.
 * With `whenStoreUnavailable: 'fail-closed'` the operation is refused with it (HTTP 503); retry
 * after `retryAfterMs`. The client's own error is kept as the cause, for logs only.
 */
export class LimitStoreUnavailableError extends BackendError {
  readonly reason = 'LIMIT_STORE_UNAVAILABLE';
  readonly retryAfterMs: number;
  constructor(message = 'The rate-limit store is unavailable.', options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, { retryable: true, ...(options?.cause === undefined ? {} : { cause: options.cause }) });
    Object.defineProperty(this, limitStoreMarker, { value: true });
    this.name = 'LimitStoreUnavailableError';
    this.retryAfterMs = options?.retryAfterMs ?? 1_000;
  }

  /** Works across duplicated copies of this package, where `instanceof` does not. */
  static override isInstance(error: unknown): error is LimitStoreUnavailableError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[limitStoreMarker] === true;
  }
}

export interface TenantErrorResponse {
  status: 401 | 403 | 429 | 503;
  headers: Record<string, string>;
  body: { error: string; message: string; code?: string; retryAfterMs?: number };
}

const retryAfterSeconds = (milliseconds: number) => String(Math.max(1, Math.ceil(milliseconds / 1000)));

/**
 * The HTTP answer for the errors guardrails raise, or undefined for any other error. Messages
 * are fixed texts: they never echo a token, a key or another tenant's id.
 */
export function tenantErrorResponse(error: unknown): TenantErrorResponse | undefined {
  if (error instanceof TenantAuthenticationError) {
    return { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { error: 'unauthenticated', code: error.code, message: error.message } };
  }
  if (error instanceof TenantMismatchError) return { status: 403, headers: {}, body: { error: 'forbidden', message: error.message } };
  if (RateLimitedError.isInstance(error)) {
    return {
      status: 429,
      headers: { 'retry-after': retryAfterSeconds(error.retryAfterMs) },
      body: { error: 'rate_limited', message: error.message, retryAfterMs: error.retryAfterMs },
    };
  }
  if (LimitStoreUnavailableError.isInstance(error)) {
    return {
      status: 503,
      headers: { 'retry-after': retryAfterSeconds(error.retryAfterMs) },
      body: { error: 'unavailable', code: error.reason, message: error.message, retryAfterMs: error.retryAfterMs },
    };
  }
  return undefined;
}
