import { resolveRetrySettings, type RetrySettings } from './retry-settings.js';

/** What a failure means for the next attempt. */
export interface RetryDecision {
  retryable: boolean;
  /** The server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs?: number;
}

/** A limit on one call, every attempt and backoff included. */
export interface RetryBudget {
  maxTotalMs: number;
  /** The error the call fails with when the budget is spent during an attempt. */
  spent: () => Error;
}

export interface WithRetriesParams<T> {
  run: () => Promise<T>;
  /** The backend's reading of a failure: worth another attempt or not, and how long the server asked to wait. */
  classify: (error: unknown) => RetryDecision;
  settings?: RetrySettings;
  /**
   * Bounds the whole call. For clients that can hang inside one attempt far longer than any
   * backoff (weaviate-client reconnects for about 20 s with the server down).
   */
  budget?: RetryBudget;
  /** From 0 to 1; a test may fix it. @default Math.random */
  random?: () => number;
}

const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Settles with the attempt, or rejects with `budget.spent()` at the deadline, whichever comes first. */
async function beforeDeadline<T>(attempt: Promise<T>, deadline: number, budget: RetryBudget): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(budget.spent()), Math.max(0, deadline - Date.now()));
  });
  // The attempt abandoned at the deadline still settles later; its failure is nobody's to handle.
  attempt.catch(() => {});
  try {
    return await Promise.race([attempt, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `run` until it succeeds, fails for good, runs out of attempts or of budget, and throws
 * the last failure as it was. Full jitter (a random delay up to the exponential cap) keeps
 * clients that failed together from retrying together; a server's Retry-After is honoured as a
 * floor, never past `maxDelayMs`.
 */
export async function withRetries<T>(params: WithRetriesParams<T>): Promise<T> {
  const { maxAttempts, baseDelayMs, maxDelayMs } = resolveRetrySettings(params.settings);
  const random = params.random ?? Math.random;
  const { budget } = params;
  const deadline = budget === undefined ? Number.POSITIVE_INFINITY : Date.now() + budget.maxTotalMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await (budget === undefined ? params.run() : beforeDeadline(params.run(), deadline, budget));
    } catch (error) {
      const decision = params.classify(error);
      if (!decision.retryable || attempt >= maxAttempts) throw error;
      const jittered = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.min(maxDelayMs, Math.max(jittered, decision.retryAfterMs ?? 0));
      if (Date.now() + delay >= deadline) throw error;
      await sleep(delay);
    }
  }
}
