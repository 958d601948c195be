import { BackendError, createTenantVectorStore, localEmbedder, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitHooks, TenantLimitError, type RateLimitSettings } from './rate-limit-hooks.js';
import { redisLimitStore } from './redis-limit-store.js';
import { closedPort, startRedisServer, type RedisServerProcess } from './redis-server-process.js';
import { LimitStoreUnavailableError } from './tenant-errors.js';

const clients: Array<{ destroy(): void }> = [];
/** A client as a service would make one: with an 'error' listener, connecting in the background. */
function redisClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => {});
  client.connect().catch(() => {});
  clients.push(client);
  return client;
}
afterAll(() => clients.forEach((client) => client.destroy()));

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const began = performance.now();
  const value = await work();
  return { value, ms: performance.now() - began };
}
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const began = Date.now();
  while (!condition()) {
    if (Date.now() - began > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function limitedStore(settings: Omit<RateLimitSettings, 'limits'>) {
  const limiter = rateLimitHooks({ limits: { requestsPerMinute: 2 }, ...settings });
  return createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 8, embedder: localEmbedder({ dimension: 8 }), hooks: [limiter] });
}

describe('redis limit store when Redis is unavailable', () => {
  it('fails fast with a typed, retryable error on a closed port (no TimeoutError after ~5 s)', async () => {
    const store = redisLimitStore({ client: redisClient(`redis://127.0.0.1:${await closedPort()}`) });
    const { value: error, ms } = await timed(() => refusal(store.consume({ key: 'k', amount: 1, limit: 5, windowMs: 1_000 })));
    expect(LimitStoreUnavailableError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'BACKEND', reason: 'LIMIT_STORE_UNAVAILABLE', isRetryable: true });
    expect(ms).toBeLessThan(600);
  });
});

describe('rate limit hooks through a Redis outage (a redis-server of this test, killed and restarted)', () => {
  let redis: RedisServerProcess;
  beforeAll(async () => void (redis = await startRedisServer()));
  afterAll(async () => redis.stop());

  it('fails closed by default, recovers on reconnect, and starts counting afresh after a restart without persistence', async () => {
    const client = redisClient(redis.url);
    await until(() => client.isReady);
    const store = await limitedStore({ store: redisLimitStore({ client }) });
    const acme = store.forTenant('acme');
    await acme.count();
    await acme.count();
    expect(await refusal(acme.count())).toBeInstanceOf(TenantLimitError);

    await redis.stop();
    const { value: outage, ms } = await timed(() => refusal(acme.count()));
    expect(LimitStoreUnavailableError.isInstance(outage)).toBe(true);
    expect(ms).toBeLessThan(600);

    await redis.start();
    await until(() => client.isReady);
    // The restarted Redis kept nothing: the tenant's spent minute is forgotten (documented).
    expect(await acme.count()).toBe(0);
    await acme.count();
    expect(await refusal(acme.count())).toBeInstanceOf(TenantLimitError);
    await store.close();
  });

  it('bounds the wait on a Redis that is connected and hangs, ', async () => {
    const client = redisClient(redis.url);
    await until(() => client.isReady);
    const store = redisLimitStore({ client, timeoutMs: 300, keyPrefix: 'hang:' });
    redis.pause();
    try {
      const { value: error, ms } = await timed(() => refusal(store.consume({ key: 'k', amount: 1, limit: 5 })));
      expect(LimitStoreUnavailableError.isInstance(error)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(1_000);
    } finally {
      redis.resume();
    }
  });

  it('fails open when asked to, reporting each absorbed failure', async () => {
    const client = redisClient(redis.url);
    await until(() => client.isReady);
    const reported: unknown[] = [];
    const store = await limitedStore({ store: redisLimitStore({ client }), whenStoreUnavailable: 'fail-open', onStoreUnavailable: (error) => reported.push(error) });
    await redis.stop();
    try {
      const acme = store.forTenant('acme');
      for (let attempt = 0; attempt < 4; attempt += 1) expect(await acme.count()).toBe(0);
      expect(reported.length).toBeGreaterThanOrEqual(4);
      expect(reported.every((error) => LimitStoreUnavailableError.isInstance(error))).toBe(true);
    } finally {
      await redis.start();
      await store.close();
    }
  });

  it('refuses an unknown policy', () => {
    expect(() => rateLimitHooks({ limits: {}, store: redisLimitStore({ client: redisClient(redis.url) }), whenStoreUnavailable: 'fail-sideways' as 'fail-open' })).toThrow('whenStoreUnavailable');
  });
});
