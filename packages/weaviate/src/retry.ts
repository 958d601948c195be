import { BackendError, TenantVecError } from '@tenantvec/core/backend';

export interface RetrySettings {
  /** @default 4 */
  maxAttempts?: number;
  /** First backoff, doubled each attempt, with full jitter. @default 100 */
  baseDelayMs?: number;
  /** @default 2000 */
  maxDelayMs?: number;
  /**
   * Longest one backend call may take, every attempt and backoff included; past it the call fails
   * with a retryable `BackendError`. With the server down, weaviate-client spends about 20 s
   * reconnecting inside each attempt, so without this bound one call blocks for over a minute.
   * A call cut off here may still complete on the server: writes are by id, so retrying is safe.
   * Raise it for batches that take long on a loaded server.
   * @default 10000
   */
  maxTotalMs?: number;
}

export const DEFAULT_MAX_TOTAL_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles with the operation, or rejects once the deadline passes, whichever comes first. */
async function beforeDeadline<T>(operation: Promise<T>, deadline: number, maxTotalMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new BackendError(`Weaviate did not answer within ${maxTotalMs} ms (retry.maxTotalMs); the server may be down or restarting.`, { retryable: true }));
    }, Math.max(0, deadline - Date.now()));
  });
  // The call abandoned at the deadline still settles later; its failure is not the caller's.
  operation.catch(() => {});
  try {
    return await Promise.race([operation, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs an operation, retrying retryable `BackendError`s with exponential backoff and full
 * jitter, within `maxTotalMs` in all. weaviate-client's own gRPC retry covers only UNAVAILABLE
 * and no REST status; this covers 429/5xx, RESOURCE_EXHAUSTED, CANCELLED, timeouts and
 * connection resets on both transports.
 */
export async function withRetry<T>(operation: () => Promise<T>, settings: RetrySettings = {}): Promise<T> {
  const maxAttempts = settings.maxAttempts ?? 4;
  const base = settings.baseDelayMs ?? 100;
  const cap = settings.maxDelayMs ?? 2000;
  const maxTotalMs = settings.maxTotalMs ?? DEFAULT_MAX_TOTAL_MS;
  const deadline = Date.now() + maxTotalMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await beforeDeadline(operation(), deadline, maxTotalMs);
    } catch (error) {
      const retryable = TenantVecError.isInstance(error) && error.code === 'BACKEND' && error.isRetryable;
      const delay = Math.random() * Math.min(cap, base * 2 ** (attempt - 1));
      if (!retryable || attempt >= maxAttempts || Date.now() + delay >= deadline) throw error;
      await sleep(delay);
    }
  }
}
