import { TenantVecError } from '@tenantvec/core';

export interface RetrySettings {
  /** @default 4 */
  maxAttempts?: number;
  /** First backoff, doubled each attempt, with full jitter. @default 100 */
  baseDelayMs?: number;
  /** @default 2000 */
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs an operation, retrying retryable `BackendError`s with exponential backoff and full
 * jitter. weaviate-client's own gRPC retry covers only UNAVAILABLE and no REST status; this
 * covers 429/5xx, RESOURCE_EXHAUSTED, timeouts and connection resets on both transports.
 */
export async function withRetry<T>(operation: () => Promise<T>, settings: RetrySettings = {}): Promise<T> {
  const maxAttempts = settings.maxAttempts ?? 4;
  const base = settings.baseDelayMs ?? 100;
  const cap = settings.maxDelayMs ?? 2000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const retryable = TenantVecError.isInstance(error) && error.code === 'BACKEND' && error.isRetryable;
      if (!retryable || attempt >= maxAttempts) throw error;
      await sleep(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)));
    }
  }
}

