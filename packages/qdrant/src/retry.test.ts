import { describe, expect, it } from 'vitest';
import { withRetries } from './retry.js';

function flaky(failures: number, error: unknown = new Error('busy')) {
  let calls = 0;
  const operation = async () => {
    calls += 1;
    if (calls <= failures) throw error;
    return calls;
  };
  return { operation, calls: () => calls };
}

describe('withRetries', () => {
  it('retries retryable failures until one succeeds', async () => {
    const { operation, calls } = flaky(3);
    expect(await withRetries(operation, () => ({ retryable: true }), { baseDelayMs: 1 })).toBe(4);
    expect(calls()).toBe(4);
  });

  it('gives up after maxAttempts, throwing the last failure', async () => {
    const failure = new Error('still busy');
    const { operation, calls } = flaky(10, failure);
    await expect(withRetries(operation, () => ({ retryable: true }), { maxAttempts: 3, baseDelayMs: 1 })).rejects.toBe(failure);
    expect(calls()).toBe(3);
  });

  it('does not retry what is not retryable', async () => {
    const { operation, calls } = flaky(1);
    await expect(withRetries(operation, () => ({ retryable: false }), { baseDelayMs: 1 })).rejects.toThrow('busy');
    expect(calls()).toBe(1);
  });

  it('waits at least the Retry-After, capped by maxDelayMs', async () => {
    const { operation } = flaky(1);
    const started = Date.now();
    await withRetries(operation, () => ({ retryable: true, retryAfterMs: 120 }), { baseDelayMs: 1, maxDelayMs: 1000 }, () => 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const capped = flaky(1);
    const cappedStart = Date.now();
    await withRetries(capped.operation, () => ({ retryable: true, retryAfterMs: 60_000 }), { maxDelayMs: 20 });
    expect(Date.now() - cappedStart).toBeLessThan(1000);
  });

  it('jitters each delay within the exponential cap', async () => {
    const delays: number[] = [];
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((callback: () => void, milliseconds: number) => {
      delays.push(milliseconds);
      return original(callback, 0);
    }) as typeof setTimeout;
    try {
      await withRetries(flaky(4).operation, () => ({ retryable: true }), { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0.5);
    } finally {
      globalThis.setTimeout = original;
    }
    expect(delays).toEqual([50, 100, 200, 400]);
  });
});
