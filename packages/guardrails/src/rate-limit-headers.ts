import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a tenant stands in its requests-per-minute window, as one request left it. */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  resetInMs: number;
}

const tracked = new AsyncLocalStorage<{ window?: RateLimitWindow }>();

/** Called by the limiter on every admission check inside `trackRateLimit`. */
export function noteRateLimitWindow(window: RateLimitWindow): void {
  const slot = tracked.getStore();
  if (slot === undefined) return;
  // A request that runs several operations reports the tightest point it reached.
  if (slot.window === undefined || window.remaining <= slot.window.remaining) slot.window = window;
}

/**
 * Runs `work` (a request's handler) and says what the requests-per-minute limit looked like for
 * the operations it ran; `window` is undefined when it ran none, or no such limit applies.
 */
export async function trackRateLimit<T>(work: () => Promise<T>): Promise<{ result: T; window: RateLimitWindow | undefined }> {
  const slot: { window?: RateLimitWindow } = {};
  const result = await tracked.run(slot, work);
  return { result, window: slot.window };
}

/**
 * The IETF draft headers (draft-ietf-httpapi-ratelimit-headers, the separate-field form):
 * `RateLimit-Limit`, `RateLimit-Remaining`, and `RateLimit-Reset` in seconds until the window ends.
 */
export function rateLimitHeaders(window: RateLimitWindow): Record<string, string> {
  return {
    'ratelimit-limit': String(window.limit),
    'ratelimit-remaining': String(Math.max(0, window.remaining)),
    'ratelimit-reset': String(Math.max(0, Math.ceil(window.resetInMs / 1000))),
  };
}
