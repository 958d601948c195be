import { describe, expect, it } from 'vitest';
import { BackendError } from '../errors.js';
import { parseSettings } from '../settings/strict-settings.js';
import { defaultRetrySettings, resolveRetrySettings, retryAfterMs, retrySettingsSchema } from './retry-settings.js';
import { withRetries } from './with-retries.js';

function flaky(failures: number, error: unknown = new Error('busy')) {
  let calls = 0;
  const run = async () => {
    calls += 1;
    if (calls <= failures) throw error;
    return calls;
  };
  return { run, calls: () => calls };
}

const retryable = () => ({ retryable: true });

/** Runs `body` with setTimeout recording each delay and firing at once. */
async function recordingDelays(body: () => Promise<unknown>): Promise<number[]> {
  const delays: number[] = [];
  const original = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: () => void, milliseconds: number) => {
    delays.push(milliseconds);
    return original(callback, 0);
  }) as typeof setTimeout;
  try {
    await body();
  } finally {
    globalThis.setTimeout = original;
  }
  return delays;
}

describe('withRetries', () => {
  it('retries retryable failures until one succeeds', async () => {
    const { run, calls } = flaky(3);
    expect(await withRetries({ run, classify: retryable, settings: { baseDelayMs: 1 } })).toBe(4);
    expect(calls()).toBe(4);
  });

  it('gives up after maxAttempts, throwing the last failure as it was', async () => {
    const failure = new Error('still busy');
    const { run, calls } = flaky(10, failure);
    await expect(withRetries({ run, classify: retryable, settings: { maxAttempts: 3, baseDelayMs: 1 } })).rejects.toBe(failure);
    expect(calls()).toBe(3);
  });

  it('makes the default number of attempts when none is set', async () => {
    const { run, calls } = flaky(10);
    await recordingDelays(() => withRetries({ run, classify: retryable }).catch(() => undefined));
    expect(calls()).toBe(defaultRetrySettings.maxAttempts);
  });

  it('does not retry what the predicate calls final', async () => {
    const { run, calls } = flaky(1);
    await expect(withRetries({ run, classify: () => ({ retryable: false }), settings: { baseDelayMs: 1 } })).rejects.toThrow('busy');
    expect(calls()).toBe(1);
  });

  it('jitters each delay within the doubling cap', async () => {
    const delays = await recordingDelays(() => withRetries({ run: flaky(4).run, classify: retryable, settings: { baseDelayMs: 100, maxDelayMs: 10_000 }, random: () => 0.5 }));
    expect(delays).toEqual([50, 100, 200, 400]);
  });

  it('waits at least the Retry-After, never past maxDelayMs', async () => {
    const floor = await recordingDelays(() => withRetries({ run: flaky(1).run, classify: () => ({ retryable: true, retryAfterMs: 120 }), settings: { baseDelayMs: 1, maxDelayMs: 1000 }, random: () => 0 }));
    expect(floor).toEqual([120]);
    const capped = await recordingDelays(() => withRetries({ run: flaky(1).run, classify: () => ({ retryable: true, retryAfterMs: 60_000 }), settings: { maxDelayMs: 20 } }));
    expect(capped).toEqual([20]);
  });

  it('stops at the budget, an attempt that hangs included, with the error the budget names', async () => {
    let attempts = 0;
    const spent = () => new BackendError('out of time', { retryable: true });
    const error = await withRetries({ run: () => (attempts += 1, new Promise(() => {})), classify: retryable, budget: { maxTotalMs: 50, spent } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: true, message: 'out of time' });
    expect(attempts).toBe(1);
  });

  it('does not sleep past the budget: the last failure is thrown instead', async () => {
    const failure = new Error('busy');
    const { run, calls } = flaky(10, failure);
    const spent = () => new Error('spent');
    await expect(withRetries({ run, classify: () => ({ retryable: true, retryAfterMs: 5000 }), settings: { maxDelayMs: 5000 }, budget: { maxTotalMs: 1000, spent } })).rejects.toBe(failure);
    expect(calls()).toBe(1);
  });
});

describe('retry settings', () => {
  it('fills the documented defaults', () => {
    expect(resolveRetrySettings()).toEqual({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 });
    expect(resolveRetrySettings({ maxAttempts: 2 })).toEqual({ maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5000 });
  });

  it('refuses an unknown field with the nearest name, and values out of range', () => {
    expect(() => parseSettings({ schema: retrySettingsSchema, settings: { maxAtempts: 2 }, root: 'x.retry' })).toThrow('x.retry.maxAtempts: unknown setting; did you mean maxAttempts?');
    expect(() => parseSettings({ schema: retrySettingsSchema, settings: { maxAttempts: 0 }, root: 'x.retry' })).toThrow(/x\.retry\.maxAttempts/);
    expect(() => parseSettings({ schema: retrySettingsSchema, settings: { baseDelayMs: 1.5 }, root: 'x.retry' })).toThrow(/x\.retry\.baseDelayMs/);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs(' ')).toBeUndefined();
  });
});
