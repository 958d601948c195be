export interface RetrySettings {
  /** Attempts in all, the first included. @default 5 */
  maxAttempts?: number;
  /** Delay before the first retry; it doubles on each retry, with full jitter. @default 100 */
  baseDelayMs?: number;
  /** Longest delay between two attempts, Retry-After included. @default 5000 */
  maxDelayMs?: number;
}

export interface RetryDecision {
  retryable: boolean;
  /** The server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs?: number;
}

const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * Runs `operation` until it succeeds, fails for good, or runs out of attempts. Full jitter
 * (a random delay up to the exponential cap) keeps many clients that failed together from
 * retrying together; a server's Retry-After is honoured as a floor.
 */
export async function withRetries<T>(
  operation: () => Promise<T>,
  classify: (error: unknown) => RetryDecision,
  settings: RetrySettings = {},
  random: () => number = Math.random,
): Promise<T> {
  const maxAttempts = settings.maxAttempts ?? 5;
  const baseDelayMs = settings.baseDelayMs ?? 100;
  const maxDelayMs = settings.maxDelayMs ?? 5000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const decision = classify(error);
      if (!decision.retryable || attempt >= maxAttempts) throw error;
      const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const jittered = random() * cap;
      await sleep(Math.min(maxDelayMs, Math.max(jittered, decision.retryAfterMs ?? 0)));
    }
  }
}
