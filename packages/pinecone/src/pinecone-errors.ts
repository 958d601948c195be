import type { RetryDecision } from '@tenantvec/core/backend';
import { BackendError, TenantVecError } from '@tenantvec/core';

/** The HTTP status behind a client error: the client keeps it only in names and messages. */
export function statusOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'PineconeNotFoundError':
      return 404;
    case 'PineconeConflictError':
      return 409;
    case 'PineconeInternalServerError':
      return 500;
    case 'PineconeUnavailableError':
      return 503;
    case 'PineconeAuthorizationError':
      return 401;
    default: {
      const match = /Status(?: Code)?: (\d{3})/.exec(error.message);
      return match === null ? undefined : Number(match[1]);
    }
  }
}

/**
 * 429 and 5xx are worth another try, and so is a connection that failed. The client itself
 * retries only 5xx, so 429 (Pinecone's per-namespace rate limit) is ours to back off from.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (['PineconeConnectionError', 'PineconeMaxRetriesExceededError', 'PineconeRequestError'].includes(error.name)) return true;
  const status = statusOf(error);
  return status === 429 || (status !== undefined && status >= 500);
}

/**
 * A vendor failure as core's `BackendError`. The message names the operation and the status,
 * not the client's text, which can quote a request body (another tenant's ids, in a shared
 * namespace) or a URL.
 */
export function toBackendError(error: unknown, operation: string): TenantVecError {
  if (TenantVecError.isInstance(error)) return error;
  const status = statusOf(error);
  const name = error instanceof Error ? error.name : 'Error';
  const detail = status === undefined ? name : `HTTP ${status}`;
  return new BackendError(`Pinecone ${operation} failed (${detail}).`, { cause: error, retryable: isRetryable(error) });
}

/** The toolkit's reading of a failure: the client keeps no Retry-After (see `honouringRetryAfter`). */
export function classifyPineconeError(error: unknown): RetryDecision {
  return { retryable: isRetryable(error) };
}

export function isNotFound(error: unknown): boolean {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return statusOf(cause) === 404;
}
