import { BackendError } from '@tenantvec/core/backend';
import type { RetryDecision } from './retry.js';

/** What the client throws for a non-2xx answer: `ApiError` of openapi-typescript-fetch. */
interface ApiErrorLike {
  status: number;
  data?: unknown;
  headers?: { get(name: string): string | null };
}

function isApiError(error: unknown): error is ApiErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as ApiErrorLike).status === 'number';
}

const retryableStatuses = new Set([429, 500, 502, 503, 504]);
const connectionCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function httpStatusOf(error: unknown): number | undefined {
  return isApiError(error) ? error.status : undefined;
}

/** Qdrant's own error text (`{ status: { error } }`), when the answer carried one. */
export function qdrantMessageOf(error: unknown): string {
  if (!isApiError(error)) return '';
  const data = error.data as { status?: { error?: unknown } } | undefined;
  const message = data?.status?.error;
  return typeof message === 'string' ? message : '';
}

/** 429 and 5xx answers, connection resets and client timeouts are worth another attempt. */
export function classifyQdrantError(error: unknown): RetryDecision {
  if (isApiError(error)) {
    if (!retryableStatuses.has(error.status)) return { retryable: false };
    const retryAfter = Number(error.headers?.get('retry-after'));
    return Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryable: true, retryAfterMs: retryAfter * 1000 } : { retryable: true };
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'QdrantClientTimeoutError') return { retryable: true };
  if (name === 'QdrantClientResourceExhaustedError') {
    const seconds = (error as { retry_after?: unknown }).retry_after;
    return typeof seconds === 'number' ? { retryable: true, retryAfterMs: seconds * 1000 } : { retryable: true };
  }
  const code = errorCode(error);
  if (code !== undefined && connectionCodes.has(code)) return { retryable: true };
  return { retryable: error instanceof TypeError && error.message === 'fetch failed' };
}

/**
 * A failure as core's `BackendError`. The message names the operation, the status and Qdrant's
 * text about this request's own collection; it never carries payloads or other points' ids.
 */
export function toBackendError(operation: string, error: unknown): BackendError {
  const { retryable } = classifyQdrantError(error);
  const status = httpStatusOf(error);
  const detail = qdrantMessageOf(error).slice(0, 300);
  const what = status === undefined ? ((error as Error | null)?.name ?? 'error') : `HTTP ${status}`;
  return new BackendError(`Qdrant ${operation} failed (${what})${detail === '' ? '' : `: ${detail}`}`, { cause: error, retryable });
}

/** A missing collection (404) or shard key (400 "Shard key … not found"): reads answer empty. */
export function isMissingLocation(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status === 404) return true;
  return status === 400 && /shard key .* not found/i.test(qdrantMessageOf(error));
}
