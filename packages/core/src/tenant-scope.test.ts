import { describe, expect, it } from 'vitest';
import { RateLimitedError } from './errors.js';
import { memoryBackend } from './memory/memory-backend.js';
import type { OperationEvent, StoreHooks } from './operation-hooks.js';
import { createTenantVectorStore } from './tenant-vector-store.js';
import { sharedStrategy } from './test-support/shared-strategy.js';
import type { VectorBackend } from './vector-backend.js';

/** A store whose backend records every call, with hooks the test chooses. */
async function recordingStore(hooks: StoreHooks[]) {
  const backendCalls: string[] = [];
  const backend = memoryBackend();
  const recording = new Proxy(backend, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (...args: unknown[]) => (backendCalls.push(String(property)), value.apply(target, args)) : value;
    },
  }) as VectorBackend;
  const store = await createTenantVectorStore({ backend: recording, strategy: sharedStrategy, dimension: 2, hooks });
  return { store, backendCalls };
}

describe('stats', () => {
  it('does no I/O before the rate-limit hook admits it', async () => {
    const refuseStats: StoreHooks = {
      beforeOperation(start) {
        if (start.operation === 'stats' || start.operation === 'count') throw new RateLimitedError('acme is over its read quota', { retryAfterMs: 500 });
      },
    };
    const { store, backendCalls } = await recordingStore([refuseStats]);
    await store.forTenant('acme').upsert([{ id: 'a', vector: [1, 0] }]);
    backendCalls.length = 0;
    await expect(store.forTenant('acme').stats()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(backendCalls).toEqual([]);
  });

  it('is one audited stats operation that reports what it counted', async () => {
    const events: OperationEvent[] = [];
    const { store, backendCalls } = await recordingStore([{ afterOperation: (event) => void events.push(event) }]);
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [0, 1] }]);
    events.length = 0;
    backendCalls.length = 0;
    const stats = await acme.stats();
    expect(stats).toMatchObject({ tenantId: 'acme', records: 2, strategy: 'metadata-filter', backend: 'memory', dimension: 2 });
    expect(stats.bytes).toBeGreaterThan(0);
    expect(backendCalls).toEqual(['rawScopeStats', 'rawCount']);
    expect(events).toEqual([expect.objectContaining({ operation: 'stats', tenant: 'acme', outcome: 'ok', counts: { results: 2 } })]);
  });
});
