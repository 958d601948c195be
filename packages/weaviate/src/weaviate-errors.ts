import { BackendError, TenantVecError } from '@tenantvec/core/backend';

/** What a failed Weaviate call means for the adapter. */
export type FailureKind = 'missing-collection' | 'missing-tenant' | 'inactive-tenant' | 'exists' | 'other';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function failureKind(error: unknown): FailureKind {
  const message = messageOf(error);
  if (/could not find class|class .* (?:not found|does not exist)|status code: 404/i.test(message)) return 'missing-collection';
  if (/tenant not found|tenant .* not found/i.test(message)) return 'missing-tenant';
  if (/tenant not active|is not active|tenant .* (?:inactive|cold|offloaded)/i.test(message)) return 'inactive-tenant';
  if (/already exists|already in use/i.test(message)) return 'exists';
  return 'other';
}

/** A missing collection or native tenant: reads there answer empty, removals of it succeed. */
export function isMissingLocation(error: unknown): boolean {
  const kind = failureKind(error);
  return kind === 'missing-collection' || kind === 'missing-tenant';
}

/**
 * 429 and 5xx over REST, and their gRPC equivalents, timeouts and dropped connections. CANCELLED
 * is what a call in flight gets when the server shuts down (a restart, a rolling update): the
 * adapter never cancels its own calls, so it is the server's doing and worth another attempt.
 */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && (code === 429 || code >= 500)) return true;
  if (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET)$/.test(code)) return true;
  const message = messageOf(error);
  return /\b(UNAVAILABLE|RESOURCE_EXHAUSTED|DEADLINE_EXCEEDED|ABORTED|CANCELLED)\b|status code: (429|5\d\d)|timed out|ECONNRESET|ECONNREFUSED|socket hang up|fetch failed/i.test(message);
}

/** A vendor failure as core's `BackendError`; messages name only this request's own inputs. */
export function backendError(operation: string, error: unknown): TenantVecError {
  if (TenantVecError.isInstance(error)) return error;
  return new BackendError(`Weaviate ${operation} failed: ${messageOf(error)}`, { cause: error, retryable: isTransient(error) });
}
