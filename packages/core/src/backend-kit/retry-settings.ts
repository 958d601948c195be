import { z } from 'zod';

/**
 * How a backend retries a failed request: the same three fields, with the same meaning and the
 * same defaults, under every adapter's `retry` setting.
 */
export interface RetrySettings {
  /** Attempts in all, the first included. @default 5 */
  maxAttempts?: number;
  /** Longest delay before the first retry; the cap doubles on each retry, with full jitter. @default 100 */
  baseDelayMs?: number;
  /** Longest delay between two attempts, a server's Retry-After included. @default 5000 */
  maxDelayMs?: number;
}

/** The defaults every adapter documents: 5 attempts, 100 ms doubling, 5 s cap. */
export const defaultRetrySettings: Readonly<Required<RetrySettings>> = Object.freeze({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 });

/**
 * The strict schema of `RetrySettings`, for an adapter's settings schema to reuse as it is
 * (`retry: retrySettingsSchema.optional()`) or extended with a field of its own: a misspelt
 * field (`atempts`) fails with a did-you-mean instead of being ignored.
 */
export const retrySettingsSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).optional(),
  baseDelayMs: z.number().int().min(0).optional(),
  maxDelayMs: z.number().int().min(0).optional(),
});

/** Settings with every default filled in. */
export function resolveRetrySettings(settings: RetrySettings = {}): Required<RetrySettings> {
  return {
    maxAttempts: settings.maxAttempts ?? defaultRetrySettings.maxAttempts,
    baseDelayMs: settings.baseDelayMs ?? defaultRetrySettings.baseDelayMs,
    maxDelayMs: settings.maxDelayMs ?? defaultRetrySettings.maxDelayMs,
  };
}

/**
 * A `Retry-After` header (seconds, or an HTTP date) as milliseconds from `now`; undefined when it
 * is absent or unreadable, so that a garbled header falls back to the backoff.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
