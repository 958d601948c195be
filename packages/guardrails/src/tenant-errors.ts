import { RateLimitedError } from '@tenantvec/core';

/** No verified tenant: missing or invalid credentials, or code running outside `withTenant`. */
export class TenantAuthenticationError extends Error {
  readonly status = 401;
  constructor(message = 'Authentication required.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TenantAuthenticationError';
  }
}

/** The request names a tenant (in its URL or body) other than the authenticated one. */
export class TenantMismatchError extends Error {
  readonly status = 403;
  constructor(message = 'This request is not allowed for the authenticated tenant.') {
    super(message);
    this.name = 'TenantMismatchError';
  }
}

export interface TenantErrorResponse {
  status: 401 | 403 | 429;
  headers: Record<string, string>;
  body: { error: string; message: string; retryAfterMs?: number };
}

/**
 * The HTTP answer for the errors guardrails raise, or undefined for any other error. Messages
 * are fixed texts: they never echo a token, a key or another tenant's id.
 */
export function tenantErrorResponse(error: unknown): TenantErrorResponse | undefined {
  if (error instanceof TenantAuthenticationError) {
    return { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { error: 'unauthenticated', message: error.message } };
  }
  if (error instanceof TenantMismatchError) return { status: 403, headers: {}, body: { error: 'forbidden', message: error.message } };
  if (RateLimitedError.isInstance(error)) {
    return {
      status: 429,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) },
      body: { error: 'rate_limited', message: error.message, retryAfterMs: error.retryAfterMs },
    };
  }
  return undefined;
}
