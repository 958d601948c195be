import { BackendError, TenantVecError } from '@tenantvec/core/backend';

export interface RetrySettings {
  /**
   * Attempts per call, the first included.
   * @default 5
   */
  attempts?: number;
  /**
   * Delay before the first retry, doubled each time, with full jitter.
   * @default 200
   */
  baseDelayMs?: number;
  /** @default 5000 */
  maxDelayMs?: number;
}

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call`, retrying retryable failures with exponential backoff and full jitter. */
export async function withRetries<T>(operation: string, settings: RetrySettings, call: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, settings.attempts ?? 5);
  const base = settings.baseDelayMs ?? 200;
  const cap = settings.maxDelayMs ?? 5000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw toBackendError(error, operation);
      await sleep(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)));
    }
  }
}

/** Seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The client's errors drop the response, so `Retry-After` is honoured here, below the client: a
 * 429 that names its wait is resent once after it (capped at `maxDelayMs`). Later 429s reach the
 * client and `withRetries` backs off as usual.
 */
export function honouringRetryAfter(base: typeof fetch, settings: RetrySettings): typeof fetch {
  const cap = settings.maxDelayMs ?? 5000;
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 429) return response;
    const wait = retryAfterMs(response.headers.get('retry-after'));
    if (wait === undefined) return response;
    await response.body?.cancel();
    await sleep(Math.min(cap, wait));
    return base(input, init);
  };
}
