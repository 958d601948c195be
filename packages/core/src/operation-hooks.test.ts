import { describe, expect, it } from 'vitest';
import { customEmbedder } from './custom-embedder.js';
import { RateLimitedError } from './errors.js';
import { memoryBackend } from './memory/memory-backend.js';
import type { OperationEvent, OperationStart, StoreHooks } from './operation-hooks.js';
import { createTenantVectorStore } from './tenant-vector-store.js';
import { sharedStrategy } from './test-support/shared-strategy.js';
import type { VectorBackend } from './vector-backend.js';

async function recordingStore(extra: StoreHooks = {}) {
  const events: OperationEvent[] = [];
  const starts: OperationStart[] = [];
  const backendCalls: string[] = [];
  const backend = memoryBackend();
  const counted = new Proxy(backend, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (...args: unknown[]) => (backendCalls.push(String(property)), value.apply(target, args)) : value;
    },
  }) as VectorBackend;
  const embedder = customEmbedder({ dimension: 2, embed: async (texts) => ({ embeddings: texts.map((text) => [1, text.length]), usage: { tokens: texts.length * 5 } }) });
  const store = await createTenantVectorStore({
    backend: counted,
    strategy: sharedStrategy,
    dimension: 2,
    embedder,
    hooks: [{ afterOperation: (event) => void events.push(event), beforeOperation: (start) => void starts.push(start) }, extra],
  });
  backendCalls.length = 0;
  return { store, events, starts, backendCalls };
}

describe('operation hooks', () => {
  it('report every operation with tenant, counts, embedding tokens, duration and outcome', async () => {
    const { store, events } = await recordingStore();
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', text: 'hello' }, { id: 'b', vector: [1, 0] }]);
    await acme.query({ text: 'hi', topK: 5 });
    await acme.get('a');
    await acme.count();
    await acme.delete({ ids: ['b'] });
    await store.listTenants();
    await store.dropTenant('acme');
    expect(events.map((event) => [event.operation, event.tenant, event.outcome])).toEqual([
      ['upsert', 'acme', 'ok'], ['query', 'acme', 'ok'], ['get', 'acme', 'ok'], ['count', 'acme', 'ok'],
      ['delete', 'acme', 'ok'], ['listTenants', undefined, 'ok'], ['dropTenant', 'acme', 'ok'],
    ]);
    expect(events[0]).toMatchObject({ counts: { records: 2, texts: 1 }, usage: { embeddingTokens: 5 } });
    expect(events[1]).toMatchObject({ counts: { texts: 1, results: 2 }, usage: { embeddingTokens: 5 } });
    expect(events[2]).toMatchObject({ counts: { records: 1, results: 1 } });
    for (const event of events) {
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
      expect(event.at).toBeInstanceOf(Date);
    }
  });

  it('record scope-widening filters and refused tenant ids as rejected, before any I/O', async () => {
    const { store, events, starts, backendCalls } = await recordingStore();
    await expect(store.forTenant('acme').query({ vector: [1, 0], filter: { $or: [{ tenant: 'other' }, { kind: 'x' }] } as never })).rejects.toMatchObject({ code: 'INVALID_FILTER' });
    expect(() => store.forTenant('acme%')).toThrow();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([
      expect.objectContaining({ operation: 'query', tenant: 'acme', outcome: 'rejected', errorCode: 'INVALID_FILTER' }),
      expect.objectContaining({ operation: 'forTenant', outcome: 'rejected', errorCode: 'INVALID_TENANT_ID', attemptedTenantId: 'acme%' }),
    ]);
    expect(starts).toEqual([]);
    expect(backendCalls).toEqual([]);
  });

  it('let a rate limiter stop an operation after validation and before any I/O or embedding', async () => {
    const limiter: StoreHooks = {
      beforeOperation(start) {
        if (start.operation === 'upsert') throw new RateLimitedError('acme is over its write quota', { retryAfterMs: 1_000 });
      },
    };
    const { store, events, backendCalls } = await recordingStore(limiter);
    const error = await store.forTenant('acme').upsert([{ id: 'a', text: 'hello' }]).catch((caught: unknown) => caught);
    expect(RateLimitedError.isInstance(error) && error.retryAfterMs).toBe(1_000);
    expect(backendCalls).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ operation: 'upsert', outcome: 'rejected', errorCode: 'RATE_LIMITED', counts: { records: 1, texts: 1 } })]);
    // The embedder reports tokens on every call: none reported means it was never called.
    expect(events[0]!.usage).toBeUndefined();
  });

  it('give each operation one id, shared by its beforeOperation and afterOperation calls', async () => {
    const { store, events, starts } = await recordingStore();
    const acme = store.forTenant('acme');
    await Promise.all([acme.upsert([{ id: 'a', vector: [1, 0] }]), acme.count(), acme.get('a')]);
    expect(starts).toHaveLength(3);
    expect(new Set(starts.map((start) => start.operationId)).size).toBe(3);
    for (const start of starts) {
      expect(events.find((event) => event.operationId === start.operationId)?.operation).toBe(start.operation);
    }
  });

  it('run every afterOperation hook when an earlier one throws, then hand the first error to the caller', async () => {
    const seen: string[] = [];
    const auditDown = new Error('audit sink unreachable');
    const store = await createTenantVectorStore({
      backend: memoryBackend(),
      strategy: sharedStrategy,
      dimension: 2,
      hooks: [
        { afterOperation: () => { seen.push('audit'); throw auditDown; } },
        { afterOperation: () => { seen.push('second'); throw new Error('second hook failed too'); } },
        { afterOperation: (event) => void seen.push(`fence:${event.operation}:${event.outcome}`) },
      ],
    });
    await expect(store.forTenant('acme').upsert([{ id: 'a', vector: [1, 0] }])).rejects.toBe(auditDown);
    expect(seen).toEqual(['audit', 'second', 'fence:upsert:ok']);
  });

  it('report an export once, with the records handed over, also when the caller stops early', async () => {
    const { store, events } = await recordingStore();
    const acme = store.forTenant('acme');
    await acme.upsert(Array.from({ length: 5 }, (_, index) => ({ id: `r${index}`, vector: [1, index] })));
    events.length = 0;
    for await (const record of acme.export({ pageSize: 2 })) expect(record.id).toMatch(/^r/);
    for await (const record of acme.export({ pageSize: 2 })) if (record.id === 'r2') break;
    expect(events.map((event) => [event.operation, event.outcome, event.counts.records])).toEqual([['export', 'ok', 5], ['export', 'ok', 2]]);
  });
});
